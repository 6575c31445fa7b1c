# shellcheck shell=bash
# The one JSON writer. Every string goes through json_escape; values are composed from the helpers below,
# never pasted unescaped.

# json_escape_v VAR TEXT: the JSON string literal for TEXT (with the quotes) in VAR. The *_v helpers set a
# variable instead of printing: a status answer is built from a hundred values, and a $(...) around each is a
# fork. Their locals start with _j so that a caller's VAR is never one of them.
json_escape_v() {
  local _js="$2" _jout="" _jch _ji _jcode
  # Most values need no escaping at all: one test instead of five substitutions.
  if [[ "${_js}" != *[\"\\$'\x01'-$'\x1f'$'\x7f']* ]]; then
    printf -v "$1" '"%s"' "${_js}"
    return 0
  fi
  _js="${_js//\\/\\\\}"
  _js="${_js//\"/\\\"}"
  _js="${_js//$'\n'/\\n}"
  _js="${_js//$'\r'/\\r}"
  _js="${_js//$'\t'/\\t}"
  if [[ "${_js}" == *[$'\x01'-$'\x1f'$'\x7f']* ]]; then
    for ((_ji = 0; _ji < ${#_js}; _ji++)); do
      _jch="${_js:_ji:1}"
      case "${_jch}" in
        [$'\x01'-$'\x1f'] | $'\x7f')
          printf -v _jcode '%d' "'${_jch}"
          printf -v _jch '\\u%04x' "${_jcode}"
          ;;
      esac
      _jout+="${_jch}"
    done
    _js="${_jout}"
  fi
  printf -v "$1" '"%s"' "${_js}"
}

# json_escape TEXT: the JSON string literal for TEXT (with the quotes).
json_escape() {
  local r
  json_escape_v r "$1"
  printf '%s' "${r}"
}

# Typed values, printed (js, jn, jb, jsn) or into a variable (js_v VAR ..., and so on).
js_v() { json_escape_v "$1" "$2"; }
js() { json_escape "$1"; }

# A number, or null when VALUE is not a JSON number.
jn_v() {
  if [[ "$2" =~ ^-?(0|[1-9][0-9]*)(\.[0-9]+)?$ ]]; then
    printf -v "$1" '%s' "$2"
  else
    printf -v "$1" 'null'
  fi
}
jn() {
  local r
  jn_v r "$1"
  printf '%s' "${r}"
}

# true for 1/true/yes, false otherwise.
jb_v() {
  case "$2" in
    1 | true | yes) printf -v "$1" 'true' ;;
    *) printf -v "$1" 'false' ;;
  esac
}
jb() {
  local r
  jb_v r "$1"
  printf '%s' "${r}"
}

# A string, or null when empty.
jsn_v() {
  if [[ -z "$2" ]]; then
    printf -v "$1" 'null'
  else
    json_escape_v "$1" "$2"
  fi
}
jsn() {
  local r
  jsn_v r "$1"
  printf '%s' "${r}"
}

# jo_v VAR KEY VALUE_JSON ...: an object from key / already-encoded value pairs, in VAR.
jo_v() {
  local _jdest="$1" _jout="{" _jsep="" _jk
  shift
  while (($# >= 2)); do
    json_escape_v _jk "$1"
    _jout+="${_jsep}${_jk}:$2"
    _jsep=","
    shift 2
  done
  printf -v "${_jdest}" '%s}' "${_jout}"
}

# jo KEY VALUE_JSON ...: the same, printed.
jo() {
  local r
  jo_v r "$@"
  printf '%s' "${r}"
}

# ja_v VAR VALUE_JSON ...: an array of already-encoded values, in VAR.
ja_v() {
  local _jdest="$1" _jout="[" _jsep="" _jv
  shift
  for _jv in "$@"; do
    _jout+="${_jsep}${_jv}"
    _jsep=","
  done
  printf -v "${_jdest}" '%s]' "${_jout}"
}

# ja VALUE_JSON ...: an array of already-encoded values.
ja() {
  local r
  ja_v r "$@"
  printf '%s' "${r}"
}

# ja_strings_v VAR TEXT ...: an array of strings, in VAR.
ja_strings_v() {
  local _jdest="$1" _jout="[" _jsep="" _jv _je
  shift
  for _jv in "$@"; do
    json_escape_v _je "${_jv}"
    _jout+="${_jsep}${_je}"
    _jsep=","
  done
  printf -v "${_jdest}" '%s]' "${_jout}"
}

# ja_strings TEXT ...: the same, printed.
ja_strings() {
  local r
  ja_strings_v r "$@"
  printf '%s' "${r}"
}

# pop_emit_json OK DATA_JSON [ERROR_CODE ERROR_MESSAGE]: the one object on stdout.
pop_emit_json() {
  local ok="$1" data="$2" code="${3:-}" message="${4:-}" out
  if [[ "${POP_EMITTED}" == 1 ]]; then
    return 0
  fi
  POP_EMITTED=1
  local schema command tool now err_code err_message err
  js_v schema "${POP_SCHEMA}"
  js_v command "${POP_COMMAND:-none}"
  out="{\"schema\":${schema},\"command\":${command},\"ok\":${ok},\"data\":${data}"
  if [[ "${ok}" != true ]]; then
    js_v err_code "${code}"
    js_v err_message "${message}"
    jo_v err code "${err_code}" message "${err_message}"
    out+=",\"error\":${err}"
  fi
  js_v tool "${POP_TOOL_VERSION}"
  pop_iso_time_v now
  js_v now "${now}"
  out+=",\"tool_version\":${tool},\"node_time\":${now}}"
  printf '%s\n' "${out}"
}

# pop_ok DATA_JSON: success in JSON mode (human output is the command's own).
pop_ok() {
  pop_emit_json true "$1"
}
