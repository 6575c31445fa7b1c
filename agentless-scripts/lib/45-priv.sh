# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# Privileged steps. Every write into root's or the node service's files and every systemctl / journalctl call
# goes through pop_priv: root runs the command itself, anyone else runs it through `sudo -n` under the exact rule
# that `pop install` writes into /etc/sudoers.d/pop. A rule that is missing is permission_denied (exit 8), and the
# message names the sudoers line that would allow the step, so an operator can fix it without guessing.
#
# Rules name absolute paths with fixed arguments (a regular expression where an argument must vary, such as a
# journal line count), never a bare command: `sudo systemctl *` would be root for anyone holding the rule.

POP_SUDOERS_FILE="/etc/sudoers.d/pop"
# This file when it is the bundle (pop install copies it); in the source tree, a lib file nobody copies. Empty
# when bash reads the tool from standard input (`curl … | bash -s install`): there is no file to copy then.
POP_SELF="${BASH_SOURCE[0]:-}"

# The effective user id, as `id -u` prints it, without running id.
pop_is_root() { [[ "${EUID}" == 0 ]]; }

# Absolute path of a tool; sudoers matches commands by absolute path only.
pop_tool() {
  local p
  p="$(type -P "$1" 2>/dev/null || true)"
  [[ "${p}" == /* ]] || p="/usr/bin/$1"
  printf '%s' "${p}"
}

# A regular expression matching TEXT literally (sudoers regex arguments).
pop_re() {
  local s="$1" out="" ch i
  for ((i = 0; i < ${#s}; i++)); do
    ch="${s:i:1}"
    case "${ch}" in
      [.+*?^$\(\)\[\]{}\|\\]) out+="\\${ch}" ;;
      *) out+="${ch}" ;;
    esac
  done
  printf '%s' "${out}"
}

# The files the tool replaces through sudo, as NAME:MODE:OWNER:NODE_PATH. OWNER "svc" is the service user.
pop_priv_files() {
  printf '%s\n' \
    "node-conf:0644:root:${POP_NODE_CONF}" \
    "drop-in:0644:root:${POP_UNIT_DIR}/${POP_UNIT}.d/popfleet.conf" \
    "unit:0644:root:${POP_UNIT_DIR}/${POP_UNIT}" \
    "identity:0600:svc:${POP_DATA_DIR}/${POP_IDENTITY_FILE}" \
    "binary:0755:root:${POP_BINARY}" \
    "binary-prev:0755:root:${POP_BINARY}.prev" \
    "binary-failed:0755:root:${POP_BINARY}.failed"
}

# pop_priv_file NAME: sets PF_MODE, PF_OWNER (user name) and PF_PATH (real path) for one of the files above.
pop_priv_file() {
  local line name mode owner path
  while IFS= read -r line; do
    IFS=: read -r name mode owner path <<<"${line}"
    if [[ "${name}" == "$1" ]]; then
      PF_MODE="${mode}"
      PF_OWNER="${owner}"
      [[ "${owner}" == svc ]] && PF_OWNER="${POP_SERVICE_USER}"
      PF_PATH="$(pop_path "${path}")"
      return 0
    fi
  done < <(pop_priv_files)
  pop_fail internal "no privileged file named ${1}"
}

# The node binary's informational flags the tool runs as the service user (the identity is the service's).
POP_BINARY_FLAGS=(--refresh --status --points --points-route --gen-referral-route --egress-test)

# pop_sudo_rule KEY: sets RULE_AS (user the command runs as) and RULE_CMD (the sudoers command spec) for KEY.
# One table for the rules `pop install` writes and for the line a permission_denied names.
pop_sudo_rule() {
  local key="$1" unit_re
  RULE_AS=root RULE_CMD=""
  unit_re="$(pop_re "${POP_UNIT}")"
  case "${key}" in
    systemctl:daemon-reload) RULE_CMD="$(pop_tool systemctl) daemon-reload" ;;
    systemctl:start | systemctl:stop | systemctl:restart | systemctl:reset-failed)
      RULE_CMD="$(pop_tool systemctl) ${key#systemctl:} ${POP_UNIT}"
      ;;
    # Only together with --now: stop --disable is the one use, and a unit disabled but left running is no state to allow.
    systemctl:disable) RULE_CMD="$(pop_tool systemctl) disable --now ${POP_UNIT}" ;;
    journal)
      RULE_CMD="$(pop_tool journalctl) ^-u ${unit_re} -n [0-9]{1,5} --no-pager -o short-iso( --since @[0-9]{1,11})?\$"
      ;;
    journal-follow) RULE_CMD="$(pop_tool journalctl) -u ${POP_UNIT} -f --no-pager -o short-iso" ;;
    write:*)
      pop_priv_file "${key#write:}"
      RULE_CMD="$(pop_tool install) -D -m ${PF_MODE} -o ${PF_OWNER} -g ${PF_OWNER} /dev/stdin ${PF_PATH}.popfleet-new"
      ;;
    commit:*)
      pop_priv_file "${key#commit:}"
      RULE_CMD="$(pop_tool mv) -f -T ${PF_PATH}.popfleet-new ${PF_PATH}"
      ;;
    read:identity)
      pop_priv_file identity
      RULE_CMD="$(pop_tool cat) ${PF_PATH}"
      ;;
    mkdir:cache)
      RULE_CMD="$(pop_tool install) -d -o ${POP_SERVICE_USER} -g ${POP_SERVICE_USER} -m 0750 $(pop_path "${POP_CACHE_DIR}")"
      ;;
    binary:--signup-by-referral-route)
      RULE_AS="${POP_SERVICE_USER}"
      RULE_CMD="$(pop_path "${POP_BINARY}") ^--signup-by-referral-route [A-Za-z0-9]{6,64}\$"
      ;;
    binary:*)
      RULE_AS="${POP_SERVICE_USER}"
      RULE_CMD="$(pop_path "${POP_BINARY}") ${key#binary:}"
      ;;
    *) pop_fail internal "no sudo rule named ${key}" ;;
  esac
}

# Every rule key, in the order the drop-in lists them.
pop_sudo_rule_keys() {
  local f
  printf '%s\n' systemctl:daemon-reload systemctl:start systemctl:stop systemctl:restart systemctl:reset-failed \
    systemctl:disable journal journal-follow
  while IFS=: read -r f _; do
    printf 'write:%s\ncommit:%s\n' "${f}" "${f}"
  done < <(pop_priv_files)
  printf '%s\n' read:identity mkdir:cache
  for f in "${POP_BINARY_FLAGS[@]}" --signup-by-referral-route; do
    printf 'binary:%s\n' "${f}"
  done
}

# pop_sudo_line USER KEY: the sudoers line for KEY.
pop_sudo_line() {
  pop_sudo_rule "$2"
  printf '%s ALL=(%s) NOPASSWD: %s' "$1" "${RULE_AS}" "${RULE_CMD}"
}

# The login's name (asked once: the answer is the same for the whole command).
POP_ME=""
pop_me() {
  if [[ -z "${POP_ME}" ]]; then
    POP_ME="$(id -un 2>/dev/null || printf 'uid%s' "$(id -u)")"
  fi
  printf '%s' "${POP_ME}"
}

# pop_priv_denied KEY WHAT: permission_denied naming the missing rule (or a warning, in a subshell, whose
# output is somebody's data).
pop_priv_denied() {
  local key="$1" what="$2" line message
  line="$(pop_sudo_line "$(pop_me)" "${key}")"
  if ! pop_have sudo; then
    message="${what} needs root, and sudo is not installed; install sudo and add to ${POP_SUDOERS_FILE}: ${line}"
  else
    message="${what} needs this sudo rule, which is missing (pop install writes it to ${POP_SUDOERS_FILE}): ${line}"
  fi
  if ((BASH_SUBSHELL > 0)); then
    pop_warn "${message}"
    return 126
  fi
  pop_fail permission_denied "${message}" "$(jo sudo_rule "$(js "${line}")" sudoers_file "$(js "${POP_SUDOERS_FILE}")")"
}

# pop_priv_allowed KEY CMD ARGS...: may this user run it (root, or sudo -n allows it)?
pop_priv_allowed() {
  local key="$1"
  shift
  pop_is_root && return 0
  pop_have sudo || return 1
  pop_sudo_rule "${key}"
  sudo -n -l -u "${RULE_AS}" -- "$(pop_tool "$1")" "${@:2}" >/dev/null 2>&1
}

# pop_priv KEY CMD ARGS...: runs CMD as root (or as KEY's user), through `sudo -n` when not root, and returns
# its status. A missing rule is permission_denied, never a failure of the command.
pop_priv() {
  local key="$1" cmd="$2"
  shift 2
  if pop_is_root; then
    "${cmd}" "$@"
    return
  fi
  pop_priv_allowed "${key}" "${cmd}" "$@" || pop_priv_denied "${key}" "${cmd} ${*}" || return
  pop_sudo_rule "${key}"
  sudo -n -u "${RULE_AS}" -- "$(pop_tool "${cmd}")" "$@"
}

# pop_systemctl VERB: systemctl VERB [unit] through pop_priv; a failure is service_failed with systemctl's words.
pop_systemctl() {
  local verb="$1" out rc=0 args=("$1")
  [[ "${verb}" == disable ]] && args+=(--now)
  [[ "${verb}" == daemon-reload ]] || args+=("${POP_UNIT}")
  pop_need systemctl "systemctl ${verb}"
  pop_priv_allowed "systemctl:${verb}" systemctl "${args[@]}" || pop_priv_denied "systemctl:${verb}" "systemctl ${args[*]}" || return
  out="$(pop_priv "systemctl:${verb}" systemctl "${args[@]}" 2>&1)" || rc=$?
  if ((rc != 0)); then
    POP_SYSTEMCTL_ERROR="systemctl ${args[*]} failed (exit ${rc})${out:+: ${out//$'\n'/ }}"
    return "${rc}"
  fi
  return 0
}

# Writes FILE (one of pop_priv_files) from stdin atomically: a new file beside it, then a rename. Directly when
# this user may write there, else through the write:/commit: rules.
pop_write_file() {
  local name="$1" dir tmp
  pop_priv_file "${name}"
  dir="${PF_PATH%/*}"
  if pop_write_direct "${name}"; then
    mkdir -p "${dir}" || return 1
    tmp="${PF_PATH}.popfleet-new"
    if ! cat >"${tmp}" || ! chmod "${PF_MODE}" "${tmp}"; then
      rm -f "${tmp}"
      return 1
    fi
    if pop_is_root && [[ "${PF_OWNER}" != root ]] && id "${PF_OWNER}" >/dev/null 2>&1; then
      chown "${PF_OWNER}:" "${tmp}" 2>/dev/null || true
    fi
    mv -f -T "${tmp}" "${PF_PATH}" || { rm -f "${tmp}"; return 1; }
    return 0
  fi
  pop_write_require "${name}"
  pop_priv "write:${name}" install -D -m "${PF_MODE}" -o "${PF_OWNER}" -g "${PF_OWNER}" /dev/stdin "${PF_PATH}.popfleet-new" || return 1
  pop_priv "commit:${name}" mv -f -T "${PF_PATH}.popfleet-new" "${PF_PATH}" || return 1
}

# May this user write FILE (one of pop_priv_files) itself?
pop_write_direct() {
  local dir
  pop_priv_file "$1"
  dir="${PF_PATH%/*}"
  pop_is_root || { [[ -d "${dir}" && -w "${dir}" ]] && [[ ! -e "${PF_PATH}" || -w "${PF_PATH}" ]]; }
}

# pop_write_require NAME: permission_denied now unless FILE NAME can be replaced (before anything is written,
# so a command that writes several files never stops half way for want of a rule).
pop_write_require() {
  local name="$1"
  pop_write_direct "${name}" && return 0
  pop_priv_allowed "write:${name}" install -D -m "${PF_MODE}" -o "${PF_OWNER}" -g "${PF_OWNER}" /dev/stdin "${PF_PATH}.popfleet-new" ||
    pop_priv_denied "write:${name}" "writing ${PF_PATH}"
  pop_priv_allowed "commit:${name}" mv -f -T "${PF_PATH}.popfleet-new" "${PF_PATH}" ||
    pop_priv_denied "commit:${name}" "replacing ${PF_PATH}"
}

# pop_systemctl_require VERB: permission_denied now unless systemctl VERB may run.
pop_systemctl_require() {
  local args=("$1")
  [[ "$1" == disable ]] && args+=(--now)
  [[ "$1" == daemon-reload ]] || args+=("${POP_UNIT}")
  pop_have systemctl || return 0
  pop_priv_allowed "systemctl:$1" systemctl "${args[@]}" || pop_priv_denied "systemctl:$1" "systemctl ${args[*]}"
}

# Prints the identity file (for backups): directly when readable, else through the read:identity rule.
pop_read_identity_file() {
  local file
  file="$(pop_identity_path)"
  if [[ -r "${file}" ]]; then
    cat "${file}"
  else
    pop_priv read:identity cat "${file}"
  fi
}

# A directory this user must write itself (history, backups): created when possible, else permission_denied
# with the command that hands it over.
pop_need_writable_dir() {
  local node_path="$1" what="$2" dir
  dir="$(pop_path "${node_path}")"
  mkdir -p "${dir}" 2>/dev/null || true
  if [[ -d "${dir}" && -w "${dir}" && -x "${dir}" ]]; then
    return 0
  fi
  pop_fail permission_denied "${what} needs to write ${dir}, which $(pop_me) cannot; pop install hands it over, or run: sudo install -d -o $(pop_me) -m 0750 ${dir}" \
    "$(jo directory "$(js "${dir}")")"
}

# Does running the node binary need another user? (Its identity and token belong to the service user.)
pop_binary_as_service() {
  pop_is_root && return 1
  [[ -n "${POP_ME}" ]] || pop_me >/dev/null
  [[ "${POP_ME}" != "${POP_SERVICE_USER}" ]] && id "${POP_SERVICE_USER}" >/dev/null 2>&1
}

# pop_binary_allowed ARGS...: permission_denied unless this user may run the node binary with ARGS.
pop_binary_require() {
  local key="binary:$1"
  pop_binary_as_service || return 0
  pop_priv_allowed "${key}" "$(pop_path "${POP_BINARY}")" "$@" || pop_priv_denied "${key}" "running the node binary $1 as ${POP_SERVICE_USER}"
}
