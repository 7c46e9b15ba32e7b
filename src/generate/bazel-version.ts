// The Bazel release a workspace pins in .bazelversion (bazelisk's file), as far as it matters to
// which file init writes into: Bazel 8 reads WORKSPACE only with --enable_workspace, and Bazel 9
// has no WORKSPACE at all.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** What bazelisk resolves to the newest release, which today is 9 or later. */
const NEWEST = ["latest", "last_green", "rolling", "last_rc"];

/** The major version .bazelversion pins: a number, `Infinity` for "latest"-like names, or
 * undefined when there is no such file or it names no release (a path to a binary). */
export function pinnedBazelMajor(root: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, ".bazelversion"), "utf8");
  } catch {
    return undefined;
  }
  // A fork is written `<user>/<fork>/<version>`; the version is the last segment.
  const version = (text.trim().split("\n")[0] ?? "").split("/").pop()!.trim();
  if (NEWEST.some((name) => version === name || version.startsWith(`${name}-`))) return Infinity;
  const major = /^(\d+)(\.|$)/.exec(version);
  return major ? Number(major[1]) : undefined;
}
