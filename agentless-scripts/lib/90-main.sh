# shellcheck shell=bash
# Dispatch: `pop COMMAND [ARGS]` and the roadmap spelling `pop --COMMAND [ARGS]`; global --json, --debug,
# --no-color; `--help` on every command. Command help comes from each command file's header.

# Command names, one a line. In the source tree they are the libexec files; in the bundle, a generated list.
pop_commands() {
  local f
  if [[ -n "${POP_BUNDLED_COMMANDS[*]:-}" ]]; then
    printf '%s\n' "${POP_BUNDLED_COMMANDS[@]}"
    return 0
  fi
  for f in "${POP_TOOL_HOME}"/libexec/pop-*; do
    printf '%s\n' "${f##*/pop-}"
  done
}

# The same list as pop_commands, looked through here: every call of the tool asks this once.
pop_is_command() {
  local name="$1" c
  [[ "${name}" =~ ^[a-z0-9][a-z0-9-]*$ ]] || return 1
  if [[ -n "${POP_BUNDLED_COMMANDS[*]:-}" ]]; then
    for c in "${POP_BUNDLED_COMMANDS[@]}"; do
      [[ "${c}" == "${name}" ]] && return 0
    done
    return 1
  fi
  [[ -f "${POP_TOOL_HOME}/libexec/pop-${name}" ]]
}

# pop_command_header_v VAR NAME: the header comment of a command, without the leading "# ", into VAR. Help and
# list-commands read every command's header: into a variable, with no process per command.
pop_command_header_v() {
  local _hdest="$1" _hname="$2" _hline _htext=""
  if declare -F pop_bundled_header_v >/dev/null; then
    pop_bundled_header_v "${_hdest}" "${_hname}"
    return 0
  fi
  while IFS= read -r _hline; do
    [[ "${_hline}" == "# shellcheck"* || "${_hline}" == '#!'* ]] && continue
    [[ "${_hline}" == '#'* ]] || break
    _hline="${_hline#\#}"
    _htext+="${_hline# }"$'\n'
  done <"${POP_TOOL_HOME}/libexec/pop-${_hname}"
  printf -v "${_hdest}" '%s' "${_htext}"
}

# pop_command_parts NAME: the command's header read once, in CMD_SUMMARY (its first "Summary: " line), CMD_USAGES
# (every "Usage: " line, without the word) and CMD_HELP (the lines after the first Summary or Usage line that are
# neither, each with its newline).
pop_command_parts() {
  local text line started=0
  CMD_SUMMARY="" CMD_USAGES=() CMD_HELP=""
  pop_command_header_v text "$1"
  while IFS= read -r line; do
    if [[ "${line}" == "Summary: "* ]]; then
      [[ -n "${CMD_SUMMARY}" ]] || CMD_SUMMARY="${line#Summary: }"
      started=1
    elif [[ "${line}" == "Usage: "* ]]; then
      CMD_USAGES+=("${line#Usage: }")
      started=1
    elif ((started)); then
      CMD_HELP+="${line}"$'\n'
    fi
  done <<<"${text%$'\n'}"
}

# pop_command_summary_v VAR NAME: the command's one-line summary, into VAR.
pop_command_summary_v() {
  pop_command_parts "$2"
  printf -v "$1" '%s' "${CMD_SUMMARY}"
}

pop_command_usage() {
  pop_command_parts "$1"
  ((${#CMD_USAGES[@]} == 0)) || printf 'Usage: %s\n' "${CMD_USAGES[@]}"
}

pop_show_command_help() {
  local name="$1" helptext n s u h j
  pop_command_parts "${name}"
  helptext="${CMD_HELP}"
  if [[ "${POP_JSON}" == 1 ]]; then
    # The help without its trailing newlines, as it always was (a command substitution took them).
    while [[ "${helptext}" == *$'\n' ]]; do
      helptext="${helptext%$'\n'}"
    done
    js_v n "${name}"
    js_v s "${CMD_SUMMARY}"
    ja_strings_v u "${CMD_USAGES[@]}"
    js_v h "${helptext}"
    jo_v j name "${n}" summary "${s}" usage "${u}" help "${h}"
    pop_ok "${j}"
  else
    ((${#CMD_USAGES[@]} == 0)) || printf 'Usage: %s\n' "${CMD_USAGES[@]}"
    printf '\n%s\n%s' "${CMD_SUMMARY}" "${helptext}"
  fi
}

# Fails with a usage error when a command that takes no arguments got some.
pop_no_args() {
  if (($# > 0)); then
    pop_usage_error "unexpected argument: $(pop_q "$1")"
  fi
}

# A signal (a `timeout` wrapper's TERM, Ctrl-C, a dropped session's HUP) ends pop with 128 + its number, as
# a shell reports it, and says so; without these traps the exit trap would see the status of the last command.
# A forked shell ($(...) or <(...)) that the signal reaches before it has dropped these traps runs this too: it
# dies of the signal itself, as a command would, for an exit would tell bash the child had handled a Ctrl-C and
# pop's own trap would never run (and the child's exit trap would clean up and answer in pop's place).
pop_on_signal() {
  trap - "$1"
  if ((BASHPID != $$)); then
    kill -s "$1" "${BASHPID}"
  fi
  POP_SIGNAL="$1"
  exit $((128 + $2))
}

pop_trap_exit_and_signals() {
  trap pop_on_exit EXIT
  trap 'pop_on_signal TERM 15' TERM
  trap 'pop_on_signal INT 2' INT
  trap 'pop_on_signal HUP 1' HUP
}

# pop starts no background job (its helpers run in process substitutions that end with their reader, and the
# binary under `timeout`), so there is nothing to kill here; asking `jobs -p` cost a fork on every call.
pop_on_exit() {
  local rc=$? d
  # Only pop itself: a forked shell that ran this in the same race must neither remove pop's lock nor answer.
  if ((BASHPID != $$)); then
    exit "${rc}"
  fi
  for d in "${POP_CLEANUP[@]}"; do
    rm -rf -- "${d}"
  done
  if [[ -n "${POP_SIGNAL:-}" ]]; then
    POP_FAILED=1
    if [[ "${POP_JSON}" == 1 ]]; then
      pop_emit_json false null terminated "pop was stopped by SIG${POP_SIGNAL} (status ${rc}), for example by a timeout"
    fi
    printf 'pop: %s was stopped by SIG%s (status %s)\n' "${POP_COMMAND:-pop}" "${POP_SIGNAL}" "${rc}" >&2
  fi
  if [[ "${POP_JSON}" == 1 && "${POP_EMITTED}" != 1 ]]; then
    if ((rc == 0)); then
      rc=1
    fi
    pop_emit_json false null internal "pop stopped unexpectedly (status ${rc}); run with --debug for a trace"
  elif [[ "${POP_JSON}" != 1 && "${POP_FAILED}" != 1 ]] && ((rc != 0 && rc < 128)); then
    printf 'pop: %s stopped unexpectedly (status %s); run with --debug for a trace\n' "${POP_COMMAND:-pop}" "${rc}" >&2
  fi
  exit "${rc}"
}

# Commands that change the node take a lock, so two of them never run at once on one node. Reads (and
# collect, whose worst race loses one sample) never wait for it. `pop list-commands --json` publishes these
# answers per argument form: the controller's catalog is checked against that, so this stays the one source.
pop_is_mutating() {
  local cmd="$1" arg
  shift
  case "${cmd}" in
    start | stop | restart | backup | restore | update | set-wallet | enable-80-443 | refresh | signup-by-referral-route | register) return 0 ;;
    install | uninstall)
      for arg in "$@"; do
        [[ "${arg}" == --dry-run ]] && return 1
      done
      return 0
      ;;
    # Any KEY=VALUE, wherever it stands (configure --restart ram=8 changes the node too).
    configure)
      for arg in "$@"; do
        [[ "${arg}" == *=* ]] && return 0
      done
      return 1
      ;;
    ports) [[ "${1:-}" == --enable-80-443 || "${1:-}" == --disable-80-443 ]] ;;
    auth) [[ "${1:-}" == add-key || "${1:-}" == remove-key ]] ;;
    *) return 1 ;;
  esac
}

pop_lock() {
  local lock pid
  lock="$(pop_path "${POP_STATE_DIR}")/.lock"
  mkdir -p "${lock%/*}" 2>/dev/null || return 0
  if ! mkdir "${lock}" 2>/dev/null; then
    pid="$(cat "${lock}/pid" 2>/dev/null || true)"
    if [[ "${pid}" =~ ^[1-9][0-9]*$ ]] && kill -0 "${pid}" 2>/dev/null; then
      pop_fail conflict "another pop command (pid ${pid}) is changing this node; try again when it is done"
    fi
    # A stale lock from a command that was killed.
    rm -rf "${lock}"
    mkdir "${lock}" 2>/dev/null || pop_fail conflict "another pop command is changing this node"
  fi
  printf '%s\n' "$$" >"${lock}/pid"
  POP_CLEANUP+=("${lock}")
}

# Bash 4.4 or newer: older versions treat an empty array as unset under `set -u`.
pop_require_bash() {
  if ((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 4))); then
    return 0
  fi
  if [[ " $* " == *" --json "* ]]; then
    printf '{"schema":"%s","command":"none","ok":false,"data":null,"error":{"code":"missing_dependency","message":"pop needs bash 4.4 or newer"},"tool_version":"%s","node_time":"%s"}\n' \
      "${POP_SCHEMA}" "${POP_TOOL_VERSION}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  fi
  printf 'pop: needs bash 4.4 or newer (this is %s)\n' "${BASH_VERSION}" >&2
  exit 7
}

pop_main() {
  local arg cmd="" passthrough=0 want_help=0
  local -a args=()
  pop_require_bash "$@"
  export LC_ALL=C TZ=UTC
  for arg in "$@"; do
    if ((passthrough)); then
      args+=("${arg}")
      continue
    fi
    case "${arg}" in
      --json) POP_JSON=1 ;;
      --debug) POP_DEBUG=1 ;;
      --no-color) export NO_COLOR=1 ;;
      --)
        passthrough=1
        if [[ -n "${cmd}" ]]; then
          args+=(--)
        fi
        ;;
      *)
        if [[ -n "${cmd}" ]]; then
          [[ "${arg}" == -h || "${arg}" == --help ]] && want_help=1
          args+=("${arg}")
        elif [[ "${arg}" == -h || "${arg}" == --help ]]; then
          cmd=help
        elif [[ "${arg}" == -V ]]; then
          cmd=version
        elif [[ "${arg}" == --* ]] && pop_is_command "${arg#--}"; then
          cmd="${arg#--}"
        elif pop_is_command "${arg}"; then
          cmd="${arg}"
        else
          POP_COMMAND="${arg}"
          [[ "${arg}" =~ ^-?-?[a-z0-9-]{1,40}$ ]] || POP_COMMAND="unknown"
          trap pop_on_exit EXIT
          pop_init_color
          if [[ "${POP_JSON}" != 1 ]]; then
            pop_usage_line >&2
          fi
          pop_fail unknown_command "unknown command: $(pop_q "${arg}") (see: pop list-commands)"
        fi
        ;;
    esac
  done
  cmd="${cmd:-help}"
  POP_COMMAND="${cmd}"
  pop_trap_exit_and_signals
  if ((POP_DEBUG)); then
    PS4='+ ${BASH_SOURCE[0]##*/}:${LINENO}:${FUNCNAME[0]:-main}: '
    set -x
  fi
  pop_init_color
  if ((want_help)); then
    POP_COMMAND=help
    pop_show_command_help "${cmd}"
    return 0
  fi
  case "${cmd}" in
    help | list-commands) ;;
    *)
      pop_config_load
      if pop_is_mutating "${cmd}" "${args[@]}"; then
        pop_lock
      fi
      ;;
  esac
  "cmd_${cmd//-/_}" "${args[@]}"
  if [[ "${POP_JSON}" == 1 && "${POP_EMITTED}" != 1 ]]; then
    pop_fail internal "command ${cmd} produced no result"
  fi
}

pop_usage_line() {
  printf 'Usage: pop [--json] [--debug] [--no-color] COMMAND [ARGS]   (or: pop --COMMAND [ARGS])\n'
  printf 'Run "pop help" for the commands, "pop help COMMAND" or "pop COMMAND --help" for one.\n'
}
