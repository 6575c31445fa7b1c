# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# Core helpers: output, errors, exit codes, validation. Sourced by `pop` and concatenated into the bundle.

POP_TOOL_VERSION="0.1.0"
POP_SCHEMA="popfleet.node/v1"

# Global state set by pop_main.
POP_JSON=0
POP_DEBUG=0
POP_COLOR=0
POP_COMMAND=""
POP_EMITTED=0
POP_CLEANUP=()
POP_FAILED=0
POP_SIGNAL=""

# Exit code for each stable error code (documented in docs/node-json.md).
pop_exit_code_for() {
  case "$1" in
    usage | unknown_command | invalid_argument) echo 2 ;;
    config_invalid | not_installed | identity_missing | identity_corrupt | not_found) echo 3 ;;
    service_failed | unhealthy) echo 4 ;;
    checksum_mismatch | bad_binary | bad_archive | foreign_identity) echo 5 ;;
    timeout) echo 6 ;;
    missing_dependency) echo 7 ;;
    permission_denied | auth_expired) echo 8 ;;
    no_space) echo 9 ;;
    rolled_back) echo 10 ;;
    port_in_use | already_registered | last_key | conflict) echo 11 ;;
    remote_error) echo 12 ;;
    *) echo 1 ;;
  esac
}

# --- terminal output --------------------------------------------------------------------------------

pop_init_color() {
  POP_COLOR=0
  if [[ -t 1 && -z "${NO_COLOR:-}" && "${TERM:-dumb}" != "dumb" ]]; then
    POP_COLOR=1
  fi
}

# c NAME TEXT: TEXT in colour NAME when colour is on.
c() {
  local _c
  c_v _c "$1" "$2"
  printf '%s' "${_c}"
}

# c_v VAR NAME TEXT: the same into VAR (no $(...), which forks: a status page has a dozen of them).
c_v() {
  local _code
  if [[ "${POP_COLOR}" != 1 ]]; then
    printf -v "$1" '%s' "$3"
    return 0
  fi
  case "$2" in
    red) _code='31' ;; green) _code='32' ;; yellow) _code='33' ;; blue) _code='34' ;;
    bold) _code='1' ;; dim) _code='2' ;; cyan) _code='36' ;; *) _code='0' ;;
  esac
  printf -v "$1" '\033[%sm%s\033[0m' "${_code}" "$3"
}

# c_pick FLAG COLOR TEXT OTHER_COLOR OTHER_TEXT: the first when FLAG is 1, else the second.
c_pick() {
  if [[ "$1" == 1 ]]; then
    c "$2" "$3"
  else
    c "$4" "$5"
  fi
}

# Colour for a status word (pass/ok/running → green, warn → yellow, fail → red).
c_status() {
  local _c
  c_status_v _c "$1"
  printf '%s' "${_c}"
}

# c_status_v VAR WORD: the same into VAR.
c_status_v() {
  case "$2" in
    pass | ok | running | excellent | good | yes | healthy | present | free | ours) c_v "$1" green "$2" ;;
    warn | fair | activating | degraded | stopped | unknown | skipped) c_v "$1" yellow "$2" ;;
    *) c_v "$1" red "$2" ;;
  esac
}

# A "label  value" line with the label padded to a column.
pop_row() {
  local label="$1"
  shift
  printf '  %-12s %s\n' "${label}" "$*"
}

pop_warn() {
  printf 'pop: %s\n' "$*" >&2
}

# Shows a value that may contain anything (quotes, newlines) safely in a message.
pop_q() {
  printf '%q' "$1"
}

# pop_fail CODE MESSAGE [DATA_JSON]: report a failure and exit with the code's exit status.
pop_fail() {
  local code="$1" message="$2" data="${3:-null}" rc=""
  rc="$(pop_exit_code_for "${code}")"
  POP_FAILED=1
  if [[ "${POP_JSON}" == 1 ]]; then
    pop_emit_json false "${data}" "${code}" "${message}"
  fi
  printf 'pop: %s\n' "${message}" >&2
  exit "${rc}"
}

pop_usage_error() {
  local message="$1"
  if [[ "${POP_JSON}" != 1 && -n "${POP_COMMAND}" ]]; then
    pop_command_usage "${POP_COMMAND}" >&2 || true
  fi
  pop_fail usage "${message}"
}

# --- time ------------------------------------------------------------------------------------------

# pop_now_v VAR: the epoch into VAR, with no command substitution: each is a forked shell that a signal can catch
# before it drops pop's traps (see pop_on_signal), and a loop that waits is where a Ctrl-C lands.
pop_now_v() {
  printf -v "$1" '%(%s)T' -1
}

pop_iso_time() {
  local epoch="${1:--1}"
  printf '%(%Y-%m-%dT%H:%M:%SZ)T' "${epoch}"
}

# pop_iso_time_v VAR [EPOCH]: the same into VAR.
pop_iso_time_v() {
  printf -v "$1" '%(%Y-%m-%dT%H:%M:%SZ)T' "${2:--1}"
}

# pop_epoch_v VAR "Www YYYY-MM-DD HH:MM:SS UTC" (systemd's timestamps under TZ=UTC): the epoch in VAR, computed
# without a date process (days from the civil date); anything else goes to date -d. Empty when unreadable.
pop_epoch_v() {
  local _t="$2" _y _m _d _days _era _yoe _doy _e=""
  if [[ "${_t}" =~ ^([A-Z][a-z]{2}[[:space:]]+)?([0-9]{4})-([0-9]{2})-([0-9]{2})[[:space:]]+([0-9]{2}):([0-9]{2}):([0-9]{2})[[:space:]]+UTC$ ]] &&
    ((10#${BASH_REMATCH[3]} >= 1 && 10#${BASH_REMATCH[3]} <= 12 && 10#${BASH_REMATCH[4]} >= 1 &&
      10#${BASH_REMATCH[4]} <= 31 && 10#${BASH_REMATCH[5]} < 24 && 10#${BASH_REMATCH[6]} < 60 &&
      10#${BASH_REMATCH[7]} < 60)); then
    _y=$((10#${BASH_REMATCH[2]})) _m=$((10#${BASH_REMATCH[3]})) _d=$((10#${BASH_REMATCH[4]}))
    ((_m <= 2)) && _y=$((_y - 1))
    _era=$((_y / 400))
    _yoe=$((_y - _era * 400))
    _doy=$(((153 * (_m > 2 ? _m - 3 : _m + 9) + 2) / 5 + _d - 1))
    _days=$((_era * 146097 + _yoe * 365 + _yoe / 4 - _yoe / 100 + _doy - 719468))
    _e=$((_days * 86400 + 10#${BASH_REMATCH[5]} * 3600 + 10#${BASH_REMATCH[6]} * 60 + 10#${BASH_REMATCH[7]}))
  else
    _e="$(date -u -d "${_t}" +%s 2>/dev/null || true)"
  fi
  printf -v "$1" '%s' "${_e}"
}

# "2h 13m" style durations.
pop_duration() {
  local _d
  pop_duration_v _d "$1"
  printf '%s' "${_d}"
}

# pop_duration_v VAR SECONDS: the same into VAR.
pop_duration_v() {
  local _s="$2" _days _h _m
  if [[ ! "${_s}" =~ ^[0-9]+$ ]]; then
    printf -v "$1" '%s' "-"
    return 0
  fi
  _days=$((_s / 86400))
  _h=$((_s % 86400 / 3600))
  _m=$((_s % 3600 / 60))
  if ((_days > 0)); then
    printf -v "$1" '%dd %dh %dm' "${_days}" "${_h}" "${_m}"
  elif ((_h > 0)); then
    printf -v "$1" '%dh %dm' "${_h}" "${_m}"
  elif ((_m > 0)); then
    printf -v "$1" '%dm %ds' "${_m}" "$((_s % 60))"
  else
    printf -v "$1" '%ds' "${_s}"
  fi
}

# Parses "90s", "15m", "24h", "7d", an epoch or an ISO date into an epoch.
pop_parse_since() {
  local v="$1" now n unit
  pop_now_v now
  if [[ "${v}" =~ ^([0-9]{1,9})([smhd])$ ]]; then
    n="${BASH_REMATCH[1]}"
    unit="${BASH_REMATCH[2]}"
    case "${unit}" in
      s) echo $((now - n)) ;;
      m) echo $((now - n * 60)) ;;
      h) echo $((now - n * 3600)) ;;
      d) echo $((now - n * 86400)) ;;
    esac
  elif [[ "${v}" =~ ^[0-9]{9,11}$ ]]; then
    echo "${v}"
  elif [[ "${v}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}([T\ ][0-9]{2}:[0-9]{2}(:[0-9]{2})?Z?)?$ ]]; then
    date -u -d "${v}" +%s 2>/dev/null || return 1
  else
    return 1
  fi
}

# --- numbers ---------------------------------------------------------------------------------------

# Bytes as "12.3 GB" (decimal units, as Pipe's dashboards use).
pop_bytes() {
  local _b
  pop_bytes_v _b "$1"
  printf '%s' "${_b}"
}

# pop_bytes_v VAR BYTES: the same into VAR.
pop_bytes_v() {
  local _n="$2" _unit="B" _div=1
  if [[ ! "${_n}" =~ ^[0-9]+$ ]]; then
    printf -v "$1" '%s' "-"
    return 0
  fi
  if ((_n >= 1000000000000)); then
    _unit="TB" _div=1000000000000
  elif ((_n >= 1000000000)); then
    _unit="GB" _div=1000000000
  elif ((_n >= 1000000)); then
    _unit="MB" _div=1000000
  elif ((_n >= 1000)); then
    _unit="kB" _div=1000
  fi
  if ((_div == 1)); then
    printf -v "$1" '%d B' "${_n}"
  else
    printf -v "$1" '%d.%d %s' "$((_n / _div))" "$((_n % _div * 10 / _div))" "${_unit}"
  fi
}

# Parts per million as "0.9123".
pop_ppm() {
  local _p
  pop_ppm_v _p "$1"
  printf '%s' "${_p}"
}

# pop_ppm_v VAR PPM: the same into VAR.
pop_ppm_v() {
  local _v="$2"
  printf -v "$1" '%d.%04d' "$((_v / 1000000))" "$((_v % 1000000 / 100))"
}

# --- validation (allow-lists for every value that reaches a file or a command) ---------------------

# pop_arg REGEX MESSAGE OPTION [VALUE ...]: a usage error unless the option's VALUE is there and matches.
pop_arg() {
  if (($# < 4)) || [[ ! "$4" =~ $1 ]]; then
    pop_usage_error "$2"
  fi
}

pop_is_uint() { [[ "$1" =~ ^[0-9]{1,9}$ ]]; }

pop_valid_path() {
  local p="$1"
  [[ "${p}" =~ ^/[A-Za-z0-9._/+@-]*$ ]] || return 1
  [[ "/${p}/" != */../* && "/${p}/" != */./* ]] || return 1
  return 0
}

pop_valid_version() { [[ "$1" =~ ^v?[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}$ ]]; }

pop_valid_sha256() { [[ "$1" =~ ^[0-9a-f]{64}$ ]]; }

# Solana public address: base58 (no 0, O, I, l), 32–44 characters.
pop_valid_wallet() { [[ "$1" =~ ^[1-9A-HJ-NP-Za-km-z]{32,44}$ ]]; }

pop_valid_node_name() { [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ ]]; }

pop_valid_unit() { [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9@._-]{0,80}\.service$ ]]; }

pop_valid_url() { [[ "$1" =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/%+=-]*)?$ ]]; }

pop_valid_referral() { [[ "$1" =~ ^[A-Za-z0-9]{6,64}$ ]]; }

pop_valid_node_id() { [[ "$1" =~ ^[A-Za-z0-9-]{8,64}$ ]]; }

pop_have() { command -v "$1" >/dev/null 2>&1; }

# pop_need TOOL WHAT: fail with missing_dependency when TOOL is not installed.
pop_need() {
  local tool="$1" what="$2"
  if ! pop_have "${tool}"; then
    pop_fail missing_dependency "${what} needs '${tool}'$(pop_need_hint "${tool}"), which is not installed on this node (see: pop check)"
  fi
}

# What to install for a tool that is not a plain package of the same name (printed after its name).
pop_need_hint() {
  case "$1" in
    awk) printf ' (any POSIX awk: mawk, gawk or busybox awk; history and collect use it)' ;;
    sha256sum | timeout | date | df | stat | mktemp | base64) printf ' (coreutils)' ;;
  esac
}

# Reads KEY=VALUE from a file without sourcing it. Prints the value; returns 1 when absent.
pop_kv_get() {
  local file="$1" key="$2" line k v
  [[ -r "${file}" ]] || return 1
  while IFS= read -r line || [[ -n "${line}" ]]; do
    [[ "${line}" == *=* ]] || continue
    k="${line%%=*}"
    v="${line#*=}"
    if [[ "${k}" == "${key}" ]]; then
      if [[ "${v}" =~ ^\"(.*)\"$ || "${v}" =~ ^\'(.*)\'$ ]]; then
        v="${BASH_REMATCH[1]}"
      fi
      printf '%s' "${v}"
      return 0
    fi
  done <"${file}"
  return 1
}

# pop_kv_get_v VAR FILE KEY: the same into VAR (empty, status 1, when absent).
pop_kv_get_v() {
  local _kline _kk _kv
  printf -v "$1" '%s' ""
  [[ -r "$2" ]] || return 1
  while IFS= read -r _kline || [[ -n "${_kline}" ]]; do
    [[ "${_kline}" == *=* ]] || continue
    _kk="${_kline%%=*}"
    _kv="${_kline#*=}"
    if [[ "${_kk}" == "$3" ]]; then
      if [[ "${_kv}" =~ ^\"(.*)\"$ || "${_kv}" =~ ^\'(.*)\'$ ]]; then
        _kv="${BASH_REMATCH[1]}"
      fi
      printf -v "$1" '%s' "${_kv}"
      return 0
    fi
  done <"$2"
  return 1
}

# Sets KEY=VALUE in a file atomically (value already validated by the caller).
pop_kv_set() {
  pop_kv_set_many "$1" "$2=$3"
}

# pop_kv_set_many FILE KEY=VALUE...: every pair in one atomic rewrite (values already validated), so a
# failure leaves the file exactly as it was. The file keeps its mode (0644 for a new one).
pop_kv_set_many() {
  local file="$1" mode=644
  if [[ -e "${file}" ]]; then
    mode="$(stat -c %a "${file}")" || return 1
  fi
  pop_kv_render "$@" | pop_write_atomic "${file}" "${mode}"
}

# pop_kv_render FILE KEY=VALUE...: prints FILE with the pairs set (replaced in place, new ones at the end).
pop_kv_render() {
  local file="$1" line pair k
  shift
  local -A want=() done_keys=()
  for pair in "$@"; do
    want["${pair%%=*}"]="${pair#*=}"
  done
  if [[ -r "${file}" ]]; then
    while IFS= read -r line || [[ -n "${line}" ]]; do
      k="${line%%=*}"
      if [[ "${line}" == *=* && -n "${k}" && -n "${want[${k}]+set}" ]]; then
        printf '%s=%s\n' "${k}" "${want[${k}]}"
        done_keys["${k}"]=1
      else
        printf '%s\n' "${line}"
      fi
    done <"${file}"
  fi
  for pair in "$@"; do
    k="${pair%%=*}"
    if [[ -z "${done_keys[${k}]+set}" ]]; then
      printf '%s=%s\n' "${k}" "${want[${k}]}"
      done_keys["${k}"]=1
    fi
  done
}
