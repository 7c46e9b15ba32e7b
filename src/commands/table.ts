// Plain-text tables of the human-readable outputs (describe, targets).

/** Rows as lines, columns two spaces apart; the last column is not padded, so no line ends in spaces. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  "));
}
