# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# The node's own figures: what the Pipe binary says (--status, --points, --refresh) and the node's own counters
# (network interface, service start). Every figure is reported with where it came from: "binary" or "estimate".
#
# The binary's text is not a documented interface. The parsers look for labelled values, not for exact
# layout (docs/node-json.md, "Figures from the node binary"); output in which none of the labels they know
# appears is an unknown format: the commands that exist to read it fail with bad_output, status says so in
# data.binary_status rather than passing a silent 0.

# Does any line read like Pipe refusing an expired or invalid token?
pop_lines_auth_expired() {
  local line low
  for line in "$@"; do
    low="${line,,}"
    if [[ "${low}" =~ (^|[^0-9])401([^0-9]|$) || "${low}" == *unauthori[sz]ed* || "${low}" =~ token[[:space:]]+(has[[:space:]]+)?expired ||
      "${low}" == *"expired token"* ]]; then
      return 0
    fi
  done
  return 1
}

# A decimal score as the binary prints it ("0.700", "1", "70 %") in parts per million; returns 1 when it is not
# a score between 0 and 1.
pop_score_ppm() {
  local r
  pop_score_ppm_v r "$1" || return 1
  printf '%s' "${r}"
}

# pop_score_ppm_v VAR TEXT: the same into VAR (left alone when TEXT is not a score).
pop_score_ppm_v() {
  local _stext="$2" _sint _sfrac _spct=0 _sppm
  if [[ "${_stext}" =~ ^([0-9]{1,3})(\.([0-9]{1,9}))?[[:space:]]*(%?)$ ]]; then
    _sint="${BASH_REMATCH[1]}" _sfrac="${BASH_REMATCH[3]}"
    [[ -n "${BASH_REMATCH[4]}" ]] && _spct=1
  else
    return 1
  fi
  _sfrac="${_sfrac}000000"
  _sfrac="${_sfrac:0:6}"
  _sppm=$((10#${_sint} * 1000000 + 10#${_sfrac}))
  ((_spct)) && _sppm=$((_sppm / 100))
  ((_sppm <= 1000000)) || return 1
  printf -v "$1" '%s' "${_sppm}"
}

# pop_parse_status_output LINE...: the reputation breakdown of `pop --status`. Sets PS_SCORE, PS_UPTIME,
# PS_HISTORICAL, PS_EGRESS (ppm) and PS_NODE_ID. Returns 0 when the score and its three components were read,
# 3 when the output is Pipe refusing an expired token, 2 for any other output (an unknown format).
pop_parse_status_output() {
  local line low
  PS_SCORE="" PS_UPTIME="" PS_HISTORICAL="" PS_EGRESS="" PS_NODE_ID=""
  for line in "$@"; do
    low="${line,,}"
    # Every label below is followed by : or =; a line without either is not compiled against four expressions.
    if [[ "${low}" != *[:=]* ]]; then
      :
    elif [[ "${low}" =~ (total|overall|reputation)[[:space:]]*(score)?[[:space:]]*[:=][[:space:]]*([0-9.]+[[:space:]]*%?) ]]; then
      pop_score_ppm_v PS_SCORE "${BASH_REMATCH[3]% }" || true
    elif [[ "${low}" =~ uptime[[:space:]]*(score)?[[:space:]]*[:=][[:space:]]*([0-9.]+[[:space:]]*%?) ]]; then
      pop_score_ppm_v PS_UPTIME "${BASH_REMATCH[2]% }" || true
    elif [[ "${low}" =~ historical[[:space:]]*(score)?[[:space:]]*[:=][[:space:]]*([0-9.]+[[:space:]]*%?) ]]; then
      pop_score_ppm_v PS_HISTORICAL "${BASH_REMATCH[2]% }" || true
    elif [[ "${low}" =~ egress[[:space:]]*(score)?[[:space:]]*[:=][[:space:]]*([0-9.]+[[:space:]]*%?) ]]; then
      pop_score_ppm_v PS_EGRESS "${BASH_REMATCH[2]% }" || true
    fi
    if [[ "${line}" == *[Ff]or*[Nn]ode* && "${line}" =~ [Ff]or[[:space:]]+[Nn]ode:?[[:space:]]+([A-Za-z0-9-]{8,64}) ]]; then
      PS_NODE_ID="${BASH_REMATCH[1]}"
    fi
  done
  if [[ -n "${PS_SCORE}" && -n "${PS_UPTIME}" && -n "${PS_HISTORICAL}" && -n "${PS_EGRESS}" ]]; then
    return 0
  fi
  PS_SCORE="" PS_UPTIME="" PS_HISTORICAL="" PS_EGRESS=""
  pop_lines_auth_expired "$@" && return 3
  return 2
}

# pop_parse_points_output LINE...: `pop --points`. Sets PT_POINTS (empty while Pipe's points are not active and
# no number is printed), PT_REFERRED and PT_ACTIVE (1 or 0). Return codes as pop_parse_status_output.
pop_parse_points_output() {
  local line low known=0 inactive=0
  PT_POINTS="" PT_REFERRED="" PT_ACTIVE=0
  for line in "$@"; do
    low="${line,,}"
    if [[ "${low}" == *"not active"* ]]; then
      inactive=1 known=1
    fi
    if [[ -z "${PT_POINTS}" && "${low}" =~ points?[[:space:]]*[:=][[:space:]]*([0-9]{1,12})([^0-9.]|$) ]]; then
      PT_POINTS="$((10#${BASH_REMATCH[1]}))" known=1
    fi
    if [[ "${low}" =~ ([0-9]{1,9})[[:space:]]+referred ]]; then
      PT_REFERRED="$((10#${BASH_REMATCH[1]}))"
    elif [[ "${low}" =~ (referred[[:space:]]+nodes|referrals)[[:space:]]*[:=][[:space:]]*([0-9]{1,9}) ]]; then
      PT_REFERRED="$((10#${BASH_REMATCH[2]}))"
    fi
  done
  if ((known)); then
    [[ -n "${PT_POINTS}" && "${inactive}" == 0 ]] && PT_ACTIVE=1
    return 0
  fi
  pop_lines_auth_expired "$@" && return 3
  return 2
}

# pop_parse_refresh_output LINE...: `pop --refresh`. Sets RF_AVAILABLE (1/0), RF_URL, RF_LATEST. An "UPDATE
# AVAILABLE" line with a "Download URL:" line announces a new version [community]; "No updates available",
# "latest version", "up to date" or a refreshed token is an answer without one. Return codes as above.
pop_parse_refresh_output() {
  local line low known=0
  RF_AVAILABLE=0 RF_URL="" RF_LATEST=""
  for line in "$@"; do
    low="${line,,}"
    if [[ "${low}" == *"update available"* && "${low}" != *"no update"* ]]; then
      RF_AVAILABLE=1 known=1
    fi
    if [[ "${line}" =~ [Dd]ownload[[:space:]]+URL:[[:space:]]*(https?://[A-Za-z0-9./_:-]+) ]]; then
      RF_URL="${BASH_REMATCH[1]}" known=1
      [[ "${RF_URL}" =~ /v?([0-9]+\.[0-9]+\.[0-9]+)/ ]] && RF_LATEST="${BASH_REMATCH[1]}"
    fi
    if [[ "${low}" == *"no update"* || "${low}" == *"latest version"* || "${low}" == *"up to date"* ||
      "${low}" == *"up-to-date"* || "${low}" =~ token[[:space:]]+(refreshed|renewed) || "${low}" == *"refreshed token"* ]]; then
      known=1
    fi
  done
  [[ -n "${RF_URL}" ]] && RF_AVAILABLE=1
  ((known)) && return 0
  pop_lines_auth_expired "$@" && return 3
  return 2
}

# --- the Pipe token, as the binary last showed it ----------------------------------------------------

# pop_binary_state_file_v VAR: where the binary's token state is recorded (pop_auth_record, pop_auth_recorded_v).
pop_binary_state_file_v() { printf -v "$1" '%s%s/binary.state' "${POP_ROOT}" "${POP_STATE_DIR}"; }

# Records what the binary's last answer said about the token (ok|expired), and since when (AUTH_AT): the file
# is written only when the state changes, so the every-poll status costs no rename. A read-only login cannot
# write the state directory; the answer at hand still carries the state, so a failed write is not an error.
pop_auth_record() {
  local file now recorded=""
  pop_binary_state_file_v file
  if [[ -r "${file}" ]]; then
    IFS= read -r recorded <"${file}" || true
    [[ "${recorded}" != "AUTH=$1" ]] || return 0
  fi
  printf -v now '%(%s)T' -1
  {
    { [[ -d "${file%/*}" ]] || mkdir -p "${file%/*}"; } && printf 'AUTH=%s\nAUTH_AT=%s\n' "$1" "${now}" >"${file}.tmp.$$" &&
      mv -f "${file}.tmp.$$" "${file}"
  } 2>/dev/null || rm -f "${file}.tmp.$$" 2>/dev/null || true
}

# pop_auth_recorded_v VAR: the token state the binary last showed (ok, expired, or unknown when it was never
# asked), into VAR.
pop_auth_recorded_v() {
  local _av _afile
  pop_binary_state_file_v _afile
  pop_kv_get_v _av "${_afile}" AUTH 2>/dev/null || true
  case "${_av}" in ok | expired) printf -v "$1" '%s' "${_av}" ;; *) printf -v "$1" unknown ;; esac
}

# pop_binary_try FLAG...: runs the node binary like pop_binary_call, but never fails the command. Sets BC_RC
# (127 when there is no usable binary, 124 on timeout) and BC_LINES.
# Within pop_snapshot (POP_BINARY_CHECKED=1) the binary's version was just read: it is not asked again.
pop_binary_try() {
  local line
  BC_LINES=() BC_RC=127
  [[ "${POP_BINARY_CHECKED:-0}" == 1 ]] || pop_binary_version
  [[ "${BIN_STATE}" == ok ]] || return 0
  pop_binary_capture "$@"
  while IFS= read -r line; do
    [[ -n "${line}" ]] || continue
    pop_redact_v line "${line}"
    BC_LINES+=("${line}")
  done <<<"${BC_OUT}"
  return 0
}

# A status must answer even when the binary hangs: its figure calls wait at most this long (seconds).
pop_figures_timeout() {
  local t
  pop_figures_timeout_v t
  printf '%s' "${t}"
}

pop_figures_timeout_v() {
  local _t="${POP_COMMAND_TIMEOUT}"
  ((_t > 10)) && _t=10
  printf -v "$1" '%s' "${_t}"
}

# The binary's answer to --status for status, pulse, dashboard and leaderboard. Sets BS_STATE: ok,
# unknown_format, auth_expired, failed (non-zero exit), timeout, or unavailable (no working binary), and
# BS_DETAIL, a sentence for people.
pop_binary_status() {
  local rc=0
  BS_STATE=unavailable BS_DETAIL="no working node binary to ask" PS_NODE_ID=""
  local limit
  pop_figures_timeout_v limit
  POP_COMMAND_TIMEOUT="${limit}" pop_binary_try --status
  ((BC_RC == 127)) && return 0
  if ((BC_RC == 124)); then
    BS_STATE=timeout BS_DETAIL="the node binary did not answer --status within ${limit}s"
    return 0
  fi
  pop_parse_status_output "${BC_LINES[@]}" || rc=$?
  case "${rc}" in
    0)
      BS_STATE=ok BS_DETAIL="reputation read from the node binary's --status"
      pop_auth_record ok
      ;;
    3)
      BS_STATE=auth_expired BS_DETAIL="Pipe refused the node's token: run pop refresh"
      pop_auth_record expired
      ;;
    *)
      if ((BC_RC != 0)); then
        BS_STATE=failed BS_DETAIL="the node binary's --status failed (exit ${BC_RC})"
      else
        BS_STATE=unknown_format BS_DETAIL="the node binary's --status output has no reputation breakdown this tool can read"
        pop_warn "${BS_DETAIL}; reputation is the tool's estimate"
      fi
      ;;
  esac
  return 0
}

# Points from the binary's --points for status and leaderboard. Sets FIG_POINTS, FIG_POINTS_SOURCE ("binary" or
# empty when the binary gave none).
pop_binary_points() {
  FIG_POINTS="" FIG_POINTS_SOURCE=""
  # A binary that just hung on --status would hang again.
  [[ "${BS_STATE:-}" == timeout ]] && return 0
  local limit
  pop_figures_timeout_v limit
  POP_COMMAND_TIMEOUT="${limit}" pop_binary_try --points
  ((BC_RC == 0)) || {
    pop_lines_auth_expired "${BC_LINES[@]}" && pop_auth_record expired
    return 0
  }
  if pop_parse_points_output "${BC_LINES[@]}"; then
    FIG_POINTS="${PT_POINTS}" FIG_POINTS_SOURCE=binary
  fi
  return 0
}

# Overlays the binary's breakdown (when pop_binary_status read one) on the estimate in REP_*; sets
# REP_SOURCE (binary|estimate).
pop_figures_merge() {
  REP_SOURCE=estimate
  if [[ "${BS_STATE:-}" == ok ]]; then
    REP_PPM="${PS_SCORE}" REP_U="${PS_UPTIME}" REP_H="${PS_HISTORICAL}" REP_E="${PS_EGRESS}"
    pop_band_v REP_BAND "${REP_PPM}"
    REP_SOURCE=binary
  fi
}

# node_id is the node the binary's answer names (it reads node_info.json itself): a node_id that differs from
# the identity file's means the binary runs from another working directory.
pop_binary_status_json() {
  local r
  pop_binary_status_json_v r
  printf '%s' "${r}"
}

pop_binary_status_json_v() {
  local st de id
  js_v st "${BS_STATE}"
  js_v de "${BS_DETAIL}"
  jsn_v id "${PS_NODE_ID}"
  jo_v "$1" state "${st}" detail "${de}" node_id "${id}"
}

# --- the node's own counters --------------------------------------------------------------------------

# The node's egress counter: CNT_KIND "unit" with systemd's count of the service's own bytes sent (IPEgressBytes,
# kept when the unit has IPAccounting=yes; it restarts from 0 with the unit), else "interface" with the host's
# (pop_tx_bytes), else empty. CNT_VALUE is "KIND:BYTES", the form collect records, so counts of different kinds
# are never subtracted from each other.
pop_egress_counter() {
  local v=""
  CNT_KIND="" CNT_BYTES="" CNT_VALUE=""
  if [[ "${SVC_EGRESS_ASKED:-0}" == 1 ]]; then
    # svc_status asked systemctl for it already.
    v="${SVC_EGRESS}"
    if [[ "${v}" =~ ^[0-9]{1,19}$ ]]; then
      CNT_KIND=unit CNT_BYTES="${v}"
    fi
  elif pop_have systemctl; then
    v="$(systemctl show "${POP_UNIT}" -p IPEgressBytes --value 2>/dev/null || true)"
    # Without accounting systemd says "[no data]" or 2^64-1 (twenty digits).
    if [[ "${v}" =~ ^[0-9]{1,19}$ ]]; then
      CNT_KIND=unit CNT_BYTES="${v}"
    fi
  fi
  if [[ -z "${CNT_KIND}" ]]; then
    pop_tx_bytes_v v
    [[ -n "${v}" ]] && CNT_KIND=interface CNT_BYTES="${v}"
  fi
  [[ -n "${CNT_KIND}" ]] && CNT_VALUE="${CNT_KIND}:${CNT_BYTES}"
  return 0
}

# pop_counter_growth LAST_VALUE: bytes the counter grew by since LAST_VALUE (a CNT_VALUE collect recorded), after
# pop_egress_counter; empty when they cannot be compared. A counter that went backwards was reset (a reboot, a
# unit restart): everything it shows now is new.
pop_counter_growth() {
  local r
  pop_counter_growth_v r "$1"
  printf '%s' "${r}"
}

# pop_counter_growth_v VAR LAST_VALUE: the same into VAR.
pop_counter_growth_v() {
  local _glast="$2" _gn
  printf -v "$1" '%s' ""
  [[ -n "${CNT_KIND}" && "${_glast}" == "${CNT_KIND}:"* ]] || return 0
  _gn="${_glast#*:}"
  [[ "${_gn}" =~ ^[0-9]{1,19}$ ]] || return 0
  if ((CNT_BYTES >= _gn)); then
    printf -v "$1" '%s' "$((CNT_BYTES - _gn))"
  else
    printf -v "$1" '%s' "${CNT_BYTES}"
  fi
}

# Bytes sent by the host's network interfaces (loopback excepted) from /proc/net/dev (under POP_ROOT, so tests
# can fake it); empty when unreadable. Interface counters count all of the host's traffic: on a host that
# runs only the PoP node that is the node's egress, and the answer says which counter it used.
pop_tx_bytes() {
  local r
  pop_tx_bytes_v r
  printf '%s' "${r}"
}

# pop_tx_bytes_v VAR: the same into VAR.
pop_tx_bytes_v() {
  local _tfile _tline _tname _trest _ttotal=0 _tseen=0
  local -a _tf
  printf -v "$1" '%s' ""
  _tfile="${POP_ROOT}/proc/net/dev"
  [[ -r "${_tfile}" ]] || return 0
  while IFS= read -r _tline; do
    [[ "${_tline}" == *:* ]] || continue
    _tname="${_tline%%:*}"
    _tname="${_tname//[[:space:]]/}"
    [[ "${_tname}" == lo || -z "${_tname}" ]] && continue
    _trest="${_tline#*:}"
    read -r -a _tf <<<"${_trest}"
    [[ "${_tf[8]:-}" =~ ^[0-9]{1,20}$ ]] || continue
    _ttotal=$((_ttotal + 10#${_tf[8]}))
    _tseen=1
  done <"${_tfile}"
  ((_tseen)) && printf -v "$1" '%s' "${_ttotal}"
  return 0
}

# Seconds since the host booted, from /proc/uptime (under POP_ROOT); empty when unreadable.
pop_host_uptime() {
  local file text
  file="$(pop_path /proc/uptime)"
  [[ -r "${file}" ]] || return 0
  text="$(<"${file}")"
  [[ "${text}" =~ ^([0-9]+) ]] && printf '%s' "${BASH_REMATCH[1]}"
  return 0
}

# When the service's process started, from /proc/PID/stat and the boot time, for a manager that does not say
# (epoch; empty when unknown).
pop_process_since() {
  local pid="$1" stat rest btime ticks
  [[ "${pid}" =~ ^[1-9][0-9]*$ && -r "/proc/${pid}/stat" ]] || return 0
  stat="$(<"/proc/${pid}/stat")"
  rest="${stat##*) }"
  local -a f
  read -r -a f <<<"${rest}"
  btime="$(grep -m1 '^btime ' /proc/stat 2>/dev/null)" || return 0
  btime="${btime#btime }"
  ticks="$(getconf CLK_TCK 2>/dev/null || echo 100)"
  [[ "${f[19]:-}" =~ ^[0-9]+$ && "${btime}" =~ ^[0-9]+$ && "${ticks}" =~ ^[1-9][0-9]*$ ]] || return 0
  printf '%s' "$((btime + f[19] / ticks))"
}

# pop_binary_refused WHAT: the node binary's call failed (BC_RC != 0). Pipe refusing the token is auth_expired
# (exit 8, recorded for health and auth); anything else is remote_error. The binary's lines go with the answer.
pop_binary_refused() {
  local what="$1" data
  data="$(jo output "$(ja_strings "${BC_LINES[@]}")")"
  if pop_lines_auth_expired "${BC_LINES[@]}"; then
    pop_auth_record expired
    pop_fail auth_expired "Pipe refused the node's token (${what}): it has expired, run pop refresh" "${data}"
  fi
  pop_fail remote_error "the node binary's ${what} failed (exit ${BC_RC})" "${data}"
}

# pop_binary_unreadable WHAT: the binary answered WHAT in a format this tool does not know: bad_output (exit 1)
# with its lines, never a silent zero or null.
pop_binary_unreadable() {
  pop_fail bad_output "the node binary's $1 output is in a format this tool does not know" \
    "$(jo output "$(ja_strings "${BC_LINES[@]}")")"
}
