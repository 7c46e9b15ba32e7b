# Closing of every stand-in compiler activation script.
if [ $? -ne 0 ]; then
  echo "ERROR: $(_get_sourced_filename) failed, see above for details"
elif [ "${CONDA_BUILD:-0}" = "1" ]; then
  env > /tmp/new-env-$$.txt
  echo "INFO: $(_get_sourced_filename) made the following environmental changes:"
  diff -U 0 -rN /tmp/old-env-$$.txt /tmp/new-env-$$.txt | grep -v "CONDA_BACKUP_" | sort
  rm -f /tmp/old-env-$$.txt /tmp/new-env-$$.txt || true
fi

if [ "@IS_WIN@" = "1" ]; then
  CONDA_PREFIX=$(echo "${CONDA_PREFIX:-}" | sed 's,\/,\\,g')
fi
