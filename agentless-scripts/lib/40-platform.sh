# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# What the host offers: disk, memory, open-file limit, port listeners. Each comes from the host's own tools and
# files (df, /proc/meminfo under POP_ROOT, systemctl, ss); the simulator answers through the same ones.

# Sets DISK_TOTAL and DISK_FREE (bytes) for the file system holding node path $1.
plat_disk() {
  local path="$1" line
  DISK_TOTAL="" DISK_FREE=""
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

# Sets MEM_TOTAL and MEM_AVAILABLE (bytes) from /proc/meminfo (under POP_ROOT, as /proc/net/dev is).
plat_mem() {
  local key value rest file
  MEM_TOTAL="" MEM_AVAILABLE=""
  file="$(pop_path /proc/meminfo)"
  [[ -r "${file}" ]] || return 0
  while read -r key value rest; do
    [[ "${value}" =~ ^[0-9]{1,15}$ ]] || continue
    case "${key}" in
      MemTotal:) MEM_TOTAL=$((value * 1024)) ;;
      MemAvailable:) MEM_AVAILABLE=$((value * 1024)) ;;
    esac
  done <"${file}"
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
