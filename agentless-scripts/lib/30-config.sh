# shellcheck shell=bash
# Configuration: defaults that match a real DevNet-2 node < /etc/pop/pop.conf < environment (POP_*).
# POP_ROOT prefixes every node path, so the whole tool can run against a directory tree.

POP_CONFIG_KEYS=(
  POP_SERVICE_MANAGER POP_UNIT POP_SERVICE_USER POP_GENERATION
  POP_BINARY POP_DATA_DIR POP_IDENTITY_FILE POP_CACHE_DIR POP_NODE_CONF POP_BACKUP_DIR POP_STATE_DIR
  POP_LOG_FILE POP_AUTHORIZED_KEYS POP_UNIT_DIR
  POP_VERSION_MANIFEST POP_RANKING_URL
  POP_HEALTH_TIMEOUT POP_HEALTH_INTERVAL POP_START_TIMEOUT POP_COMMAND_TIMEOUT POP_MIN_FREE_PCT
  POP_HISTORY_DAYS POP_BACKUP_KEEP POP_UPDATE_SETTLE POP_PUBLIC_IP
)

pop_config_defaults() {
  : "${POP_SERVICE_MANAGER:=systemd}"
  : "${POP_UNIT:=pop.service}"
  : "${POP_SERVICE_USER:=pop-svc-user}"
  : "${POP_GENERATION:=devnet2}"
  : "${POP_BINARY:=/opt/pop/pop}"
  : "${POP_DATA_DIR:=/var/lib/pop}"
  : "${POP_IDENTITY_FILE:=node_info.json}"
  : "${POP_CACHE_DIR:=/var/cache/pop/download_cache}"
  : "${POP_NODE_CONF:=/etc/pop/node.conf}"
  : "${POP_BACKUP_DIR:=/var/backups/pop}"
  : "${POP_STATE_DIR:=/var/lib/popfleet}"
  : "${POP_LOG_FILE:=/var/log/pop/pop.log}"
  : "${POP_AUTHORIZED_KEYS:=/home/pop-svc-user/.ssh/authorized_keys}"
  : "${POP_UNIT_DIR:=/etc/systemd/system}"
  : "${POP_VERSION_MANIFEST:=}"
  : "${POP_RANKING_URL:=}"
  : "${POP_HEALTH_TIMEOUT:=120}"
  : "${POP_HEALTH_INTERVAL:=1}"
  : "${POP_START_TIMEOUT:=10}"
  : "${POP_COMMAND_TIMEOUT:=30}"
  : "${POP_MIN_FREE_PCT:=20}"
  : "${POP_HISTORY_DAYS:=90}"
  : "${POP_BACKUP_KEEP:=20}"
  : "${POP_UPDATE_SETTLE:=600}"
  : "${POP_PUBLIC_IP:=}"
}

# Where settings come from, strongest first: the environment (POP_*), the node's /etc/pop/pop.conf (under
# POP_ROOT), the login user's ~/.popfleet/pop.conf, the defaults. POP_ROOT itself comes from the environment
# or from ~/.popfleet/pop.conf, so a login (an SSH user of a simulated node) can point the tool at its tree.
pop_config_load() {
  local k user_conf
  local -A already=()
  user_conf="${HOME:-/nonexistent}/.popfleet/pop.conf"
  if [[ ! -v POP_ROOT && -r "${user_conf}" ]]; then
    POP_ROOT="$(pop_kv_get "${user_conf}" POP_ROOT || true)"
  fi
  if [[ -n "${POP_ROOT:-}" ]]; then
    if ! pop_valid_path "${POP_ROOT}"; then
      pop_fail config_invalid "POP_ROOT must be an absolute path without '..': $(pop_q "${POP_ROOT}")"
    fi
    POP_ROOT="${POP_ROOT%/}"
  fi
  POP_ROOT="${POP_ROOT:-}"
  for k in "${POP_CONFIG_KEYS[@]}"; do
    if [[ -v "${k}" ]]; then
      already["${k}"]=1
    fi
  done
  pop_config_file "${POP_CONF:-${POP_ROOT}/etc/pop/pop.conf}" 0
  pop_config_file "${user_conf}" 1
  pop_config_defaults
  pop_config_validate
}

# pop_config_file FILE ALLOW_ROOT: applies POP_KEY=value lines (read, never sourced) not set already.
pop_config_file() {
  local conf="$1" allow_root="$2" line key value n=0
  local -A mine=()
  [[ -r "${conf}" ]] || return 0
  while IFS= read -r line || [[ -n "${line}" ]]; do
    n=$((n + 1))
    [[ "${line}" =~ ^[[:space:]]*(#|$) ]] && continue
    if [[ ! "${line}" =~ ^[[:space:]]*(POP_[A-Z0-9_]+)=(.*)$ ]]; then
      pop_fail config_invalid "${conf}:${n}: not a POP_KEY=value line"
    fi
    key="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    if [[ "${value}" =~ ^\"(.*)\"$ || "${value}" =~ ^\'(.*)\'$ ]]; then
      value="${BASH_REMATCH[1]}"
    fi
    if [[ "${key}" == POP_ROOT && "${allow_root}" == 1 ]]; then
      continue
    fi
    if ! pop_config_known "${key}"; then
      pop_fail config_invalid "${conf}:${n}: unknown setting ${key}"
    fi
    # Within one file the last line wins; a stronger source (environment, earlier file) always wins.
    if [[ -z "${already[${key}]:-}" ]]; then
      printf -v "${key}" '%s' "${value}"
      mine["${key}"]=1
    fi
  done <"${conf}"
  for key in "${!mine[@]}"; do
    already["${key}"]=1
  done
}

pop_config_known() {
  local k
  for k in "${POP_CONFIG_KEYS[@]}"; do
    [[ "${k}" == "$1" ]] && return 0
  done
  return 1
}

pop_config_validate() {
  local k
  # "sim" is what older simulated nodes' settings say; it is only a name now, the tool behaves the same.
  case "${POP_SERVICE_MANAGER}" in systemd | sim) ;; *) pop_fail config_invalid "POP_SERVICE_MANAGER must be systemd" ;; esac
  pop_valid_unit "${POP_UNIT}" || pop_fail config_invalid "POP_UNIT is not a unit name: $(pop_q "${POP_UNIT}")"
  [[ "${POP_SERVICE_USER}" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || pop_fail config_invalid "POP_SERVICE_USER is not a user name"
  [[ "${POP_IDENTITY_FILE}" =~ ^[A-Za-z0-9._-]+$ && "${POP_IDENTITY_FILE}" != .. ]] ||
    pop_fail config_invalid "POP_IDENTITY_FILE must be a file name"
  for k in POP_BINARY POP_DATA_DIR POP_CACHE_DIR POP_NODE_CONF POP_BACKUP_DIR POP_STATE_DIR POP_LOG_FILE \
    POP_AUTHORIZED_KEYS POP_UNIT_DIR; do
    pop_valid_path "${!k}" || pop_fail config_invalid "${k} must be an absolute path: $(pop_q "${!k}")"
  done
  for k in POP_HEALTH_TIMEOUT POP_HEALTH_INTERVAL POP_START_TIMEOUT POP_COMMAND_TIMEOUT POP_MIN_FREE_PCT \
    POP_HISTORY_DAYS POP_BACKUP_KEEP POP_UPDATE_SETTLE; do
    pop_is_uint "${!k}" || pop_fail config_invalid "${k} must be a whole number"
  done
  if [[ -n "${POP_PUBLIC_IP}" ]] && ! pop_valid_ip "${POP_PUBLIC_IP}"; then
    pop_fail config_invalid "POP_PUBLIC_IP must be an IPv4 or IPv6 address"
  fi
  if [[ -n "${POP_VERSION_MANIFEST}" ]] && ! pop_valid_url "${POP_VERSION_MANIFEST}" &&
    ! pop_valid_path "${POP_VERSION_MANIFEST}"; then
    pop_fail config_invalid "POP_VERSION_MANIFEST must be a URL or an absolute path"
  fi
  if [[ -n "${POP_RANKING_URL}" ]] && ! pop_valid_url "${POP_RANKING_URL}"; then
    pop_fail config_invalid "POP_RANKING_URL must be an http(s) URL"
  fi
}

# The real path of a node path (POP_ROOT + path).
pop_path() {
  printf '%s%s' "${POP_ROOT}" "$1"
}

pop_identity_path() { pop_path "${POP_DATA_DIR}/${POP_IDENTITY_FILE}"; }

# Node settings (what the service is started with): RAM_GB MAX_DISK_GB CACHE_DIR PUBKEY NODE_NAME
# ENABLE_80_443, KEY=VALUE in POP_NODE_CONF [our choice of file].

pop_node_get() {
  local key="$1" default="${2:-}" v
  if v="$(pop_kv_get "$(pop_path "${POP_NODE_CONF}")" "${key}")"; then
    printf '%s' "${v}"
  else
    printf '%s' "${default}"
  fi
}

# pop_node_get_v VAR KEY [DEFAULT]: the same into VAR.
pop_node_get_v() {
  pop_kv_get_v "$1" "${POP_ROOT}${POP_NODE_CONF}" "$2" || printf -v "$1" '%s' "${3:-}"
}

# Through pop_write_file: node.conf is root's on an installed node, and the write is atomic either way.
pop_node_set() {
  pop_node_set_many "$1=$2"
}

# pop_node_set_many KEY=VALUE...: one atomic rewrite of node.conf; returns 1 when it could not be written.
pop_node_set_many() {
  pop_write_file node-conf < <(pop_kv_render "$(pop_path "${POP_NODE_CONF}")" "$@")
}

# Arguments the node binary runs with, as an array in POP_NODE_ARGS.
pop_node_args() {
  local ram disk cache pub
  ram="$(pop_node_get RAM_GB 4)"
  disk="$(pop_node_get MAX_DISK_GB 100)"
  cache="$(pop_node_get CACHE_DIR "${POP_CACHE_DIR}")"
  pub="$(pop_node_get PUBKEY "")"
  POP_NODE_ARGS=(--ram "${ram}" --max-disk "${disk}" --cache-dir "${cache}")
  if [[ -n "${pub}" ]]; then
    POP_NODE_ARGS+=(--pubKey "${pub}")
  fi
  POP_NODE_ARGS+=(--no-prompt)
  if [[ "$(pop_node_get ENABLE_80_443 0)" == 1 ]]; then
    POP_NODE_ARGS+=(--enable-80-443)
  fi
}
