// Turns what the user typed for --target (repeated, comma lists, aliases) into table entries.
import { UsageError } from "./errors.js";
import { findTarget, TARGETS, type Target } from "./targets.js";

export function parseTargetList(values: readonly string[] | undefined): Target[] | undefined {
  if (!values || values.length === 0) return undefined;
  const seen = new Set<Target>();
  for (const name of values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean)) {
    const target = findTarget(name);
    if (!target) {
      throw new UsageError(`unknown target '${name}'`, `known targets: ${TARGETS.map((t) => t.triplet).join(", ")}; 'conda-bazel targets' lists aliases`);
    }
    seen.add(target);
  }
  return [...seen];
}
