#!/bin/bash
# Runs `go` for the conda Go rules inside a Bazel action: `go build` of a library, or the `go list`
# that compiles the standard library into GOCACHE (//go:stdlib).
#
#   go_c_shared.sh [--seed GOCACHE_DIR | --copy-goroot-src] PACKAGE_DIR GO ARG...
#
# Paths arrive relative to the execroot, written as @@EXECROOT@@/<path> so that no absolute path
# enters the action key; they become absolute here because cgo runs the C compiler from other
# directories. @@TMP@@ is a directory private to this action: Go's cache, GOPATH and HOME.
# --seed fills the action's Go cache with the standard-library action's output first, as links:
# Go reads the compiled packages from there and writes only what it compiles itself.
# --copy-goroot-src gives Go a GOROOT whose packages that embed files hold copies of their files,
# not the sandbox's links to them: `go:embed` (crypto/internal/nistec's) refuses to embed a link.
set -euo pipefail
# Bash 5.2's patsub_replacement makes an unquoted `&` in a ${var//pattern/replacement}
# replacement stand for the matched text, and Bazel's output root (under HOME) may hold one.
# Quoting the replacement would fix 5.2 but keeps the quotes literally before bash 4.3 (macOS
# ships 3.2), so the option is turned off where it exists.
shopt -u patsub_replacement 2>/dev/null || true

execroot="${PWD}"
tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
mkdir -p "${tmp}/home"

resolve() {
  local value="${1//@@EXECROOT@@/${execroot}}"
  printf '%s' "${value//@@TMP@@/${tmp}}"
}

for name in $(compgen -e); do
  case "${!name}" in
    *@@EXECROOT@@* | *@@TMP@@*) export "${name}=$(resolve "${!name}")" ;;
  esac
done

# mirror FROM TO: TO as a directory of links to FROM's entries, except that a package in
# ${embedding} is a copy and a directory on the way to one is mirrored in turn. Copying all of
# src/, or linking each of its 5,000 files, took 2 to 3 CPU-seconds an action where /tmp is ext4.
mirror() {
  local from="$1" to="$2" entry
  mkdir "${to}"
  for entry in "${from}"/*; do
    if [[ "${embedding}" == *$'\n'"${entry}"$'\n'* ]]; then
      cp -R -L "${entry}" "${to}/${entry##*/}"
    elif [[ "${embedding}" == *$'\n'"${entry}/"* ]]; then
      mirror "${entry}" "${to}/${entry##*/}"
    elif [[ -e "${entry}" ]]; then
      ln -s "${entry}" "${to}/${entry##*/}"
    fi
  done
}

seed=""
if [[ "$1" == "--seed" ]]; then
  seed="${execroot}/$2"
  shift 2
elif [[ "$1" == "--copy-goroot-src" ]]; then
  # The packages with a //go:embed line, one per line, with a line break before and after.
  embedding=$'\n'"$({ grep -R -l --include='*.go' --exclude='*_test.go' -e '^//go:embed' "${GOROOT}/src" || true; } | sed 's|/[^/]*$||' | sort -u)"$'\n'
  mirror "${GOROOT}" "${tmp}/goroot"
  export GOROOT="${tmp}/goroot"
  shift
fi
package_dir="$(resolve "$1")"
go="$2"
shift 2
args=()
for arg in "$@"; do
  args+=("$(resolve "${arg}")")
done

if [[ -n "${seed}" ]]; then
  mkdir -p "${GOCACHE}"
  # Links to the files, in directories of this action's own (cp without -s where it has none,
  # as on macOS); a fresh trim.txt, so that Go never trims the seed's entries.
  if ! cp -R -s "${seed}/." "${GOCACHE}/" 2>/dev/null; then
    rm -rf "${GOCACHE}"
    cp -R "${seed}/." "${GOCACHE}/"
  fi
  rm -f "${GOCACHE}/trim.txt"
  date +%s >"${GOCACHE}/trim.txt"
fi

cd "${package_dir}"
if ! "${execroot}/${go}" "${args[@]}" 2>"${tmp}/stderr"; then
  # -mod=vendor and GOPROXY=off turn a missing module into one of these; say what to do instead.
  if grep -qE 'inconsistent vendoring|GOPROXY=off|no required module provides|cannot find package "\." in:|missing go.sum entry' "${tmp}/stderr"; then
    echo "go: the module of ${package_dir#"${execroot}"/} requires modules that are not vendored, and Bazel builds run offline: run 'go mod vendor' in the module and include vendor/ in srcs" >&2
  else
    cat "${tmp}/stderr" >&2
  fi
  exit 1
fi
cat "${tmp}/stderr" >&2
