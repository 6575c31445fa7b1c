# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# The node's service: the systemd unit, through systemctl and journalctl (pop_priv: `sudo -n` when not root, every
# result checked). The simulator has no backend here: it puts its own systemctl, journalctl and ss on PATH.
# svc_status sets SVC_STATE (running|activating|stopped|failed|unknown), SVC_PID, SVC_SINCE, SVC_RESTARTS, and
# SVC_EGRESS (the unit's IPEgressBytes as systemctl said it, SVC_EGRESS_ASKED=1) from the same call.

svc_status() {
  SVC_STATE="unknown" SVC_PID="" SVC_SINCE="" SVC_RESTARTS=0 SVC_EGRESS="" SVC_EGRESS_ASKED=0
  systemd_svc_status
}

svc_start() { systemd_svc_start; }
svc_stop() { systemd_svc_stop; }
# Stops the service and keeps it from starting at boot (an identity that moved to another host must never run here
# again, even after a reboot).
svc_stop_disable() { pop_systemctl disable; }
# svc_enabled: prints true, false or null (unknown): whether the unit starts at boot.
svc_enabled() { systemd_svc_enabled; }
svc_restart() { pop_systemctl restart; }
svc_healthy() { systemd_svc_healthy; }
# Healthy from the state just read (svc_status, then plat_ports_scan with 8003): the service runs and the node's
# port is the service's. svc_healthy, health and the status snapshot all judge by this.
svc_healthy_as_read() { [[ "${SVC_STATE}" == running && "${PORT_OWNER[8003]:-}" == ours ]]; }
# svc_logs LINES SINCE_EPOCH(or empty)
svc_logs() { systemd_svc_logs "$@"; }
svc_follow() { systemd_svc_follow; }
# svc_logs_allowed LINES SINCE: permission_denied now when svc_logs would be refused.
svc_logs_allowed() { systemd_svc_logs_allowed "$@"; }
# The file holding the running process's arguments, NUL-separated (/proc/PID/cmdline); empty when unknown.
# Call after svc_status.
svc_cmdline_file() { systemd_svc_cmdline_file; }

# Waits until the service is healthy or TIMEOUT seconds pass. Returns 0 when healthy.
svc_wait_healthy() {
  local timeout="$1" deadline now
  pop_now_v now
  deadline=$((now + timeout))
  while true; do
    if svc_healthy; then
      return 0
    fi
    pop_now_v now
    if ((now >= deadline)); then
      return 1
    fi
    sleep "${POP_HEALTH_INTERVAL_SLEEP:-0.2}"
  done
}

# --- systemd ---------------------------------------------------------------------------------------

systemd_svc_status() {
  local line key value
  pop_have systemctl || return 0
  SVC_EGRESS_ASKED=1
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
          pop_epoch_v SVC_SINCE "${value}"
        fi
        ;;
      IPEgressBytes) SVC_EGRESS="${value}" ;;
    esac
  done < <(systemctl show "${POP_UNIT}" -p ActiveState -p MainPID -p NRestarts -p ActiveEnterTimestamp \
    -p IPEgressBytes 2>/dev/null)
  if [[ "${SVC_STATE}" != running ]]; then
    SVC_SINCE=""
  fi
}

systemd_svc_cmdline_file() {
  if [[ "${SVC_PID}" =~ ^[1-9][0-9]*$ && -r "/proc/${SVC_PID}/cmdline" ]]; then
    printf '%s' "/proc/${SVC_PID}/cmdline"
  fi
}

# A failed start or stop returns 1 with systemctl's words in POP_SYSTEMCTL_ERROR; a missing sudo rule is
# permission_denied before anything runs.
systemd_svc_start() {
  pop_systemctl start
}

systemd_svc_stop() {
  pop_systemctl stop
}

# is-enabled needs no root; a unit systemd does not know, or no systemctl at all, is unknown rather than false.
systemd_svc_enabled() {
  local state
  if ! pop_have systemctl; then
    printf 'null'
    return 0
  fi
  state="$(systemctl is-enabled "${POP_UNIT}" 2>/dev/null || true)"
  case "${state}" in
    enabled | enabled-runtime) printf 'true' ;;
    disabled | masked | masked-runtime) printf 'false' ;;
    *) printf 'null' ;;
  esac
}

# One systemctl call and, while the service runs, one ss call: the wait loops ask this every 0.2 s.
systemd_svc_healthy() {
  svc_status
  [[ "${SVC_STATE}" == running ]] || return 1
  plat_ports_scan 8003
  svc_healthy_as_read
}

systemd_svc_logs() {
  local lines="$1" since="$2" args=()
  pop_need journalctl "reading the service log"
  args=(-u "${POP_UNIT}" -n "${lines}" --no-pager -o short-iso)
  if [[ -n "${since}" ]]; then
    args+=(--since "@${since}")
  fi
  pop_priv journal journalctl "${args[@]}"
}

# Before reading the log in a subshell: a missing rule must be an answer, not lines of the log.
systemd_svc_logs_allowed() {
  local args=(-u "${POP_UNIT}" -n "$1" --no-pager -o short-iso)
  [[ -n "${2:-}" ]] && args+=(--since "@$2")
  pop_need journalctl "reading the service log"
  pop_priv_allowed journal journalctl "${args[@]}" || pop_priv_denied journal "reading the service log"
}

systemd_svc_follow() {
  pop_need journalctl "following the service log"
  pop_priv journal-follow journalctl -u "${POP_UNIT}" -f --no-pager -o short-iso
}
