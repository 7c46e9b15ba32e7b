// Finds what kind of Bazel workspace a directory is the root of.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";

export interface WorkspaceRoot {
  readonly root: string;
  readonly mode: "workspace" | "bzlmod";
  /** The file the @conda block goes into, relative to the root. */
  readonly file: string;
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
  for (const [file, mode] of CANDIDATES) {
    if (existsSync(join(root, file))) return { root, mode, file };
  }
  throw new UsageError(
    `${root} is not a Bazel workspace root (no WORKSPACE, WORKSPACE.bazel or MODULE.bazel)`,
    "run conda-bazel init in the workspace root, or pass --workspace DIR",
  );
}
