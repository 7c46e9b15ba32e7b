// Finds what kind of Bazel workspace a directory is the root of.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { pinnedBazelMajor } from "./bazel-version.js";

export interface WorkspaceRoot {
  readonly root: string;
  readonly mode: "workspace" | "bzlmod";
  /** The file the @conda block goes into, relative to the root. */
  readonly file: string;
  /** What the user should know about the mode chosen (one line each), e.g. a flag Bazel 8 needs. */
  readonly warnings: readonly string[];
}

// Bazel reads WORKSPACE.bazel over WORKSPACE when both exist; a WORKSPACE file keeps working
// next to MODULE.bazel (up to Bazel 8 with --enable_workspace), so it wins over bzlmod here.
const CANDIDATES = [
  ["WORKSPACE.bazel", "workspace"],
  ["WORKSPACE", "workspace"],
  ["MODULE.bazel", "bzlmod"],
] as const;

export function findWorkspaceRoot(dir: string): WorkspaceRoot {
  const root = resolve(dir);
  const major = pinnedBazelMajor(root);
  const found = CANDIDATES.find(([file]) => existsSync(join(root, file)));
  // Bazel 9 reads no WORKSPACE file, and Bazel 8 none without --enable_workspace, whatever else
  // the directory holds: then MODULE.bazel is the file Bazel reads.
  const readsWorkspace = major === undefined || major < 8 || (major === 8 && enablesWorkspace(root));
  if (found && !readsWorkspace && existsSync(join(root, "MODULE.bazel"))) {
    return { root, mode: "bzlmod", file: "MODULE.bazel", warnings: [] };
  }
  if (found && major !== undefined && major >= 9) {
    throw new UsageError(
      `${root} has a ${found[0]} but no MODULE.bazel, and its .bazelversion pins Bazel 9 or later, which reads no WORKSPACE file`,
      "create MODULE.bazel in the workspace root (an empty file will do) and run conda-bazel init again",
    );
  }
  if (found) {
    const [file, mode] = found;
    const warnings = mode === "workspace" && !readsWorkspace ? [EIGHT_NEEDS_WORKSPACE] : [];
    return { root, mode, file, warnings };
  }
  throw new UsageError(
    `${root} is not a Bazel workspace root (no WORKSPACE, WORKSPACE.bazel or MODULE.bazel)`,
    "run conda-bazel init in the workspace root, or pass --workspace DIR",
  );
}

const EIGHT_NEEDS_WORKSPACE =
  "Bazel 8 (.bazelversion) reads WORKSPACE only with `common --enable_workspace`: add that line to .bazelrc, or create MODULE.bazel and run conda-bazel init again to use bzlmod";

/** Whether the workspace's .bazelrc turns WORKSPACE on (a plain text check, comments aside). */
function enablesWorkspace(root: string): boolean {
  let rc: string;
  try {
    rc = readFileSync(join(root, ".bazelrc"), "utf8");
  } catch {
    return false;
  }
  return rc.split("\n").some((line) => /^\s*[a-z:_-]+\s.*--enable_workspace(=(1|true|yes))?(\s|$)/.test(line));
}
