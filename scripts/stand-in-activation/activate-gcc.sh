# Stand-in for what conda-forge's gcc_<subdir> activates (ctng-compiler-activation activate-gcc.sh),
# in its structure. Placeholders (at-signed names) are filled in when the stand-in package is made,
# as the feedstock's build_scripts.sh does, so installed scripts hold literal tests and flags.
# Inside conda-build the flags point at the host prefix of the build; interactively at the env.
if [ "${CONDA_BUILD:-0}" = "1" ]; then
  CFLAGS_USED="@CFLAGS@ -fno-merge-constants -isystem ${PREFIX}/include -fdebug-prefix-map=${SRC_DIR}=/usr/local/src/conda/${PKG_NAME}-${PKG_VERSION} -fdebug-prefix-map=${PREFIX}=/usr/local/src/conda-prefix"
  DEBUG_CFLAGS_USED="@DEBUG_CFLAGS@ -fno-merge-constants -isystem ${PREFIX}/include"
  if [ "@CMAKE_SYSTEM_NAME@" = "Linux" ]; then
    LDFLAGS_USED="@LDFLAGS@ -Wl,-rpath,${PREFIX}/lib -Wl,-rpath-link,${PREFIX}/lib -L${PREFIX}/lib"
  elif [ "@CMAKE_SYSTEM_NAME@" = "Darwin" ]; then
    LDFLAGS_USED="@LDFLAGS@ -Wl,-rpath,${PREFIX}/lib -L${PREFIX}/lib"
  else
    LDFLAGS_USED="@LDFLAGS@ -L${PREFIX}/lib"
  fi
  CPPFLAGS_USED="@CPPFLAGS@ -isystem ${PREFIX}/include"
  DEBUG_CPPFLAGS_USED="@DEBUG_CPPFLAGS@ -isystem ${PREFIX}/include"
  CMAKE_PREFIX_PATH_USED="${PREFIX}:${CONDA_PREFIX}/@CHOST@/sysroot/usr"
else
  CFLAGS_USED="@CFLAGS@ -isystem ${CONDA_PREFIX}/include"
  DEBUG_CFLAGS_USED="@DEBUG_CFLAGS@ -isystem ${CONDA_PREFIX}/include"
  CPPFLAGS_USED="@CPPFLAGS@ -isystem ${CONDA_PREFIX}/include"
  DEBUG_CPPFLAGS_USED="@DEBUG_CPPFLAGS@ -isystem ${CONDA_PREFIX}/include"
  if [ "@CMAKE_SYSTEM_NAME@" = "Linux" ]; then
    LDFLAGS_USED="@LDFLAGS@ -Wl,-rpath,${CONDA_PREFIX}/lib -Wl,-rpath-link,${CONDA_PREFIX}/lib -L${CONDA_PREFIX}/lib"
  elif [ "@CMAKE_SYSTEM_NAME@" = "Darwin" ]; then
    LDFLAGS_USED="@LDFLAGS@ -Wl,-rpath,${CONDA_PREFIX}/lib -L${CONDA_PREFIX}/lib"
  else
    LDFLAGS_USED="@LDFLAGS@ -L${CONDA_PREFIX}/lib"
  fi
  if [ "@CMAKE_SYSTEM_NAME@" = "Darwin" ]; then
    CMAKE_PREFIX_PATH_USED="${CONDA_PREFIX}"
  else
    CMAKE_PREFIX_PATH_USED="${CONDA_PREFIX}:${CONDA_PREFIX}/@CHOST@/sysroot/usr"
  fi
fi

if [ "${CONDA_BUILD:-0}" = "1" ]; then
  env > /tmp/old-env-$$.txt
fi

_CMAKE_ARGS="-DCMAKE_AR=${CONDA_PREFIX}/bin/@CHOST@-ar -DCMAKE_RANLIB=${CONDA_PREFIX}/bin/@CHOST@-ranlib"
_CMAKE_ARGS="${_CMAKE_ARGS} -DCMAKE_LINKER=${CONDA_PREFIX}/bin/@CHOST@-ld -DCMAKE_STRIP=${CONDA_PREFIX}/bin/@CHOST@-strip"
_CMAKE_ARGS="${_CMAKE_ARGS} -DCMAKE_BUILD_TYPE=Release"
_MESON_ARGS="-Dbuildtype=release"

if [ "${CONDA_BUILD:-0}" = "1" ]; then
  _CMAKE_ARGS="${_CMAKE_ARGS} -DCMAKE_FIND_ROOT_PATH=${PREFIX};${BUILD_PREFIX}/@CHOST@/sysroot -DCMAKE_INSTALL_PREFIX=${PREFIX}"
  _MESON_ARGS="${_MESON_ARGS} --prefix=${PREFIX} -Dlibdir=lib"
fi

# A cross compiler tells meson about the machine it builds for, in a file in the prefix.
if [ "@CONDA_BUILD_CROSS_COMPILATION@" = "1" ]; then
  _CMAKE_ARGS="${_CMAKE_ARGS} -DCMAKE_SYSTEM_NAME=@CMAKE_SYSTEM_NAME@ -DCMAKE_SYSTEM_PROCESSOR=@MACHINE@"
  _MESON_ARGS="${_MESON_ARGS} --cross-file=${CONDA_PREFIX}/meson_cross_file.txt"
  echo "[host_machine]" > "${CONDA_PREFIX}/meson_cross_file.txt"
  echo "system = '@MESON_SYSTEM@'" >> "${CONDA_PREFIX}/meson_cross_file.txt"
  echo "cpu = '@MACHINE@'" >> "${CONDA_PREFIX}/meson_cross_file.txt"
  echo "cpu_family = '@MESON_FAMILY@'" >> "${CONDA_PREFIX}/meson_cross_file.txt"
  echo "endian = 'little'" >> "${CONDA_PREFIX}/meson_cross_file.txt"
  echo "[binaries]" >> "${CONDA_PREFIX}/meson_cross_file.txt"
  echo "pkg-config = '${CONDA_PREFIX}/bin/pkg-config'" >> "${CONDA_PREFIX}/meson_cross_file.txt"
fi

_tc_activation \
  "HOST,@CHOST@" \
  "BUILD,@CBUILD@" \
  "CONDA_TOOLCHAIN_HOST,@CHOST@" \
  "CONDA_TOOLCHAIN_BUILD,@CBUILD@" \
  @C_EXTRA@ \
  "CPPFLAGS,${CPPFLAGS_USED}${CPPFLAGS:+ }${CPPFLAGS:-}" \
  "CFLAGS,${CFLAGS_USED}${CFLAGS:+ }${CFLAGS:-}" \
  "LDFLAGS,${LDFLAGS_USED}${LDFLAGS:+ }${LDFLAGS:-}" \
  "DEBUG_CPPFLAGS,${DEBUG_CPPFLAGS_USED}${DEBUG_CPPFLAGS:+ }${DEBUG_CPPFLAGS:-}" \
  "DEBUG_CFLAGS,${DEBUG_CFLAGS_USED}${DEBUG_CFLAGS:+ }${DEBUG_CFLAGS:-}" \
  "CMAKE_PREFIX_PATH,${CMAKE_PREFIX_PATH_USED}${CMAKE_PREFIX_PATH:+:}${CMAKE_PREFIX_PATH:-}" \
  "CONDA_BUILD_CROSS_COMPILATION,@CONDA_BUILD_CROSS_COMPILATION@" \
  "build_alias,@CBUILD@" \
  "host_alias,@CHOST@" \
  "MESON_ARGS,${_MESON_ARGS}" \
  "CMAKE_ARGS,${_CMAKE_ARGS}"

unset _CMAKE_ARGS
unset _MESON_ARGS

if [ "@CONDA_BUILD_CROSS_COMPILATION@" = "1" ] && [ "@CMAKE_SYSTEM_NAME@" = "Linux" ]; then
  _tc_activation "QEMU_LD_PREFIX,${QEMU_LD_PREFIX:-${CONDA_BUILD_SYSROOT}}"
fi

if [ "@CMAKE_SYSTEM_NAME@" != "Darwin" ]; then
  _tc_activation "CONDA_BUILD_SYSROOT,${CONDA_PREFIX}/@CHOST@/sysroot"
fi

