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
  local file content
  ID_STATE=missing ID_NODE_ID=""
  file="$(pop_identity_path)"
  [[ -e "${file}" ]] || return 0
  if [[ -r "${file}" ]]; then
    content="$(head -c 65536 "${file}" 2>/dev/null | tr -d '\000' || true)"
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
  local binary workdir
  binary="$(pop_path "${POP_BINARY}")"
  workdir="$(pop_path "${POP_DATA_DIR}")"
  [[ -d "${workdir}" ]] || workdir="/"
  # The node's token is the service user's: another login runs the binary as that user (pop_binary_require
  # checks the rule first, in the calling shell).
  if pop_binary_as_service; then
    (cd "${workdir}" && timeout "${POP_COMMAND_TIMEOUT}" sudo -n -u "${POP_SERVICE_USER}" -- "${binary}" "$@")
    return
  fi
  (cd "${workdir}" && timeout "${POP_COMMAND_TIMEOUT}" "${binary}" "$@")
}

# Sets BIN_STATE (ok|missing|broken) and BIN_VERSION for a binary path (default: the installed one).
pop_binary_version() {
  local binary="${1:-$(pop_path "${POP_BINARY}")}" out
  BIN_STATE=missing BIN_VERSION=""
  [[ -e "${binary}" ]] || return 0
  BIN_STATE=broken
  [[ -x "${binary}" ]] || return 0
  out="$(timeout 10 "${binary}" --version 2>/dev/null | head -c 4096 || true)"
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
  local file now now_hour start hour up eg idx day total_up=0 total_eg=0 good=0 d since from h covered
  local -a hours_per_day=(0 0 0 0 0 0 0)
  REP_GRID=()
  for ((idx = 0; idx < 168; idx++)); do
    REP_GRID[idx]=0
  done
  now="$(pop_now)"
  now_hour=$((now / 3600 * 3600))
  start=$((now_hour - 167 * 3600))
  REP_START="${start}"
  file="$(pop_reports_file)"
  if [[ -r "${file}" ]]; then
    while read -r hour up eg; do
      [[ "${hour}" =~ ^[0-9]+$ && "${up}" =~ ^[0-9]+$ && "${eg}" =~ ^[0-9]+$ ]] || continue
      ((hour >= start && hour <= now_hour)) || continue
      ((up > 3600)) && up=3600
      idx=$(((hour - start) / 3600))
      REP_GRID[idx]="${up}"
      total_eg=$((total_eg + eg))
    done <"${file}"
  fi
  since="${SVC_SINCE:-}"
  if [[ "${SVC_STATE:-}" == running && "${since}" =~ ^[0-9]+$ ]] && ((since <= now)); then
    from=$((since / 3600 * 3600))
    ((from < start)) && from="${start}"
    for ((h = from; h <= now_hour; h += 3600)); do
      covered=$(((now < h + 3600 ? now : h + 3600) - (since > h ? since : h)))
      idx=$(((h - start) / 3600))
      ((covered > REP_GRID[idx])) && REP_GRID[idx]="${covered}"
    done
  fi
  for ((idx = 0; idx < 168; idx++)); do
    up="${REP_GRID[idx]}"
    total_up=$((total_up + up))
    if ((up > 0)); then
      day=$((idx / 24))
      hours_per_day[day]=$((hours_per_day[day] + 1))
    fi
  done
  for d in "${hours_per_day[@]}"; do
    ((d >= 18)) && good=$((good + 1))
  done
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
  REP_BAND="$(pop_band "${REP_PPM}")"
  REP_SOURCE=estimate
  return 0
}

# pop_egress_pending COLLECTED: 7-day egress in REP_EGRESS_TOTAL from what collect recorded (COLLECTED bytes)
# and the counters since the last collect, and REP_EGRESS_COUNTER. Counters that went backwards were reset (a
# reboot): everything they show now is new.
pop_egress_pending() {
  local collected="$1" tx grown up
  REP_EGRESS_TOTAL="${collected}" REP_EGRESS_COUNTER=none
  ((collected > 0)) && REP_EGRESS_COUNTER=collected
  [[ "${SVC_STATE:-}" == running ]] || return 0
  pop_egress_counter
  [[ -n "${CNT_KIND}" ]] || return 0
  grown="$(pop_counter_growth "$(pop_kv_get "$(pop_path "${POP_STATE_DIR}/collect.state")" LAST_TX 2>/dev/null || true)")"
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
  local tx="${CNT_BYTES:-0}" up=""
  if [[ "${CNT_KIND}" == unit ]]; then
    [[ "${SVC_SINCE:-}" =~ ^[0-9]+$ ]] && up=$(($(pop_now) - SVC_SINCE))
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
  local v="$1" entry
  for entry in "${POP_REPUTATION_BANDS[@]}"; do
    if ((v >= ${entry#*:})); then
      echo "${entry%%:*}"
      return 0
    fi
  done
}

# JSON for the reputation block. source names where the score came from ("binary": the node binary's --status;
# "popfleet-estimate": this tool's estimate, the value v1 always had); sources says it per figure.
pop_reputation_json() {
  local src="${REP_SOURCE:-estimate}"
  jo score "$(pop_ppm "${REP_PPM}")" band "$(js "${REP_BAND}")" \
    components "$(jo uptime "$(pop_ppm "${REP_U}")" historical "$(pop_ppm "${REP_H}")" \
      egress "$(pop_ppm "${REP_E}")")" \
    good_days "$(jn "${REP_GOOD_DAYS}")" uptime_seconds_7d "$(jn "${REP_UPTIME_7D}")" \
    egress_bytes_7d "$(jn "${REP_EGRESS_7D}")" \
    source "$(js "$([[ "${src}" == binary ]] && echo binary || echo popfleet-estimate)")" \
    sources "$(jo score "$(js "${src}")" uptime "$(js "${src}")" historical "$(js "${src}")" egress "$(js "${src}")" \
      good_days "$(js estimate)" uptime_seconds_7d "$(js estimate)" egress_bytes_7d "$(js estimate)")" \
    egress_counter "$(js "${REP_EGRESS_COUNTER:-none}")"
}

# Adds one hourly report for the time since the last collect and appends a metrics sample.
pop_collect_sample() {
  local now hour file last delta=0 eg=0 tmp line h u e found=0 hist tx last_tx
  now="$(pop_now)"
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

# The shared status snapshot (status, pulse, dashboard, health use it). Sets SNAP_* and the others above.
pop_snapshot() {
  svc_status
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
    SNAP_UPTIME=$(($(pop_now) - SVC_SINCE))
  fi
  SNAP_HEALTHY=0
  if svc_healthy; then
    SNAP_HEALTHY=1
  fi
  SNAP_WALLET="$(pop_node_get PUBKEY "")"
  pop_unit_wallet
  pop_process_flags
  pop_binary_status
  pop_figures_merge
  pop_binary_points
  SNAP_POINTS="${FIG_POINTS}"
  case "${BS_STATE}" in
    ok) SNAP_AUTH=ok ;;
    auth_expired) SNAP_AUTH=expired ;;
    *) SNAP_AUTH="$(pop_auth_recorded)" ;;
  esac
}

# The wallet in the unit's --pubKey (the PoP Fleet drop-in first, then the unit itself) in UNIT_WALLET, empty
# when neither names one. Units edited by hand make it drift from node.conf.
pop_unit_wallet() {
  local unit text
  UNIT_WALLET=""
  for unit in "$(pop_path "${POP_UNIT_DIR}/${POP_UNIT}.d/popfleet.conf")" "$(pop_path "${POP_UNIT_DIR}/${POP_UNIT}")"; do
    [[ -r "${unit}" ]] || continue
    text="$(<"${unit}")"
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
  file="$(svc_cmdline_file)"
  [[ -n "${file}" ]] || return 0
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
  jo enable_80_443 "$(jb "$(pop_node_get ENABLE_80_443 0)")" unit_wallet "$(jsn "${UNIT_WALLET}")"
}

pop_process_json() {
  if [[ "${PROC_KNOWN}" == 1 ]]; then
    jo wallet "$(jsn "${PROC_WALLET}")" enable_80_443 "$(jb "${PROC_80_443}")"
  else
    printf null
  fi
}

pop_service_json() {
  jo state "$(js "${SVC_STATE}")" healthy "$(jb "${SNAP_HEALTHY}")" pid "$(jn "${SVC_PID}")" \
    since "$(if [[ -n "${SVC_SINCE}" ]]; then js "$(pop_iso_time "${SVC_SINCE}")"; else printf null; fi)" \
    uptime_seconds "$(jn "${SNAP_UPTIME}")" restarts "$(jn "${SVC_RESTARTS}")" \
    manager "$(js "${POP_SERVICE_MANAGER}")" unit "$(js "${POP_UNIT}")"
}

pop_ports_json() {
  local p owner items=()
  for p in 8003 80 443; do
    owner="$(plat_port "${p}")"
    items+=("$(jo port "${p}" status "$(js "${owner%%:*}")" holder "$(jsn "$([[ "${owner}" == taken:* ]] && printf '%s' "${owner#taken:}")")")")
  done
  ja "${items[@]}"
}

# Hides anything that looks like a token or key (long runs of hex/base64) in text from the node binary. A
# UUID stays: it is how the binary names the node (its node_id, which every status shows anyway).
pop_redact() {
  local s="$1" out="" m
  while [[ "${s}" =~ ([A-Za-z0-9+/_=-]{24,}) ]]; do
    m="${BASH_REMATCH[1]}"
    out+="${s%%"${m}"*}"
    if [[ "${m}" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]; then
      out+="${m}"
    else
      out+="[redacted]"
    fi
    s="${s#*"${m}"}"
  done
  printf '%s' "${out}${s}"
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
  BC_RC=0
  out="$(pop_run_binary "$@" 2>&1 | head -c 65536)" || BC_RC=$?
  if [[ "${PIPESTATUS[0]:-0}" != 0 && "${BC_RC}" == 0 ]]; then
    BC_RC="${PIPESTATUS[0]}"
  fi
  while IFS= read -r line; do
    [[ -n "${line}" ]] && BC_LINES+=("$(pop_redact "${line}")")
  done <<<"${out}"
  if ((BC_RC == 124)); then
    pop_fail timeout "the node binary did not answer $1 within ${POP_COMMAND_TIMEOUT}s"
  fi
  return 0
}

# A horizontal bar for a ppm value: filled and empty cells.
pop_bar() {
  local ppm="$1" width="${2:-20}" filled i out=""
  filled=$((ppm * width / 1000000))
  for ((i = 0; i < width; i++)); do
    if ((i < filled)); then out+="█"; else out+="░"; fi
  done
  printf '%s' "${out}"
}

# Uptime sparkline for the last N hours of the report grid.
pop_spark() {
  local n="${1:-24}" i v out="" ticks=(" " "▁" "▂" "▃" "▄" "▅" "▆" "▇" "█")
  for ((i = 168 - n; i < 168; i++)); do
    v="${REP_GRID[i]}"
    out+="${ticks[$((v * 8 / 3600))]}"
  done
  printf '%s' "${out}"
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
