// Go release numbers ("1.19.8", "1.21rc2", "1.22") compared as numbers, for the features that
// depend on the Go version (arch-level variables, which pairs can build c-shared).

function parts(version: string): number[] {
  const match = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  if (!match) throw new Error(`not a Go version: ${version}`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** True when `version` is `minimum` or newer. */
export function goVersionAtLeast(version: string, minimum: string): boolean {
  const a = parts(version);
  const b = parts(minimum);
  for (let i = 0; i < 3; i++) {
    if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  }
  return true;
}
