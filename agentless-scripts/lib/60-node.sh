# shellcheck shell=bash
# shellcheck disable=SC2034,SC2120 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# The node itself: identity, binary, reputation (Pipe's formula over the 7×24 hourly report grid), metrics.

# Sets ID_STATE (present|missing|corrupt) and ID_NODE_ID. Reads only node_id; never prints other fields.
# The file also holds the node's Pipe token: --debug's trace (set -x) would print every line that touches the
# file's content, so the trace is off while it is read and back on after.
pop_identity() {
  if [[ "$-" == *x* ]]; then
    set +x
    pop_identity_read
    set -x
  else
    pop_identity_read
  fi
}

pop_identity_read() {
  local file content=""
  ID_STATE=missing ID_NODE_ID=""
  file="${POP_ROOT}${POP_DATA_DIR}/${POP_IDENTITY_FILE}"
  [[ -e "${file}" ]] || return 0
  if [[ -r "${file}" ]]; then
    # The first 64 KiB without NUL bytes. read skips NULs without counting them, so a file it cannot read whole
    # below that size is read as before, by head and tr.
    IFS= read -r -N 65536 -d '' content <"${file}" 2>/dev/null || true
    if ((${#content} >= 65536)); then
      content="$(head -c 65536 "${file}" 2>/dev/null | tr -d '\000' || true)"
    fi
  else
    # The service user's file: read through the read:identity rule (permission_denied names it when missing).
    pop_priv_allowed read:identity cat "${file}" || pop_priv_denied read:identity "reading the identity ${file}"
    content="$(pop_priv read:identity cat "${file}" 2>/dev/null | head -c 65536 | tr -d '\000' || true)"
  fi
  local id=""
  if [[ "${content}" =~ \"node_id\"[[:space:]]*:[[:space:]]*\"([^\"]*)\" ]]; then
    id="${BASH_REMATCH[1]}"
  fi
  if [[ "${content}" =~ ^[[:space:]]*\{.*\}[[:space:]]*$ ]] && pop_valid_node_id "${id}"; then
    ID_STATE=present
    ID_NODE_ID="${id}"
  else
    ID_STATE=corrupt
  fi
}

# Runs the node binary with bounded time, from the node's working directory.
pop_run_binary() {
  local as_service=0
  # The node's token is the service user's: another login runs the binary as that user (pop_binary_require
  # checks the rule first, in the calling shell).
  pop_binary_as_service && as_service=1
  (pop_binary_exec "${as_service}" "$@")
}

# pop_binary_exec AS_SERVICE ARGS...: becomes the node binary (through timeout, and sudo as the service user when
# AS_SERVICE is 1) in the node's working directory. Only in a subshell: it replaces the shell it runs in.
pop_binary_exec() {
  local as_service="$1" binary="${POP_ROOT}${POP_BINARY}" workdir="${POP_ROOT}${POP_DATA_DIR}"
  shift
  [[ -d "${workdir}" ]] || workdir="/"
  cd "${workdir}" || exit
  if [[ "${as_service}" == 1 ]]; then
    exec timeout "${POP_COMMAND_TIMEOUT}" sudo -n -u "${POP_SERVICE_USER}" -- "${binary}" "$@"
  fi
  exec timeout "${POP_COMMAND_TIMEOUT}" "${binary}" "$@"
}

# pop_binary_capture ARGS...: runs the node binary like pop_run_binary; its first 64 KiB of output (stdout and
# stderr) in BC_OUT, its exit status in BC_RC. Read here, not through head and a command substitution.
pop_binary_capture() {
  local as_service=0
  BC_OUT="" BC_RC=0
  pop_binary_as_service && as_service=1
  IFS= read -r -N 65536 -d '' BC_OUT < <(pop_binary_exec "${as_service}" "$@" 2>&1) || true
  wait "$!" || BC_RC=$?
}

# Sets BIN_STATE (ok|missing|broken) and BIN_VERSION for a binary path (default: the installed one).
pop_binary_version() {
  local binary="${1:-${POP_ROOT}${POP_BINARY}}" out=""
  BIN_STATE=missing BIN_VERSION=""
  [[ -e "${binary}" ]] || return 0
  BIN_STATE=broken
  [[ -x "${binary}" ]] || return 0
  # Its first 4 KiB, read here rather than through head.
  IFS= read -r -N 4096 -d '' out < <(timeout 10 "${binary}" --version 2>/dev/null) || true
  if [[ "${out}" =~ ([0-9]+\.[0-9]+\.[0-9]+) ]]; then
    BIN_STATE=ok
    BIN_VERSION="${BASH_REMATCH[1]}"
  fi
}

pop_reports_file() { pop_path "${POP_STATE_DIR}/reports.tsv"; }
pop_history_file() { pop_path "${POP_STATE_DIR}/history.tsv"; }

# Reputation over the last 7 days from the hourly report grid (REPORT lines: HOUR_EPOCH UPTIME_S EGRESS_B).
# Pipe's formula: uptime 40 % + historical 30 % + egress 30 %. Sets REP_* (parts per million) and REP_GRID
# (168 hourly uptimes in seconds, oldest first). The hours the service has run without a break since it last
# started count as up even where no `collect` reported them (call after svc_status), so an unscheduled collect
# does not make a running node look down. Egress is what collect took from the node's counters, plus what the
# counters grew by since; with nothing collected yet, the host's counters since boot (REP_EGRESS_COUNTER says
# which: collected, interface or none).
pop_reputation() {
  local file now now_hour start hour up eg idx total_up=0 total_eg=0 good=0 d since from h covered line rest
  local overlay=-1
  local -a hours_per_day=(0 0 0 0 0 0 0) rows=()
  printf -v now '%(%s)T' -1
  now_hour=$((now / 3600 * 3600))
  start=$((now_hour - 167 * 3600))
  REP_START="${start}"
  file="${POP_ROOT}${POP_STATE_DIR}/reports.tsv"
  since="${SVC_SINCE:-}"
  if [[ "${SVC_STATE:-}" == running && -n "${since}" && "${since}" != *[!0-9]* ]] && ((since <= now)); then
    overlay="${since}"
  fi
  # One awk over the grid where there is one (bash takes ten times longer over the same 168 lines); the same
  # figures in bash otherwise.
  if [[ -r "${file}" ]] && pop_have awk && pop_reputation_awk "${file}" "${start}" "${now}" "${overlay}"; then
    total_eg="${RA_EGRESS}" total_up="${RA_UP}" good="${RA_GOOD}"
  else
    # 168 zeros; globs and arithmetic below, not a regular expression per line (bash compiles one for every
    # =~ it evaluates).
    printf -v idx '%0168d' 0
    read -r -a REP_GRID <<<"${idx//0/0 }"
    if [[ -r "${file}" ]]; then
      # A line "HOUR UPTIME EGRESS" is split here; any other line goes through read. A last line without its
      # newline is left out, as a read loop leaves it.
      mapfile rows <"${file}"
      for line in "${rows[@]}"; do
        [[ "${line}" == *$'\n' ]] || continue
        line="${line%$'\n'}"
        hour="${line%% *}" rest="${line#* }"
        up="${rest%% *}" eg="${rest#* }"
        if [[ "${line}" != *' '*' '* || "${hour}${up}${eg}" == *[!0-9]* ]]; then
          read -r hour up eg <<<"${line}" || true
        fi
        [[ -n "${hour}" && -n "${up}" && -n "${eg}" && "${hour}${up}${eg}" != *[!0-9]* ]] || continue
        ((hour >= start && hour <= now_hour)) || continue
        ((up > 3600)) && up=3600
        idx=$(((hour - start) / 3600))
        REP_GRID[idx]="${up}"
        total_eg=$((total_eg + eg))
      done
    fi
    if ((overlay >= 0)); then
      from=$((since / 3600 * 3600))
      ((from < start)) && from="${start}"
      for ((h = from; h <= now_hour; h += 3600)); do
        covered=$(((now < h + 3600 ? now : h + 3600) - (since > h ? since : h)))
        idx=$(((h - start) / 3600))
        ((covered > REP_GRID[idx])) && REP_GRID[idx]="${covered}"
      done
    fi
    for ((idx = 0; idx < 168; idx++)); do
      total_up=$((total_up + REP_GRID[idx]))
      ((REP_GRID[idx] > 0)) && hours_per_day[idx / 24]=$((hours_per_day[idx / 24] + 1))
    done
    for d in "${hours_per_day[@]}"; do
      ((d >= 18)) && good=$((good + 1))
    done
  fi
  pop_egress_pending "${total_eg}"
  REP_UPTIME_7D="${total_up}"
  REP_EGRESS_7D="${REP_EGRESS_TOTAL}"
  REP_GOOD_DAYS="${good}"
  REP_U=$((total_up * 1000000 / 604800))
  ((REP_U > 1000000)) && REP_U=1000000
  REP_H=$((good * 1000000 / 7))
  REP_E=$((REP_EGRESS_7D / 7000000))
  ((REP_E > 1000000)) && REP_E=1000000
  REP_PPM=$(((4 * REP_U + 3 * REP_H + 3 * REP_E) / 10))
  pop_band_v REP_BAND "${REP_PPM}"
  REP_SOURCE=estimate
  return 0
}

# The grid in awk: the same rules as pop_reputation's bash loop. A line counts when it is exactly three whole
# numbers; numbers bash would read differently (a leading 0 is octal there, more than 15 digits do not fit a
# double) make it answer nothing, and pop_reputation does it in bash.
# shellcheck disable=SC2016 # awk's $1, not the shell's
POP_REPUTATION_AWK='
BEGIN { for (i = 0; i < 168; i++) g[i] = 0; te = 0; bad = 0; nowh = start + 167 * 3600 }
NR == skip { next }
NF == 3 && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ {
  if ($0 ~ /(^|[ \t])0[0-9]/ || length($1) > 15 || length($2) > 15 || length($3) > 15) { bad = 1; exit }
  h = $1 + 0
  if (h < start || h > nowh) next
  u = $2 + 0
  if (u > 3600) u = 3600
  g[int((h - start) / 3600)] = u
  te += $3
}
END {
  if (bad || te >= 9007199254740992) exit
  if (since >= 0) {
    from = int(since / 3600) * 3600
    if (from < start) from = start
    for (h = from; h <= nowh; h += 3600) {
      c = (now < h + 3600 ? now : h + 3600) - (since > h ? since : h)
      i = int((h - start) / 3600)
      if (c > g[i]) g[i] = c
    }
  }
  tu = 0; good = 0
  for (d = 0; d < 7; d++) {
    n = 0
    for (i = d * 24; i < d * 24 + 24; i++) { tu += g[i]; if (g[i] > 0) n++ }
    if (n >= 18) good++
  }
  printf "ok %.0f %.0f %d", te, tu, good
  for (i = 0; i < 168; i++) printf " %.0f", g[i]
  printf "\n"
}'

# pop_reputation_awk FILE START NOW SINCE (-1: the service does not run): REP_GRID, RA_EGRESS, RA_UP and RA_GOOD
# from the report grid; status 1 when awk gave no answer.
pop_reputation_awk() {
  local file="$1" skip=0 rows=() out=()
  # A last line without its newline is left out, as pop_reputation's read loop leaves it.
  mapfile rows <"${file}"
  if ((${#rows[@]} > 0)) && [[ "${rows[${#rows[@]} - 1]}" != *$'\n' ]]; then
    skip="${#rows[@]}"
  fi
  read -r -a out < <(awk -v start="$2" -v now="$3" -v since="$4" -v skip="${skip}" "${POP_REPUTATION_AWK}" \
    "${file}" 2>/dev/null) || true
  [[ "${out[0]:-}" == ok && "${#out[@]}" == 172 ]] || return 1
  RA_EGRESS="${out[1]}" RA_UP="${out[2]}" RA_GOOD="${out[3]}"
  REP_GRID=("${out[@]:4}")
}

# pop_egress_pending COLLECTED: 7-day egress in REP_EGRESS_TOTAL from what collect recorded (COLLECTED bytes)
# and the counters since the last collect, and REP_EGRESS_COUNTER. Counters that went backwards were reset (a
# reboot): everything they show now is new.
pop_egress_pending() {
  local collected="$1" tx grown up last=""
  REP_EGRESS_TOTAL="${collected}" REP_EGRESS_COUNTER=none
  ((collected > 0)) && REP_EGRESS_COUNTER=collected
  [[ "${SVC_STATE:-}" == running ]] || return 0
  pop_egress_counter
  [[ -n "${CNT_KIND}" ]] || return 0
  pop_kv_get_v last "${POP_ROOT}${POP_STATE_DIR}/collect.state" LAST_TX 2>/dev/null || true
  pop_counter_growth_v grown "${last}"
  if [[ -n "${grown}" ]]; then
    REP_EGRESS_TOTAL=$((collected + grown)) REP_EGRESS_COUNTER=collected
  elif ((collected == 0)); then
    REP_EGRESS_TOTAL="$(pop_counter_week)" REP_EGRESS_COUNTER="${CNT_KIND}"
  fi
  return 0
}

# The counter since it started (the unit's since the service started, the host's since boot), scaled to 7 days
# when that was longer ago: the egress estimate before anything was collected. After pop_egress_counter.
pop_counter_week() {
  local tx="${CNT_BYTES:-0}" up="" now
  if [[ "${CNT_KIND}" == unit ]]; then
    pop_now_v now
    [[ "${SVC_SINCE:-}" =~ ^[0-9]+$ ]] && up=$((now - SVC_SINCE))
  else
    up="$(pop_host_uptime)"
  fi
  if [[ "${up}" =~ ^[0-9]+$ ]] && ((up > 604800)); then
    local per_second=$((tx / up))
    tx=$((per_second * 604800))
  fi
  printf '%s' "${tx}"
}

# Pipe's reputation bands, best first, as BAND:FLOOR with the floor in parts per million: a score at or above a
# floor is in that band. Part of the --json contract (docs/node-json.md); the controller's ReputationBand holds
# the same numbers and a test compares them with this tool's answers. Floors stay multiples of 100 ppm, so the
# four-decimal score in an answer always falls in the band the answer names.
POP_REPUTATION_BANDS=(excellent:900000 good:800000 fair:700000 poor:0)

pop_band() {
  local b
  pop_band_v b "$1"
  [[ -z "${b}" ]] || echo "${b}"
}

# pop_band_v VAR PPM: the band into VAR (empty for none).
pop_band_v() {
  local _bv="$2" _bentry
  printf -v "$1" '%s' ""
  for _bentry in "${POP_REPUTATION_BANDS[@]}"; do
    if ((_bv >= ${_bentry#*:})); then
      printf -v "$1" '%s' "${_bentry%%:*}"
      return 0
    fi
  done
}

# JSON for the reputation block. source names where the score came from ("binary": the node binary's --status;
# "popfleet-estimate": this tool's estimate, the value v1 always had); sources says it per figure.
pop_reputation_json() {
  local r
  pop_reputation_json_v r
  printf '%s' "${r}"
}

# pop_reputation_json_v VAR: the same into VAR.
pop_reputation_json_v() {
  local src="${REP_SOURCE:-estimate}" score band u h e comp days up7 eg7 source s est sources counter
  pop_ppm_v score "${REP_PPM}"
  js_v band "${REP_BAND}"
  pop_ppm_v u "${REP_U}"
  pop_ppm_v h "${REP_H}"
  pop_ppm_v e "${REP_E}"
  jo_v comp uptime "${u}" historical "${h}" egress "${e}"
  jn_v days "${REP_GOOD_DAYS}"
  jn_v up7 "${REP_UPTIME_7D}"
  jn_v eg7 "${REP_EGRESS_7D}"
  if [[ "${src}" == binary ]]; then js_v source binary; else js_v source popfleet-estimate; fi
  js_v s "${src}"
  js_v est estimate
  jo_v sources score "${s}" uptime "${s}" historical "${s}" egress "${s}" good_days "${est}" \
    uptime_seconds_7d "${est}" egress_bytes_7d "${est}"
  js_v counter "${REP_EGRESS_COUNTER:-none}"
  jo_v "$1" score "${score}" band "${band}" components "${comp}" good_days "${days}" uptime_seconds_7d "${up7}" \
    egress_bytes_7d "${eg7}" source "${source}" sources "${sources}" egress_counter "${counter}"
}

# Adds one hourly report for the time since the last collect and appends a metrics sample.
pop_collect_sample() {
  local now hour file last delta=0 eg=0 tmp line h u e found=0 hist tx last_tx
  pop_now_v now
  hour=$((now / 3600 * 3600))
  svc_status
  last="$(pop_kv_get "$(pop_path "${POP_STATE_DIR}/collect.state")" LAST 2>/dev/null || true)"
  if [[ "${SVC_STATE}" == running ]]; then
    if [[ "${last}" =~ ^[0-9]+$ ]]; then
      delta=$((now - last))
    else
      delta=300
    fi
    if [[ "${SVC_SINCE}" =~ ^[0-9]+$ ]] && ((now - SVC_SINCE < delta)); then
      delta=$((now - SVC_SINCE))
    fi
    ((delta > 3600)) && delta=3600
    ((delta < 0)) && delta=0
  fi
  # Egress from the node's own counters: what they grew by since the last collect, while the service ran.
  pop_egress_counter
  tx="${CNT_VALUE}"
  last_tx="$(pop_kv_get "$(pop_path "${POP_STATE_DIR}/collect.state")" LAST_TX 2>/dev/null || true)"
  if [[ "${SVC_STATE}" == running ]]; then
    eg="$(pop_counter_growth "${last_tx}")"
    # The first collect takes over what the answers estimated until now, so the 7-day egress does not drop.
    if [[ -z "${eg}" && -z "${last_tx}" && -n "${CNT_KIND}" ]]; then
      eg="$(pop_counter_week)"
    fi
    eg="${eg:-0}"
  fi
  file="$(pop_reports_file)"
  mkdir -p "${file%/*}"
  tmp="${file}.tmp.$$"
  {
    if [[ -r "${file}" ]]; then
      while read -r h u e; do
        [[ "${h}" =~ ^[0-9]+$ ]] || continue
        ((h < now - 8 * 86400)) && continue
        if ((h == hour)); then
          u=$((u + delta))
          ((u > 3600)) && u=3600
          e=$((e + eg))
          found=1
        fi
        printf '%s %s %s\n' "${h}" "${u}" "${e}"
      done <"${file}"
    fi
    if ((found == 0)); then
      printf '%s %s %s\n' "${hour}" "${delta}" "${eg}"
    fi
  } >"${tmp}"
  mv -f "${tmp}" "${file}"
  {
    printf 'LAST=%s\n' "${now}"
    if [[ -n "${tx}" ]]; then
      printf 'LAST_TX=%s\n' "${tx}"
    fi
  } >"$(pop_path "${POP_STATE_DIR}/collect.state")"
  pop_reputation
  plat_disk "${POP_DATA_DIR}"
  line="${now} ${SVC_STATE} ${REP_PPM} ${REP_U} ${REP_H} ${REP_E} ${REP_EGRESS_7D} ${DISK_FREE:-0} ${DISK_TOTAL:-0} ${SVC_RESTARTS}"
  hist="$(pop_history_file)"
  printf '%s\n' "${line}" >>"${hist}"
  SAMPLE_TIME="${now}"
}

# One history line as JSON.
pop_history_json() {
  local t="$1" state="$2" rep="$3" u="$4" h="$5" e="$6" eg="$7" free="$8" total="$9" restarts="${10}"
  jo time "$(js "$(pop_iso_time "${t}")")" service "$(js "${state}")" reputation "$(pop_ppm "${rep}")" \
    uptime_score "$(pop_ppm "${u}")" historical_score "$(pop_ppm "${h}")" egress_score "$(pop_ppm "${e}")" \
    egress_bytes_7d "$(jn "${eg}")" disk_free_bytes "$(jn "${free}")" disk_total_bytes "$(jn "${total}")" \
    restarts "$(jn "${restarts}")"
}

# The shared status snapshot (status, pulse, dashboard, health use it). Sets SNAP_* and the others above, and
# PORT_OWNER for 8003, 80 and 443 (plat_ports_scan). One systemctl call, one ss call and one --version.
pop_snapshot() {
  local since_manager now
  svc_status
  since_manager="${SVC_SINCE}"
  # A manager that does not say since when the service runs: the process's own start time.
  if [[ "${SVC_STATE}" == running && -z "${SVC_SINCE}" ]]; then
    SVC_SINCE="$(pop_process_since "${SVC_PID}")"
  fi
  pop_identity
  pop_binary_version
  pop_reputation
  plat_disk "${POP_DATA_DIR}"
  plat_mem
  SNAP_UPTIME=""
  if [[ "${SVC_SINCE}" =~ ^[0-9]+$ ]]; then
    printf -v now '%(%s)T' -1
    SNAP_UPTIME=$((now - SVC_SINCE))
  fi
  plat_ports_scan 8003 80 443
  SNAP_HEALTHY=0
  svc_healthy_as_read && SNAP_HEALTHY=1
  # What the manager said, as after svc_healthy's own svc_status: the process's start time stood in for the
  # uptime only.
  SVC_SINCE="${since_manager}"
  pop_node_get_v SNAP_WALLET PUBKEY ""
  pop_unit_wallet
  pop_process_flags
  # The binary was just asked for its version: the figure calls below do not ask again.
  POP_BINARY_CHECKED=1
  pop_binary_status
  pop_figures_merge
  pop_binary_points
  POP_BINARY_CHECKED=0
  SNAP_POINTS="${FIG_POINTS}"
  case "${BS_STATE}" in
    ok) SNAP_AUTH=ok ;;
    auth_expired) SNAP_AUTH=expired ;;
    *) pop_auth_recorded_v SNAP_AUTH ;;
  esac
}

# The wallet in the unit's --pubKey (the PoP Fleet drop-in first, then the unit itself) in UNIT_WALLET, empty
# when neither names one. Units edited by hand make it drift from node.conf.
pop_unit_wallet() {
  local unit text parts=()
  UNIT_WALLET=""
  for unit in "${POP_ROOT}${POP_UNIT_DIR}/${POP_UNIT}.d/popfleet.conf" "${POP_ROOT}${POP_UNIT_DIR}/${POP_UNIT}"; do
    [[ -r "${unit}" ]] || continue
    # Its text as a command substitution would read it (NUL bytes dropped), without the subshell.
    parts=()
    mapfile -d '' parts <"${unit}" || true
    printf -v text '%s' "${parts[@]}"
    if [[ "${text}" =~ --pubKey[=\ ]+([1-9A-HJ-NP-Za-km-z]{32,44}) ]]; then
      UNIT_WALLET="${BASH_REMATCH[1]}"
      return 0
    fi
  done
}

# What the running process was started with: PROC_KNOWN=1 when its arguments could be read, then PROC_WALLET
# (its --pubKey, empty for none) and PROC_80_443 (1 with --enable-80-443). A setting changed without a restart
# shows here as a difference from node.conf. Call after svc_status.
pop_process_flags() {
  local file args=() i
  PROC_KNOWN=0 PROC_WALLET="" PROC_80_443=0
  [[ "${SVC_PID}" =~ ^[1-9][0-9]*$ && -r "/proc/${SVC_PID}/cmdline" ]] || return 0
  file="/proc/${SVC_PID}/cmdline"
  mapfile -d '' -t args <"${file}" 2>/dev/null || return 0
  ((${#args[@]} > 0)) || return 0
  PROC_KNOWN=1
  for ((i = 1; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
      --pubKey) PROC_WALLET="${args[i + 1]:-}" ;;
      --pubKey=*) PROC_WALLET="${args[i]#--pubKey=}" ;;
      --enable-80-443) PROC_80_443=1 ;;
    esac
  done
}

pop_config_json() {
  local r
  pop_config_json_v r
  printf '%s' "${r}"
}

pop_config_json_v() {
  local e8 e8j uw
  pop_node_get_v e8 ENABLE_80_443 0
  jb_v e8j "${e8}"
  jsn_v uw "${UNIT_WALLET}"
  jo_v "$1" enable_80_443 "${e8j}" unit_wallet "${uw}"
}

pop_process_json() {
  local r
  pop_process_json_v r
  printf '%s' "${r}"
}

pop_process_json_v() {
  local w e8
  if [[ "${PROC_KNOWN}" == 1 ]]; then
    jsn_v w "${PROC_WALLET}"
    jb_v e8 "${PROC_80_443}"
    jo_v "$1" wallet "${w}" enable_80_443 "${e8}"
  else
    printf -v "$1" null
  fi
}

pop_service_json() {
  local r
  pop_service_json_v r
  printf '%s' "${r}"
}

pop_service_json_v() {
  local st he pid since="null" up rs mgr unit
  js_v st "${SVC_STATE}"
  jb_v he "${SNAP_HEALTHY}"
  jn_v pid "${SVC_PID}"
  if [[ -n "${SVC_SINCE}" ]]; then
    pop_iso_time_v since "${SVC_SINCE}"
    js_v since "${since}"
  fi
  jn_v up "${SNAP_UPTIME}"
  jn_v rs "${SVC_RESTARTS}"
  js_v mgr "${POP_SERVICE_MANAGER}"
  js_v unit "${POP_UNIT}"
  jo_v "$1" state "${st}" healthy "${he}" pid "${pid}" since "${since}" uptime_seconds "${up}" restarts "${rs}" \
    manager "${mgr}" unit "${unit}"
}

# pop_ports_json_v VAR: 8003, 80 and 443 as pop_snapshot found them (PORT_OWNER).
pop_ports_json_v() {
  local p owner st holder item items=()
  for p in 8003 80 443; do
    owner="${PORT_OWNER[${p}]:-free}"
    js_v st "${owner%%:*}"
    holder=""
    [[ "${owner}" == taken:* ]] && holder="${owner#taken:}"
    jsn_v holder "${holder}"
    jo_v item port "${p}" status "${st}" holder "${holder}"
    items+=("${item}")
  done
  ja_v "$1" "${items[@]}"
}

# Hides anything that looks like a token or key (long runs of hex/base64) in text from the node binary. A
# UUID stays: it is how the binary names the node (its node_id, which every status shows anyway).
pop_redact() {
  local r
  pop_redact_v r "$1"
  printf '%s' "${r}"
}

# pop_redact_v VAR TEXT: the same into VAR.
pop_redact_v() {
  local _rs="$2" _rout="" _rm
  # Shorter text cannot hold a run of 24.
  while ((${#_rs} >= 24)) && [[ "${_rs}" =~ ([A-Za-z0-9+/_=-]{24,}) ]]; do
    _rm="${BASH_REMATCH[1]}"
    _rout+="${_rs%%"${_rm}"*}"
    if [[ "${_rm}" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]; then
      _rout+="${_rm}"
    else
      _rout+="[redacted]"
    fi
    _rs="${_rs#*"${_rm}"}"
  done
  printf -v "$1" '%s' "${_rout}${_rs}"
}

# Is version A newer than version B? (coreutils sort -V)
pop_version_newer() {
  local a="${1#v}" b="${2#v}"
  [[ "${a}" != "${b}" && "$(printf '%s\n%s\n' "${a}" "${b}" | sort -V | tail -n 1)" == "${a}" ]]
}

# Reads the version manifest (KEY=VALUE lines: version, url, sha256) from a file or URL [our format].
# Sets MF_VERSION, MF_URL, MF_SHA256. Returns 1 when no manifest is configured.
pop_read_manifest() {
  local src="${1:-${POP_VERSION_MANIFEST}}" text line k v
  MF_VERSION="" MF_URL="" MF_SHA256=""
  [[ -n "${src}" ]] || return 1
  if pop_valid_url "${src}"; then
    pop_need curl "reading a version manifest from a URL"
    text="$(curl -fsS --max-time 20 --proto '=http,https' "${src}" 2>/dev/null | head -c 16384)" ||
      pop_fail remote_error "could not fetch the version manifest ${src}"
  elif pop_valid_path "${src}" && [[ -r "${src}" ]]; then
    text="$(head -c 16384 "${src}")"
  else
    pop_fail not_found "version manifest not found: $(pop_q "${src}")"
  fi
  while IFS= read -r line; do
    k="${line%%=*}"
    v="${line#*=}"
    case "${k}" in
      version) pop_valid_version "${v}" && MF_VERSION="${v#v}" ;;
      url) pop_valid_url "${v}" && MF_URL="${v}" ;;
      sha256) pop_valid_sha256 "${v}" && MF_SHA256="${v}" ;;
    esac
  done <<<"${text}"
  [[ -n "${MF_VERSION}" ]] || pop_fail bad_manifest "the version manifest has no valid version= line"
  return 0
}

# Runs the node binary with one informational flag; sets BC_RC and BC_LINES (redacted output lines).
pop_binary_call() {
  local out line
  BC_LINES=()
  pop_binary_version
  [[ "${BIN_STATE}" == ok ]] || pop_fail not_installed "the node binary ${POP_BINARY} is ${BIN_STATE}"
  pop_binary_require "$@"
  pop_binary_capture "$@"
  while IFS= read -r line; do
    [[ -n "${line}" ]] || continue
    pop_redact_v line "${line}"
    BC_LINES+=("${line}")
  done <<<"${BC_OUT}"
  if ((BC_RC == 124)); then
    pop_fail timeout "the node binary did not answer $1 within ${POP_COMMAND_TIMEOUT}s"
  fi
  return 0
}

# A horizontal bar for a ppm value: filled and empty cells.
# pop_bar_v VAR PPM [WIDTH]: a bar of WIDTH cells (default 20), PPM of them filled, into VAR.
pop_bar_v() {
  local _bppm="$2" _bwidth="${3:-20}" _bfilled _bi _bout=""
  _bfilled=$((_bppm * _bwidth / 1000000))
  for ((_bi = 0; _bi < _bwidth; _bi++)); do
    if ((_bi < _bfilled)); then _bout+="█"; else _bout+="░"; fi
  done
  printf -v "$1" '%s' "${_bout}"
}

# pop_spark_v VAR [N]: an uptime sparkline of the report grid's last N hours (default 24), into VAR.
pop_spark_v() {
  local _sn="${2:-24}" _si _sv _sout="" _sticks=(" " "▁" "▂" "▃" "▄" "▅" "▆" "▇" "█")
  for ((_si = 168 - _sn; _si < 168; _si++)); do
    _sv="${REP_GRID[_si]}"
    _sout+="${_sticks[$((_sv * 8 / 3600))]}"
  done
  printf -v "$1" '%s' "${_sout}"
}

# Text safe to put into HTML.
html_escape() {
  local s="$1"
  s="${s//&/&amp;}"
  s="${s//</&lt;}"
  s="${s//>/&gt;}"
  s="${s//\"/&quot;}"
  s="${s//\'/&#39;}"
  printf '%s' "${s}"
}
