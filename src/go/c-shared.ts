// Which GOOS/GOARCH pairs `go build -buildmode=c-shared` accepts, by Go version. `go tool dist
// list` does not say, so this mirrors BuildModeSupported in cmd/internal/sys/supported.go of
// Go 1.19 (test/go checks it against the real go command). Pairs added later are listed from the
// release that added them, only where that release is known (loong64: go.dev/cl/425474, Go 1.21);
// none of the target table's pairs depends on them.
import { goVersionAtLeast } from "./version.js";

const C_SHARED: readonly { readonly since: string; readonly pairs: readonly string[] }[] = [
  {
    since: "1.0",
    pairs: [
      "linux/amd64", "linux/arm", "linux/arm64", "linux/386", "linux/ppc64le", "linux/riscv64", "linux/s390x",
      "android/amd64", "android/arm", "android/arm64", "android/386",
      "freebsd/amd64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/386", "windows/arm64",
    ],
  },
  { since: "1.21", pairs: ["linux/loong64"] },
];

/** True when Go `goVersion` can build a c-shared library for goos/goarch. */
export function cSharedSupported(goVersion: string, goos: string, goarch: string): boolean {
  const pair = `${goos}/${goarch}`;
  return C_SHARED.some((entry) => goVersionAtLeast(goVersion, entry.since) && entry.pairs.includes(pair));
}
