// What can change cgo's objects or the external link without Go noticing, as one short key.
// Go's cache key holds the compiler's path, flags and `--version` line, but neither the bytes of
// the compiler (a rebuilt or re-wrapped compiler keeps its version) nor the sysroot's headers and
// libraries (`go help cache`). The key is put into CGO_CPPFLAGS so a change to any of these misses
// the cache; nothing else of the env is in it, so installing an unrelated package keeps the cache
// warm, and machines whose compilers, sysroot and Go match share entries. No path of this machine
// goes into it: Bazel's action keys carry it too.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Go, Toolchain } from "../environment.js";

/** sha256 of the file a compiler path resolves to; the same compiler package gives the same bytes. */
function contentHash(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** The key of the compilers, the sysroot and the GOROOT of one target's build, 16 hex digits. */
export function cgoToolchainKey(prefix: string, go: Go, toolchain: Toolchain): string {
  const sysroot = toolchain.sysroot === null ? "-" : `${relative(prefix, toolchain.sysroot)} ${toolchain.stdlibVersion ?? "-"}`;
  const parts = [
    `cc ${contentHash(toolchain.cc)} ${toolchain.version} ${toolchain.machine}`,
    `cxx ${toolchain.cxx === null ? "-" : contentHash(toolchain.cxx)}`,
    `sysroot ${sysroot}`,
    `goroot ${go.version} ${go.variant}`,
  ];
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 16);
}
