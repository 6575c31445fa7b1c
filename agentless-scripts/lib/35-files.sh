# shellcheck shell=bash
# shellcheck disable=SC2034 # the helpers defined here are used by the libexec/pop-* commands; the bundle, one file, is checked with no exception
# Files the node runs on: written whole or not at all, and only where they cannot hurt the host.

# pop_write_atomic FILE MODE < CONTENT: FILE gets exactly CONTENT or stays as it was. The temp file sits in
# FILE's directory, so the final rename never crosses a file system and a reader never sees half a file.
pop_write_atomic() {
  local file="$1" mode="$2" dir tmp
  dir="${file%/*}"
  [[ -n "${dir}" ]] || dir=/
  mkdir -p "${dir}" || return 1
  tmp="$(mktemp "${dir}/.${file##*/}.XXXXXX")" || return 1
  if ! cat >"${tmp}" || ! chmod "${mode}" "${tmp}" || ! mv -f "${tmp}" "${file}"; then
    rm -f "${tmp}"
    return 1
  fi
}

# pop_copy_atomic SRC DEST MODE: DEST becomes a copy of SRC, or stays as it was.
pop_copy_atomic() {
  pop_write_atomic "$2" "$3" <"$1"
}

# Where the node may keep its cache. The node prunes its cache directory by itself, so a cache directory
# on a system path could delete system files: only a directory below one of these roots is allowed [our choice].
POP_CACHE_ROOTS=(/var/cache /var/lib /srv /data /mnt /opt /home)

# pop_cache_dir_problem PATH: prints why PATH cannot be the cache directory; nothing (status 1) when it can.
# Checked before anything is written, against the path as the node sees it (under POP_ROOT).
pop_cache_dir_problem() {
  local p="$1" root ok=0 own real probe
  if ! pop_valid_path "${p}"; then
    printf 'cache_dir must be an absolute path without ".." (letters, digits, . _ / + @ -)'
    return 0
  fi
  p="${p%/}"
  for root in "${POP_CACHE_ROOTS[@]}"; do
    if [[ "${p}" == "${root}"/?* ]]; then
      ok=1
    fi
  done
  if ((ok == 0)); then
    printf 'cache_dir must be a directory below %s (the node deletes old files in it)' "${POP_CACHE_ROOTS[*]}"
    return 0
  fi
  for own in "${POP_DATA_DIR}" "${POP_STATE_DIR}" "${POP_BACKUP_DIR}" "${POP_BINARY%/*}" "${POP_UNIT_DIR}" \
    "${POP_NODE_CONF%/*}"; do
    if [[ "${own}" == "${p}" || "${own}" == "${p}"/* ]]; then
      printf 'cache_dir %s would hold %s, which the node must never prune' "${p}" "${own}"
      return 0
    fi
  done
  real="$(pop_path "${p}")"
  if [[ -e "${real}" && ! -d "${real}" ]]; then
    printf 'cache_dir %s exists and is not a directory' "${p}"
    return 0
  fi
  # A symbolic link anywhere on the way could lead the prune somewhere else.
  probe="${real}"
  while [[ "${probe}" == "$(pop_path "")"/?* ]]; do
    if [[ -L "${probe}" ]]; then
      printf 'cache_dir %s goes through a symbolic link (%s)' "${p}" "${probe#"$(pop_path "")"}"
      return 0
    fi
    probe="${probe%/*}"
  done
  return 1
}

# pop_valid_passphrase_file FILE: a readable regular file named without '..' (absolute or relative).
pop_valid_passphrase_file() {
  local f="$1"
  [[ "${f}" =~ ^[A-Za-z0-9._/+@-]+$ ]] || return 1
  [[ "/${f}/" != */../* ]] || return 1
  return 0
}
