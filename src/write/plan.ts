// What `conda-bazel init` would change, read without writing anything: whole files replaced,
// managed blocks spliced into user files (as bytes), stale vendored files deleted. Every path
// goes through resolveInside, and a managed file that is a link, a directory or a special file
// is refused before anything is read from it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { normaliseRelative, readNoFollow, resolveInside } from "../fs/safe-path.js";
import type { GeneratedFile } from "../generate/types.js";
import { planOwnedDirectory, type OwnedDirectory } from "./owned-directory.js";
import { spliceBlock } from "./splice.js";

export type Action = "create" | "update" | "unchanged" | "delete";

/** What writing one generated file would do. */
export interface Change {
  readonly path: string;
  readonly absolute: string;
  readonly kind: GeneratedFile["kind"] | "stale";
  readonly before: Buffer | null;
  readonly after: Buffer;
  /** The mode to write: that of the file it replaces, executable for a script; unset for a new plain file. */
  readonly mode: number | undefined;
  readonly machineLocal: boolean;
  readonly action: Action;
}

/** What writing `files` into `root` would change, in the order to apply it: the `owned`
 * directories' files first, then their stale files' deletion and their manifests, then the rest,
 * so that a block naming a directory lands last. */
export async function planChanges(root: string, files: readonly GeneratedFile[], owned: readonly OwnedDirectory[] = []): Promise<Change[]> {
  for (const file of files) {
    // Generated paths come from the validated config; a path that is not normal would slip past the checks below.
    if (normaliseRelative(file.path) !== file.path) throw new Error(`generated path ${file.path} is not normalised`);
    const below = `${file.path}/`;
    const clash = files.find((other) => other !== file && (other.path === file.path || other.path.startsWith(below)));
    if (clash) throw new UsageError(`init would write both ${file.path} and ${clash.path}`, "set init.condaBuildConfig and init.starlarkDirectory to paths of their own");
  }
  for (const a of owned) {
    const nested = owned.find((b) => b !== a && (b.dir === a.dir || b.dir.startsWith(`${a.dir}/`)));
    if (nested) throw new UsageError(`${a.setting} and ${nested.setting} would both own ${nested.dir}`, "set init.starlarkDirectory to a directory not named conda_rules_go");
  }
  const plans = await Promise.all(owned.map((o) => planOwnedDirectory(root, o, files)));
  const inOwned = (path: string) => owned.some((o) => path.startsWith(`${o.dir}/`));
  const vendored = files.filter((f) => inOwned(f.path));
  const rest = files.filter((f) => !inOwned(f.path));
  const manifests = plans.flatMap((p) => (p.manifest ? [p.manifest] : []));
  const writes = [...vendored, ...manifests, ...rest];
  const planned = await Promise.all(writes.map((file) => planFile(root, file)));
  const stale = await Promise.all(
    plans
      .flatMap((p) => p.stale)
      .map(async (path): Promise<Change> => {
        const { absolute, stats } = await resolveInside(root, path);
        return { path, absolute, kind: "stale", before: await readRegular(absolute, path, stats), after: Buffer.alloc(0), mode: undefined, machineLocal: false, action: "delete" };
      }),
  );
  return [...planned.slice(0, vendored.length), ...stale, ...planned.slice(vendored.length)];
}

async function planFile(root: string, file: GeneratedFile): Promise<Change> {
  const { absolute, stats } = await resolveInside(root, file.path);
  const before = await readRegular(absolute, file.path, stats);
  const after = file.kind === "file" ? Buffer.from(file.contents) : spliceBlock(before, file);
  const executable = file.kind === "file" && file.executable === true;
  const existing = stats === undefined ? undefined : stats.mode & 0o7777;
  const mode = executable ? (existing === undefined ? 0o755 : existing | 0o111) : existing;
  // Only the owner's execute bit counts: a checkout's group bits depend on its umask.
  const modeDrift = executable && existing !== undefined && (existing & 0o100) === 0;
  const action: Action = before === null ? "create" : before.equals(after) && !modeDrift ? "unchanged" : "update";
  return { path: file.path, absolute, kind: file.kind, before, after, mode, machineLocal: file.machineLocal === true, action };
}

/** The bytes of a regular file (never through a link), or null when there is none. */
async function readRegular(absolute: string, path: string, stats: Awaited<ReturnType<typeof resolveInside>>["stats"]): Promise<Buffer | null> {
  if (stats === undefined) return null;
  if (stats.isDirectory()) throw new UsageError(`${path} is a directory, where conda-bazel writes a file`, `move the directory ${path} away and run init again`);
  if (!stats.isFile()) throw new UsageError(`${path} is not a regular file (a named pipe, socket or device)`, `remove ${path} and run init again`);
  return readNoFollow(absolute);
}

/** A unified diff (`diff -u`) of one change, labelled with its workspace-relative path. */
export async function unifiedDiff(change: Change): Promise<string> {
  if (change.action === "unchanged") return "";
  const scratch = mkdtempSync(join(tmpdir(), "conda-bazel-diff-"));
  try {
    const before = join(scratch, "before");
    const after = join(scratch, "after");
    writeFileSync(before, change.before ?? "");
    writeFileSync(after, change.after);
    const from = change.before === null ? "/dev/null" : `a/${change.path}`;
    const { execa } = await import("execa");
    const to = change.action === "delete" ? "/dev/null" : `b/${change.path}`;
    const result = await execa("diff", ["-u", "--text", "--label", from, "--label", to, before, after], { reject: false, stripFinalNewline: false });
    if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`diff failed: ${result.stderr}`);
    return result.stdout;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
