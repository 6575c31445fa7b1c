# shellcheck shell=bash
# The one JSON writer. Every string goes through json_escape; values are composed from the helpers below,
# never pasted unescaped.

# json_escape TEXT: the JSON string literal for TEXT (with the quotes).
json_escape() {
  local s="$1" out="" ch i code
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\n'/\\n}"
  s="${s//$'\r'/\\r}"
  s="${s//$'\t'/\\t}"
  if [[ "${s}" == *[$'\x01'-$'\x1f'$'\x7f']* ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      ch="${s:i:1}"
      case "${ch}" in
        [$'\x01'-$'\x1f'] | $'\x7f')
          printf -v code '%d' "'${ch}"
          printf -v ch '\\u%04x' "${code}"
          ;;
      esac
      out+="${ch}"
    done
    s="${out}"
  fi
  printf '"%s"' "${s}"
}

# Typed values.
js() { json_escape "$1"; }

# A number, or null when VALUE is not a JSON number.
jn() {
  if [[ "$1" =~ ^-?(0|[1-9][0-9]*)(\.[0-9]+)?$ ]]; then
    printf '%s' "$1"
  else
    printf 'null'
  fi
}

# true for 1/true/yes, false otherwise.
jb() {
  case "$1" in
    1 | true | yes) printf 'true' ;;
    *) printf 'false' ;;
  esac
}

# A string, or null when empty.
jsn() {
  if [[ -z "$1" ]]; then
    printf 'null'
  else
    json_escape "$1"
  fi
}

# jo KEY VALUE_JSON ...: an object from key / already-encoded value pairs.
jo() {
  local out="{" sep=""
  while (($# >= 2)); do
    out+="${sep}$(json_escape "$1"):$2"
    sep=","
    shift 2
  done
  printf '%s}' "${out}"
}

# ja VALUE_JSON ...: an array of already-encoded values.
ja() {
  local out="[" sep="" v
  for v in "$@"; do
    out+="${sep}${v}"
    sep=","
  done
  printf '%s]' "${out}"
}

# ja_strings TEXT ...: an array of strings.
ja_strings() {
  local out="[" sep="" v
  for v in "$@"; do
    out+="${sep}$(json_escape "${v}")"
    sep=","
  done
  printf '%s]' "${out}"
}

# pop_emit_json OK DATA_JSON [ERROR_CODE ERROR_MESSAGE]: the one object on stdout.
pop_emit_json() {
  local ok="$1" data="$2" code="${3:-}" message="${4:-}" out
  if [[ "${POP_EMITTED}" == 1 ]]; then
    return 0
  fi
  POP_EMITTED=1
  out="{\"schema\":$(js "${POP_SCHEMA}"),\"command\":$(js "${POP_COMMAND:-none}"),\"ok\":${ok},\"data\":${data}"
  if [[ "${ok}" != true ]]; then
    out+=",\"error\":$(jo code "$(js "${code}")" message "$(js "${message}")")"
  fi
  out+=",\"tool_version\":$(js "${POP_TOOL_VERSION}"),\"node_time\":$(js "$(pop_iso_time)")}"
  printf '%s\n' "${out}"
}

# pop_ok DATA_JSON: success in JSON mode (human output is the command's own).
pop_ok() {
  pop_emit_json true "$1"
}
