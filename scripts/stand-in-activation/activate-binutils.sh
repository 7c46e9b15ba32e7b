# Stand-in for what conda-forge's binutils_<subdir> activates (binutils-feedstock activate-binutils.sh).
if [ "${CONDA_BUILD:-0}" = "1" ]; then
  env > /tmp/old-env-$$.txt
fi

_tc_activation @TOOLS_ACTIVATE@

