# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals and helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# Whose identity this is and where it registered from. Pipe ties node_info.json to the IP that registered the
# node [doc], and its fields are undocumented: the tool reads a "registered_ip" field when the file has one and
# otherwise keeps its own record, POP_STATE_DIR/identity.state (NODE_ID, REGISTERED_IP, SOURCE, RECORDED).

pop_identity_state_file() { pop_path "${POP_STATE_DIR}/identity.state"; }

pop_valid_ip() {
  [[ "$1" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ || ("$1" =~ ^[0-9A-Fa-f:.]{2,45}$ && "$1" == *:*) ]]
}

# pop_identity_file_ip FILE: the "registered_ip" in an identity file, if it names one. The file also holds the
# node's token, so --debug's trace is off while the content is in a variable.
pop_identity_file_ip() {
  local file="$1" content="" xtrace=0
  if [[ "$-" == *x* ]]; then
    xtrace=1
    set +x
  fi
  if [[ -r "${file}" ]]; then
    content="$(head -c 65536 "${file}" 2>/dev/null | tr -d '\000' || true)"
  fi
  if [[ "${content}" =~ \"registered_ip\"[[:space:]]*:[[:space:]]*\"([0-9A-Fa-f:.]{2,45})\" ]]; then
    content="${BASH_REMATCH[1]}"
    if pop_valid_ip "${content}"; then
      printf '%s' "${content}"
    fi
  fi
  content=""
  if ((xtrace)); then
    set -x
  fi
}

# The address this host reaches the internet from, in CUR_IP (empty when unknown). POP_PUBLIC_IP names it
# where the host sits behind NAT (the controller knows the address it reaches the node on); otherwise the
# source address of the default route, which needs no network traffic to find out.
pop_current_ip() {
  local out=""
  CUR_IP=""
  if [[ -n "${POP_PUBLIC_IP}" ]]; then
    CUR_IP="${POP_PUBLIC_IP}"
    return 0
  fi
  if pop_have ip; then
    out="$(ip -o route get 192.0.2.1 2>/dev/null || true)"
    if [[ "${out}" =~ [[:space:]]src[[:space:]]+([0-9A-Fa-f:.]+) ]]; then
      out="${BASH_REMATCH[1]}"
      pop_valid_ip "${out}" && CUR_IP="${out}"
    fi
  fi
}

# What is known about the node's registration: REG_NODE_ID (the identity present, else the recorded one),
# REG_IP and REG_SOURCE (identity | recorded | none), CUR_IP and REG_MATCH (1, 0, or empty when unknown).
pop_registration() {
  local state rec_id rec_ip
  state="$(pop_identity_state_file)"
  rec_id="$(pop_kv_get "${state}" NODE_ID || true)"
  rec_ip="$(pop_kv_get "${state}" REGISTERED_IP || true)"
  pop_valid_node_id "${rec_id}" || rec_id=""
  pop_valid_ip "${rec_ip}" || rec_ip=""
  pop_identity
  REG_NODE_ID="" REG_IP="" REG_SOURCE=none REG_MATCH=""
  if [[ "${ID_STATE}" == present ]]; then
    REG_NODE_ID="${ID_NODE_ID}"
    REG_IP="$(pop_identity_file_ip "$(pop_identity_path)")"
    if [[ -n "${REG_IP}" ]]; then
      REG_SOURCE=identity
    elif [[ "${rec_id}" == "${ID_NODE_ID}" && -n "${rec_ip}" ]]; then
      REG_IP="${rec_ip}" REG_SOURCE=recorded
    fi
  elif [[ -n "${rec_id}" ]]; then
    REG_NODE_ID="${rec_id}"
    if [[ -n "${rec_ip}" ]]; then
      REG_IP="${rec_ip}" REG_SOURCE=recorded
    fi
  fi
  pop_current_ip
  if [[ -n "${REG_IP}" && -n "${CUR_IP}" ]]; then
    REG_MATCH=0
    [[ "${REG_IP}" == "${CUR_IP}" ]] && REG_MATCH=1
  fi
  return 0
}

# pop_registration_record NODE_ID IP SOURCE: writes the record (atomically, like every state file).
pop_registration_record_as() {
  printf 'NODE_ID=%s\nREGISTERED_IP=%s\nSOURCE=%s\nRECORDED=%s\n' "$1" "$2" "$3" "$(pop_iso_time)" |
    pop_write_atomic "$(pop_identity_state_file)" 600
}

# Records the identity present on first sight. Without a "registered_ip" in the file the first address the
# tool sees it on stands in for the registering one (SOURCE=first-seen). Mutating commands call this.
pop_registration_record() {
  local state rec_id ip source=first-seen
  pop_identity
  [[ "${ID_STATE}" == present ]] || return 0
  state="$(pop_identity_state_file)"
  rec_id="$(pop_kv_get "${state}" NODE_ID || true)"
  [[ "${rec_id}" != "${ID_NODE_ID}" ]] || return 0
  ip="$(pop_identity_file_ip "$(pop_identity_path)")"
  if [[ -n "${ip}" ]]; then
    source=identity
  else
    pop_current_ip
    ip="${CUR_IP}"
  fi
  pop_registration_record_as "${ID_NODE_ID}" "${ip}" "${source}" || true
}

pop_registration_json() {
  pop_registration
  jo node_id "$(jsn "${REG_NODE_ID}")" registered_ip "$(jsn "${REG_IP}")" source "$(js "${REG_SOURCE}")" \
    current_ip "$(jsn "${CUR_IP}")" \
    ip_matches "$(if [[ -z "${REG_MATCH}" ]]; then printf null; else jb "${REG_MATCH}"; fi)"
}
