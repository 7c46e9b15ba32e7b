// What a generator returns and what it is given. Generators are pure: the same Environment,
// Config and context give the same files, byte for byte; only the writer touches the disk.
import type { Config } from "../config.js";
import type { Environment } from "../environment.js";
import type { Target } from "../targets.js";
import type { FileTree } from "../fs/read-tree.js";

/** How buildifier should read a Starlark file (`--type`). */
export type StarlarkType = "bzl" | "build" | "workspace" | "module";

interface FileBase {
  /** Path relative to the workspace root, `/`-separated. */
  readonly path: string;
  /** Starlark text to format with buildifier before it is written or compared. */
  readonly starlark?: StarlarkType;
  /** Belongs to this machine, not to version control: `--check` does not count it as drift. */
  readonly machineLocal?: boolean;
}

/** A file that conda-bazel owns whole. */
export interface WholeFile extends FileBase {
  readonly kind: "file";
  readonly contents: string;
  /** Written with mode 0755 (a script). */
  readonly executable?: boolean;
}

/** A block between conda-bazel's markers inside a file the user owns; everything outside the
 * markers is kept byte for byte. `comment` is the line-comment leader of the file's syntax. */
export interface ManagedBlock extends FileBase {
  readonly kind: "block";
  readonly comment: "#";
  /** The block's lines without the markers, `\n`-separated, ending with `\n`. */
  readonly contents: string;
}

export type GeneratedFile = WholeFile | ManagedBlock;

/** The machine-specific facts generation needs beyond the Environment and the Config. */
export interface GenerateContext {
  /** Absolute path of the workspace root. */
  readonly workspace: string;
  /** `workspace` for a WORKSPACE-based workspace, `bzlmod` for a MODULE.bazel one. */
  readonly mode: "workspace" | "bzlmod";
  /** The WORKSPACE or MODULE.bazel file the block goes into, relative to the root. */
  readonly workspaceFile: string;
  /** The targets chosen for this workspace, in table order. */
  readonly targets: readonly Target[];
  /** How the repository rule runs conda-bazel at fetch time: the Node executable and the CLI script. */
  readonly callout: { readonly node: string; readonly script: string };
  /** The environment variables init ran with (values of configured action_env variables come from here). */
  readonly variables: Readonly<Record<string, string | undefined>>;
  /** The shipped `starlark/` tree, by path relative to it, to vendor into the workspace. */
  readonly starlarkFiles: FileTree;
  /** Inside a conda-build (two prefixes): the target plain builds are for, and the build machine's. */
  readonly condaBuild?: { readonly target: Target; readonly build: Target };
}

export type Generator = (env: Environment, config: Config, context: GenerateContext) => readonly GeneratedFile[];
