# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# The node's service, behind one interface with two backends:
#   systemd — the real unit (systemctl / journalctl, through `sudo -n` when not root);
#   sim     — the simulator: one background process per running node, state in files.
# svc_status sets SVC_STATE (running|activating|stopped|failed|unknown), SVC_PID, SVC_SINCE, SVC_RESTARTS.

pop_sudo() {
  if [[ "$(id -u)" == 0 ]] || ! pop_have sudo; then
    "$@"
  else
    sudo -n "$@"
  fi
}

svc_status() {
  SVC_STATE="unknown" SVC_PID="" SVC_SINCE="" SVC_RESTARTS=0
  case "${POP_SERVICE_MANAGER}" in
    sim) sim_svc_status ;;
    systemd) systemd_svc_status ;;
  esac
}

svc_start() { "${POP_SERVICE_MANAGER}_svc_start"; }
svc_stop() { "${POP_SERVICE_MANAGER}_svc_stop"; }
svc_healthy() { "${POP_SERVICE_MANAGER}_svc_healthy"; }
svc_listening() { "${POP_SERVICE_MANAGER}_svc_listening" "$@"; }
# svc_logs LINES SINCE_EPOCH(or empty)
svc_logs() { "${POP_SERVICE_MANAGER}_svc_logs" "$@"; }
svc_follow() { "${POP_SERVICE_MANAGER}_svc_follow"; }
# The file holding the running process's arguments, NUL-separated (/proc/PID/cmdline); empty when unknown.
# Call after svc_status.
svc_cmdline_file() { "${POP_SERVICE_MANAGER}_svc_cmdline_file"; }

# Waits until the service is healthy or TIMEOUT seconds pass. Returns 0 when healthy.
svc_wait_healthy() {
  local timeout="$1" deadline
  deadline=$(($(pop_now) + timeout))
  while true; do
    if svc_healthy; then
      return 0
    fi
    if (($(pop_now) >= deadline)); then
      return 1
    fi
    sleep "${POP_HEALTH_INTERVAL_SLEEP:-0.2}"
  done
}

# --- systemd ---------------------------------------------------------------------------------------

systemd_svc_status() {
  local line key value
  pop_have systemctl || return 0
  while IFS= read -r line; do
    key="${line%%=*}"
    value="${line#*=}"
    case "${key}" in
      ActiveState)
        case "${value}" in
          active) SVC_STATE=running ;; activating | reloading) SVC_STATE=activating ;;
          inactive | deactivating) SVC_STATE=stopped ;; failed) SVC_STATE=failed ;;
        esac
        ;;
      MainPID) [[ "${value}" =~ ^[1-9][0-9]*$ ]] && SVC_PID="${value}" ;;
      NRestarts) [[ "${value}" =~ ^[0-9]+$ ]] && SVC_RESTARTS="${value}" ;;
      ActiveEnterTimestamp)
        if [[ -n "${value}" && "${value}" != n/a ]]; then
          SVC_SINCE="$(date -u -d "${value}" +%s 2>/dev/null || true)"
        fi
        ;;
    esac
  done < <(systemctl show "${POP_UNIT}" -p ActiveState -p MainPID -p NRestarts -p ActiveEnterTimestamp 2>/dev/null || true)
  if [[ "${SVC_STATE}" != running ]]; then
    SVC_SINCE=""
  fi
}

systemd_svc_cmdline_file() {
  if [[ "${SVC_PID}" =~ ^[1-9][0-9]*$ && -r "/proc/${SVC_PID}/cmdline" ]]; then
    printf '%s' "/proc/${SVC_PID}/cmdline"
  fi
}

systemd_svc_start() {
  pop_need systemctl "starting the service"
  pop_sudo systemctl start "${POP_UNIT}"
}

systemd_svc_stop() {
  pop_need systemctl "stopping the service"
  pop_sudo systemctl stop "${POP_UNIT}"
}

systemd_svc_listening() {
  [[ "$(plat_port "$1")" == ours ]]
}

systemd_svc_healthy() {
  svc_status
  [[ "${SVC_STATE}" == running ]] && systemd_svc_listening 8003
}

systemd_svc_logs() {
  local lines="$1" since="$2" args=()
  pop_need journalctl "reading the service log"
  args=(-u "${POP_UNIT}" -n "${lines}" --no-pager -o short-iso)
  if [[ -n "${since}" ]]; then
    args+=(--since "@${since}")
  fi
  pop_sudo journalctl "${args[@]}"
}

systemd_svc_follow() {
  pop_need journalctl "following the service log"
  pop_sudo journalctl -u "${POP_UNIT}" -f --no-pager -o short-iso
}

# --- sim -------------------------------------------------------------------------------------------

sim_svc_file() { printf '%s/service/%s' "$(pop_sim_dir)" "$1"; }

sim_read() {
  local f
  f="$(sim_svc_file "$1")"
  if [[ -r "${f}" ]]; then
    printf '%s' "$(<"${f}")"
  fi
}

sim_write() {
  local f
  f="$(sim_svc_file "$1")"
  mkdir -p "${f%/*}"
  printf '%s\n' "$2" >"${f}"
}

# Is PID alive and running our node binary (guards against PID reuse)?
sim_pid_alive() {
  local pid="$1" cmd=""
  [[ "${pid}" =~ ^[1-9][0-9]*$ ]] || return 1
  kill -0 "${pid}" 2>/dev/null || return 1
  if [[ -r "/proc/${pid}/cmdline" ]]; then
    IFS= read -r -d '' cmd <"/proc/${pid}/cmdline" || true
    [[ "${cmd}" == "$(pop_path "${POP_BINARY}")" ]] || return 1
  fi
  return 0
}

sim_svc_status() {
  local wanted pid
  wanted="$(sim_read state)"
  pid="$(sim_read pid)"
  SVC_RESTARTS="$(sim_read restarts)"
  [[ "${SVC_RESTARTS}" =~ ^[0-9]+$ ]] || SVC_RESTARTS=0
  case "${wanted}" in
    running)
      if sim_pid_alive "${pid}"; then
        SVC_PID="${pid}"
        SVC_SINCE="$(sim_read since)"
        if [[ -e "$(sim_svc_file started)" ]]; then
          SVC_STATE=running
        else
          SVC_STATE=activating
        fi
      else
        SVC_STATE=failed
      fi
      ;;
    failed) SVC_STATE=failed ;;
    *) SVC_STATE=stopped ;;
  esac
}

sim_log() {
  local file
  file="$(pop_path "${POP_LOG_FILE}")"
  mkdir -p "${file%/*}"
  printf '%s %s\n' "$(pop_iso_time)" "$*" >>"${file}"
}

sim_svc_start() {
  local binary log workdir pid deadline
  sim_svc_status
  if [[ "${SVC_STATE}" == running || "${SVC_STATE}" == activating ]]; then
    return 0
  fi
  binary="$(pop_path "${POP_BINARY}")"
  log="$(pop_path "${POP_LOG_FILE}")"
  workdir="$(pop_path "${POP_DATA_DIR}")"
  [[ -x "${binary}" ]] || {
    sim_write state failed
    return 1
  }
  mkdir -p "${log%/*}" "${workdir}"
  rm -f "$(sim_svc_file started)" "$(sim_svc_file ready)"
  pop_node_args
  (
    cd "${workdir}" || exit 1
    POP_SIM_DIR="$(pop_sim_dir)" POP_SIM_NODE_ROOT="${POP_ROOT}" exec nohup "${binary}" "${POP_NODE_ARGS[@]}" \
      >>"${log}" 2>&1 </dev/null
  ) &
  pid=$!
  disown "${pid}" 2>/dev/null || true
  sim_write pid "${pid}"
  # The stub ends as `sleep`, which drops its arguments from /proc: keep them where the backend can read them.
  printf '%s\0' "${binary}" "${POP_NODE_ARGS[@]}" >"$(sim_svc_file cmdline)"
  sim_write since "$(pop_now)"
  sim_write logged_until "$(pop_now)"
  sim_write state running
  deadline=$(($(pop_now) + POP_START_TIMEOUT))
  while true; do
    if [[ -e "$(sim_svc_file started)" ]]; then
      return 0
    fi
    if ! kill -0 "${pid}" 2>/dev/null; then
      wait "${pid}" 2>/dev/null || true
      sim_write state failed
      return 1
    fi
    if (($(pop_now) > deadline)); then
      return 1
    fi
    sleep 0.05
  done
}

sim_svc_stop() {
  local pid i
  pid="$(sim_read pid)"
  if sim_pid_alive "${pid}"; then
    kill -TERM "${pid}" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
      kill -0 "${pid}" 2>/dev/null || break
      sleep 0.05
    done
    kill -KILL "${pid}" 2>/dev/null || true
    sim_log "INFO Received SIGTERM, shutting down PoP node"
  fi
  rm -f "$(sim_svc_file pid)" "$(sim_svc_file started)" "$(sim_svc_file ready)" "$(sim_svc_file since)" \
    "$(sim_svc_file cmdline)"
  sim_write state stopped
}

sim_svc_cmdline_file() {
  local file
  file="$(sim_svc_file cmdline)"
  if [[ -n "${SVC_PID}" && -r "${file}" ]]; then
    printf '%s' "${file}"
  fi
}

sim_svc_healthy() {
  sim_svc_status
  [[ "${SVC_STATE}" == running && -e "$(sim_svc_file ready)" ]]
}

sim_svc_listening() {
  local port="$1" p
  sim_svc_healthy || return 1
  pop_node_ports
  for p in "${POP_PORTS_LIST[@]}"; do
    [[ "${p}" == "${port}" ]] && return 0
  done
  return 1
}

# The simulated node reports health every REPORT_INTERVAL seconds; its log lines are written lazily,
# when somebody looks, so an idle simulated node costs no CPU.
sim_materialise_log() {
  local last now interval t n=0 mbps
  sim_svc_healthy || return 0
  last="$(sim_read logged_until)"
  [[ "${last}" =~ ^[0-9]+$ ]] || return 0
  now="$(pop_now)"
  interval="$(pop_sim_value REPORT_INTERVAL 300)"
  mbps="$(pop_sim_value EGRESS_MBPS 100)"
  for ((t = last + interval; t <= now && n < 288; t += interval)); do
    printf '%s INFO Health report sent: status=ok egress_mb=%d\n' "$(pop_iso_time "${t}")" \
      "$((mbps * interval * (90 + (t / interval) % 20) / 800))" >>"$(pop_path "${POP_LOG_FILE}")"
    n=$((n + 1))
    last="${t}"
  done
  sim_write logged_until "${last}"
}

sim_svc_logs() {
  local lines="$1" since="$2" file from line
  file="$(pop_path "${POP_LOG_FILE}")"
  sim_materialise_log
  [[ -r "${file}" ]] || return 0
  if [[ -z "${since}" ]]; then
    tail -n "${lines}" "${file}"
    return 0
  fi
  from="$(pop_iso_time "${since}")"
  while IFS= read -r line; do
    if [[ ! "${line:0:20}" < "${from}" ]]; then
      printf '%s\n' "${line}"
    fi
  done <"${file}" | tail -n "${lines}"
}

sim_svc_follow() {
  sim_materialise_log
  tail -n 20 -F "$(pop_path "${POP_LOG_FILE}")"
}
