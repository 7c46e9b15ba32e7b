// The order String.prototype.localeCompare gives (ICU's root collation), without loading ICU's
// collation data, which costs a tenth of a no-change `init`. For printable ASCII, CLDR's root
// order: characters compare by primary weight (space, punctuation and symbols, digits, then
// letters without case), and only then does lowercase come before uppercase. Other text is left
// to localeCompare. test/init/collate.test.ts compares the two.

const PRIMARY = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";
const RANK = new Map([...PRIMARY].map((c, i) => [c, i]));
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function localeOrder(a: string, b: string): number {
  if (!PRINTABLE_ASCII.test(a) || !PRINTABLE_ASCII.test(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  // A common prefix weighs nothing in either pass: both start where the strings first differ
  // (sorted paths share most of theirs, and this code runs cold, once per comparison).
  let start = 0;
  while (start < n && a[start] === b[start]) start++;
  for (let i = start; i < n; i++) {
    const d = RANK.get(a[i]!.toLowerCase())! - RANK.get(b[i]!.toLowerCase())!;
    if (d !== 0) return Math.sign(d);
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = start; i < n; i++) if (a[i] !== b[i]) return a[i] === a[i]!.toLowerCase() ? -1 : 1;
  return 0;
}
