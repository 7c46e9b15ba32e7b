#!/bin/bash
# Runs `go build -buildmode=c-shared` for go_c_shared_library inside a Bazel action.
#
#   go_c_shared.sh PACKAGE_DIR GO ARG...
#
# Paths arrive relative to the execroot, written as @@EXECROOT@@/<path> so that no absolute path
# enters the action key; they become absolute here because cgo runs the C compiler from other
# directories. @@TMP@@ is a directory private to this action: Go's cache, GOPATH and HOME.
set -euo pipefail

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
