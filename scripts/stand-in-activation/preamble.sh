# shellcheck shell=sh
# Opening of every stand-in compiler activation script (gcc, g++, binutils): conda-forge's scripts
# each carry these functions and the Windows path fix-up, which is dead text on Linux.

_get_sourced_filename() {
  if [ -n "${BASH_SOURCE+x}" ] && [ -n "${BASH_SOURCE[0]}" ]; then
    basename "${BASH_SOURCE[0]}"
  else
    echo "UNKNOWN FILE"
  fi
}

# Each argument is NAME,value; the value NAME had is kept in CONDA_BACKUP_NAME.
_tc_activation() {
  local thing
  local newval
  for thing in "$@"; do
    case "${thing}" in
      *,*)
        newval="${thing#*,}"
        thing="${thing%%,*}"
        ;;
      *)
        echo "ERROR: unrecognized argument to activation function"
        return 1
        ;;
    esac
    eval oldval="\${$thing:-}"
    if [ -n "${oldval:-}" ]; then
      eval export "CONDA_BACKUP_'${thing}'=\"${oldval}\""
    else
      eval unset 'CONDA_BACKUP_${thing}'
    fi
    eval export "'${thing}=${newval}'"
  done
  return 0
}

if [ "@IS_WIN@" = "1" ]; then
  CONDA_PREFIX=$(echo "${CONDA_PREFIX:-}" | sed 's,\\,\/,g')
fi

