#!/bin/bash
# Runs `go build -buildmode=c-shared` for go_c_shared_library inside a Bazel action.
#
#   go_c_shared.sh PACKAGE_DIR GO ARG...
#
# Paths arrive relative to the execroot, written as @@EXECROOT@@/<path> so that no absolute path
# enters the action key; they become absolute here because cgo runs the C compiler from other
# directories. @@TMP@@ is a directory private to this action: Go's cache, GOPATH and HOME.
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

package_dir="$1"
go="$2"
shift 2
args=()
for arg in "$@"; do
  args+=("$(resolve "${arg}")")
done

cd "${package_dir}"
"${execroot}/${go}" "${args[@]}"
