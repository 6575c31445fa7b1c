# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# What the host offers: disk, memory, open-file limit, port listeners. Disk and memory still have a simulator
# branch (POP_SERVICE_MANAGER=sim: figures from the simulator's files; see docs/status.md); the open-file limit
# and the ports come from systemctl and ss, which the simulator provides on PATH.

pop_sim_dir() { pop_path /var/lib/pop-sim; }

pop_sim_value() {
  local v
  if v="$(pop_kv_get "$(pop_sim_dir)/node.sim" "$1")"; then
    printf '%s' "${v}"
  else
    printf '%s' "${2:-}"
  fi
}

pop_sim_fault() {
  [[ "${POP_SERVICE_MANAGER}" == sim && -e "$(pop_sim_dir)/faults/$1" ]]
}

# Sets DISK_TOTAL and DISK_FREE (bytes) for the file system holding node path $1.
plat_disk() {
  local path="$1" line
  DISK_TOTAL="" DISK_FREE=""
  if [[ "${POP_SERVICE_MANAGER}" == sim ]]; then
    DISK_TOTAL="$(pop_sim_value DISK_TOTAL 0)"
    DISK_FREE=$((DISK_TOTAL - $(pop_sim_value DISK_USED 0)))
    if pop_sim_fault disk-full; then
      DISK_FREE=0
    fi
    return 0
  fi
  path="$(pop_path "${path}")"
  while [[ ! -e "${path}" && "${path}" == */* ]]; do
    path="${path%/*}"
  done
  [[ -n "${path}" ]] || path=/
  line="$(df -P -B1 "${path}" 2>/dev/null | tail -n 1)" || return 0
  if [[ "${line}" =~ ^[^[:space:]]+[[:space:]]+([0-9]+)[[:space:]]+([0-9]+)[[:space:]]+([0-9]+) ]]; then
    DISK_TOTAL="${BASH_REMATCH[1]}"
    DISK_FREE="${BASH_REMATCH[3]}"
  fi
}

# Sets MEM_TOTAL and MEM_AVAILABLE (bytes).
plat_mem() {
  local key value rest
  MEM_TOTAL="" MEM_AVAILABLE=""
  if [[ "${POP_SERVICE_MANAGER}" == sim ]]; then
    MEM_TOTAL="$(pop_sim_value MEM_TOTAL 0)"
    MEM_AVAILABLE="$(pop_sim_value MEM_AVAILABLE 0)"
    return 0
  fi
  [[ -r /proc/meminfo ]] || return 0
  while read -r key value rest; do
    case "${key}" in
      MemTotal:) MEM_TOTAL=$((value * 1024)) ;;
      MemAvailable:) MEM_AVAILABLE=$((value * 1024)) ;;
    esac
  done </proc/meminfo
  : "${rest:-}"
}

plat_nofile() {
  local v
  if pop_have systemctl && v="$(systemctl show -p LimitNOFILE --value "${POP_UNIT}" 2>/dev/null)" &&
    [[ "${v}" =~ ^[0-9]+$ ]]; then
    printf '%s' "${v}"
    return 0
  fi
  ulimit -n
}

# Prints who listens on a TCP port: "free", "ours" or "taken:NAME".
plat_port() {
  local port="$1" hex line name="" lpid
  # ss first (it sees every namespace's view the way an operator does); /proc/net/tcp where ss is missing.
  if pop_have ss; then
    line="$(ss -Hltnp "sport = :${port}" 2>/dev/null | head -n 1 || true)"
    if [[ -z "${line}" ]]; then
      printf 'free'
      return 0
    fi
    svc_status
    # The listener's pid, where ss may show it (root sees every process): ours only when it is the service's.
    lpid=""
    [[ "${line}" =~ pid=([0-9]+) ]] && lpid="${BASH_REMATCH[1]}"
    if [[ "${SVC_STATE}" == running ]] && [[ -z "${lpid}" || -z "${SVC_PID}" || "${lpid}" == "${SVC_PID}" ]]; then
      printf 'ours'
      return 0
    fi
    name="$(printf '%s' "${line}" | grep -o 'users:(("[^"]*"' | head -n 1 || true)"
    name="${name#users:((\"}"
    name="${name%\"}"
    [[ "${name}" =~ ^[A-Za-z0-9_.-]{1,32}$ ]] || name="unknown"
    printf 'taken:%s' "${name}"
    return 0
  fi
  printf -v hex '%04X' "${port}"
  for line in /proc/net/tcp /proc/net/tcp6; do
    [[ -r "${line}" ]] || continue
    # local_address is "IP:PORT" in hex; state 0A is LISTEN.
    if grep -Eq "^ *[0-9]+: [0-9A-F]+:${hex} [0-9A-F]+:[0-9A-F]+ 0A " "${line}" 2>/dev/null; then
      svc_status
      if [[ "${SVC_STATE}" == running ]]; then
        printf 'ours'
      else
        if pop_have ss; then
          name="$(ss -Hltnp "sport = :${port}" 2>/dev/null | grep -o 'users:(("[^"]*"' | head -n 1 || true)"
          name="${name#users:((\"}"
          name="${name%\"}"
        fi
        [[ "${name}" =~ ^[A-Za-z0-9_.-]{1,32}$ ]] || name="unknown"
        printf 'taken:%s' "${name}"
      fi
      return 0
    fi
  done
  printf 'free'
}

# Ports the node serves: 8003 always, 80/443 when enabled.
pop_node_ports() {
  POP_PORTS_LIST=(8003)
  if [[ "$(pop_node_get ENABLE_80_443 0)" == 1 ]]; then
    POP_PORTS_LIST+=(80 443)
  fi
}
