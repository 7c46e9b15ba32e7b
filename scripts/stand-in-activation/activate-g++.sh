# Stand-in for what conda-forge's gxx_<subdir> activates (ctng-compiler-activation activate-g++.sh).
if [ "${CONDA_BUILD:-0}" = "1" ]; then
  CXXFLAGS_USED="@CXXFLAGS@ -fno-merge-constants -isystem ${PREFIX}/include -fdebug-prefix-map=${SRC_DIR}=/usr/local/src/conda/${PKG_NAME}-${PKG_VERSION}"
  DEBUG_CXXFLAGS_USED="@DEBUG_CXXFLAGS@ -fno-merge-constants -isystem ${PREFIX}/include"
else
  CXXFLAGS_USED="@CXXFLAGS@ -isystem ${CONDA_PREFIX}/include"
  DEBUG_CXXFLAGS_USED="@DEBUG_CXXFLAGS@ -isystem ${CONDA_PREFIX}/include"
fi

if [ "${CONDA_BUILD:-0}" = "1" ]; then
  env > /tmp/old-env-$$.txt
fi

_tc_activation \
  @CXX_EXTRA@ \
  "CXXFLAGS,${CXXFLAGS_USED}${CXXFLAGS:+ }${CXXFLAGS:-}" \
  "DEBUG_CXXFLAGS,${DEBUG_CXXFLAGS_USED}${DEBUG_CXXFLAGS:+ }${DEBUG_CXXFLAGS:-}"

