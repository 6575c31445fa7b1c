# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# What the host offers: disk, memory, open-file limit, port listeners. Each comes from the host's own tools and
# files (df, /proc/meminfo under POP_ROOT, systemctl, ss); the simulator answers through the same ones.

# Sets DISK_TOTAL and DISK_FREE (bytes) for the file system holding node path $1.
plat_disk() {
  local path="$1" line="" df_lines=()
  DISK_TOTAL="" DISK_FREE=""
  path="${POP_ROOT}${path}"
  while [[ ! -e "${path}" && "${path}" == */* ]]; do
    path="${path%/*}"
  done
  [[ -n "${path}" ]] || path=/
  # df's last line, read here rather than through tail; a df that fails tells nothing.
  mapfile -t df_lines < <(df -P -B1 "${path}" 2>/dev/null)
  wait "$!" || return 0
  ((${#df_lines[@]} > 0)) && line="${df_lines[${#df_lines[@]} - 1]}"
  if [[ "${line}" =~ ^[^[:space:]]+[[:space:]]+([0-9]+)[[:space:]]+([0-9]+)[[:space:]]+([0-9]+) ]]; then
    DISK_TOTAL="${BASH_REMATCH[1]}"
    DISK_FREE="${BASH_REMATCH[3]}"
  fi
}

# Sets MEM_TOTAL and MEM_AVAILABLE (bytes) from /proc/meminfo (under POP_ROOT, as /proc/net/dev is).
plat_mem() {
  local key value rest file
  MEM_TOTAL="" MEM_AVAILABLE=""
  file="${POP_ROOT}/proc/meminfo"
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
  local port="$1" hex line name="" owner
  # ss first (it sees every namespace's view the way an operator does); /proc/net/tcp where ss is missing.
  if pop_have ss; then
    line="$(ss -Hltnp "sport = :${port}" 2>/dev/null | head -n 1 || true)"
    if [[ -n "${line}" ]]; then
      svc_status
    fi
    plat_port_owner_v owner "${line}"
    printf '%s' "${owner}"
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

# plat_port_owner_v VAR LINE: who holds a port, from ss's first LINE for it (empty: nobody), as plat_port
# answers; after svc_status.
plat_port_owner_v() {
  local _pline="$2" _plpid="" _pname=""
  if [[ -z "${_pline}" ]]; then
    printf -v "$1" 'free'
    return 0
  fi
  # The listener's pid, where ss may show it (root sees every process): ours only when it is the service's.
  [[ "${_pline}" =~ pid=([0-9]+) ]] && _plpid="${BASH_REMATCH[1]}"
  if [[ "${SVC_STATE}" == running ]] && [[ -z "${_plpid}" || -z "${SVC_PID}" || "${_plpid}" == "${SVC_PID}" ]]; then
    printf -v "$1" 'ours'
    return 0
  fi
  [[ "${_pline}" =~ users:\(\(\"([^\"]*)\" ]] && _pname="${BASH_REMATCH[1]}"
  [[ "${_pname}" =~ ^[A-Za-z0-9_.-]{1,32}$ ]] || _pname="unknown"
  printf -v "$1" 'taken:%s' "${_pname}"
}

# plat_ports_scan PORT...: plat_port's answer for each PORT in PORT_OWNER[PORT], from one ss call for all of
# them (each ss -p walks every process's open files). Uses SVC_STATE and SVC_PID as they are: call it right
# after svc_status.
plat_ports_scan() {
  local port line filter="" sep="" field lport
  local -a f
  local -A first_line=()
  declare -gA PORT_OWNER=()
  if ! pop_have ss; then
    for port in "$@"; do
      PORT_OWNER["${port}"]="$(plat_port "${port}")"
    done
    return 0
  fi
  for port in "$@"; do
    filter+="${sep}sport = :${port}"
    sep=" or "
  done
  while IFS= read -r line; do
    # The local address is the first field that ends in :PORT (the peer of a listener is *).
    lport=""
    read -r -a f <<<"${line}"
    for field in "${f[@]}"; do
      if [[ "${field}" =~ :([0-9]{1,5})$ ]]; then
        lport="$((10#${BASH_REMATCH[1]}))"
        break
      fi
    done
    if [[ -n "${lport}" && -z "${first_line[${lport}]+set}" ]]; then
      first_line["${lport}"]="${line}"
    fi
  done < <(ss -Hltnp "( ${filter} )" 2>/dev/null)
  for port in "$@"; do
    plat_port_owner_v "PORT_OWNER[${port}]" "${first_line[${port}]:-}"
  done
}

# Ports the node serves: 8003 always, 80/443 when enabled.
pop_node_ports() {
  POP_PORTS_LIST=(8003)
  if [[ "$(pop_node_get ENABLE_80_443 0)" == 1 ]]; then
    POP_PORTS_LIST+=(80 443)
  fi
}
