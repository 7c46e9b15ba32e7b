// `conda-bazel init`: discover the environment once, run every generator, then write (or,
// with --check / --dry-run, only compare). Nothing is written unless every file could be
// generated, so a bad input leaves the workspace as it was.
import { join } from "node:path";
import type { CommandArgs } from "../cli.js";
import type { Config } from "../config.js";
import { loadConfig } from "../config-file.js";
import { cacheDir } from "../cache-dir.js";
import { choiceLine, parseFamily } from "../conda/compiler-choice.js";
import { discoverEnvironment } from "../conda/discover.js";
import { condaBuildPrefixes, condaBuildTargets } from "../conda/conda-build.js";
import { resolvePrefix } from "../conda/prefix.js";
import type { Environment } from "../environment.js";
import { EXIT, UsageError, WorkFailed } from "../errors.js";
import { formatFiles } from "../generate/formatted.js";
import { GENERATORS } from "../generate/index.js";
import { rulesGoDirectory } from "../generate/rules-go.js";
import { readStarlarkFiles } from "../generate/starlark-files.js";
import { vendoredDirectory } from "../generate/vendor.js";
import type { GenerateContext, GeneratedFile } from "../generate/types.js";
import { findWorkspaceRoot } from "../generate/workspace-root.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { parseTargetList } from "../target-selection.js";
import { TARGETS, targetByTriplet, targetForSubdir, type Target } from "../targets.js";
import { applyChanges } from "../write/apply.js";
import { lockWorkspace } from "../write/lock.js";
import { planChanges, unifiedDiff, type Change } from "../write/plan.js";
import { writeErr, writeOut } from "../output.js";

export async function run(args: CommandArgs): Promise<number> {
  const values = args.values;
  const workspace = findWorkspaceRoot((values.workspace as string | undefined) ?? process.cwd());
  for (const warning of workspace.warnings) writeErr(`conda-bazel: warning: ${warning}\n`);
  const config = await loadConfig(workspace.root, values.config as string | undefined);
  const condaBuild = condaBuildPrefixes(values);
  if (condaBuild && (values.target as string[] | undefined)?.length) {
    throw new UsageError("--target does not apply to a conda-build's two prefixes", "target_platform (or the host prefix's platform) is the target; remove --target");
  }
  const asked = condaBuild ? undefined : parseTargetList((values.target as string[] | undefined)?.length ? (values.target as string[]) : config.targets);
  const prefix = condaBuild?.buildPrefix ?? resolvePrefix(values.prefix as string | undefined, config.prefix);
  const compilerFlag = values.compiler as string | undefined;
  const compiler = compilerFlag === undefined ? config.compiler : parseFamily(compilerFlag, "--compiler");
  const options = { ...(condaBuild ? { hostPrefix: condaBuild.hostPrefix } : {}), ...(compiler ? { compiler } : {}) };
  let env = await discoverEnvironment({ prefix, targets: asked, ...options });
  const roles = condaBuild ? condaBuildTargets(condaBuild, env.subdir, env.host?.subdir ?? null) : undefined;
  const roleTargets = roles ? [roles.build, roles.target] : undefined;
  // Discovery left out a target without a compiler; asked for, it says why it is missing and how to install one.
  if (roleTargets?.some((t) => !env.toolchains.some((tc) => tc.target === t.triplet))) env = await discoverEnvironment({ prefix, targets: roleTargets, ...options });
  const targets = chooseTargets(env, roleTargets ?? asked);

  const context: GenerateContext = {
    workspace: workspace.root,
    mode: workspace.mode,
    workspaceFile: workspace.file,
    targets,
    callout: { node: process.execPath, script: join(PACKAGE_ROOT, "bin", "conda-bazel.cjs") },
    variables: process.env,
    starlarkFiles: readStarlarkFiles(),
    ...(roles ? { condaBuild: roles } : {}),
  };
  const check = values.check === true;
  const dryRun = values["dry-run"] === true;
  const files = await formatFiles(workspace.root, generate(env, config, context), cacheDir(process.env), !check);
  // Held from reading the files to writing them, so that a second init plans on the first's result.
  const release = check || dryRun ? undefined : await lockWorkspace(workspace.root);
  let changes: Change[];
  try {
    // The vendored Starlark and the rules_go package are conda-bazel's whole: a file an older
    // release vendored and this one does not ship is removed, so no stale .bzl or BUILD file
    // lingers after an upgrade, and switching init.rulesGo off removes what it wrote.
    changes = await planChanges(workspace.root, files, [vendoredDirectory(config), rulesGoDirectory(config)]);
    if (release) applyChanges(workspace.root, changes);
  } finally {
    await release?.();
  }
  // What version control holds; the machine-local rc file differs on every machine by design,
  // so `init --check` on CI (where it does not exist) only fails on committed files.
  const drift = changes.filter((c) => c.action !== "unchanged" && !c.machineLocal);
  const diffs = check ? await Promise.all(drift.map(unifiedDiff)) : [];

  // Targets with both gcc and clang: which one the toolchain uses, and why.
  const choices = env.toolchains.filter((t) => t.compilerChoice && targets.some((target) => target.triplet === t.target));
  if (values.json) {
    const report = {
      workspace: workspace.root,
      prefix: env.prefix,
      ...(roles && env.host ? { condaBuild: { hostPrefix: env.host.prefix, target: roles.target.triplet, build: roles.build.triplet, from: condaBuild!.source } } : {}),
      mode: workspace.mode,
      targets: targets.map((t) => t.triplet),
      ...(choices.length > 0 ? { compilers: choices.map((t) => ({ target: t.target, family: t.family, ...t.compilerChoice })) } : {}),
      check,
      dryRun,
      files: changes.map((c) => ({
        path: c.path,
        action: c.action,
        ...(c.machineLocal ? { machineLocal: true } : {}),
        ...(check && drift.includes(c) ? { diff: diffs[drift.indexOf(c)] } : {}),
      })),
    };
    writeOut(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const chosen = check ? "" : choices.map((t) => `${choiceLine(t)}\n`).join("");
    if (roles && !check) writeOut(condaBuildSummary(roles, env, condaBuild!.source));
    writeOut(check ? diffs.join("") + machineLocalNotes(changes) : chosen + summary(changes, dryRun));
  }
  if (check && drift.length > 0) {
    throw new WorkFailed(`${drift.length} file(s) out of date in ${workspace.root}; run conda-bazel init`);
  }
  return EXIT.ok;
}

/** The targets to configure: those asked for (each must have a compiler), else every target
 * with a compiler plus the environment's own platform. */
function chooseTargets(env: Environment, asked: readonly Target[] | undefined): Target[] {
  if (asked) {
    const missing = env.missing.find((m) => asked.some((t) => t.triplet === m.target));
    if (missing) throw new UsageError(`no compiler for ${missing.target} in ${env.prefix}: ${missing.reason}`, missing.hint);
    return TARGETS.filter((t) => asked.includes(t));
  }
  const chosen = new Set(env.toolchains.map((tc) => targetByTriplet(tc.target)));
  const own = targetForSubdir(env.subdir);
  if (own) chosen.add(own);
  return TARGETS.filter((t) => chosen.has(t));
}

function generate(env: Environment, config: Config, context: GenerateContext): GeneratedFile[] {
  return GENERATORS.flatMap((generator) => generator(env, config, context));
}

/** One line per machine-local file that init would write: `--check` does not count it, but a
 * user whose Bazel reads a stale or missing one fetches @conda with the wrong prefix. */
function machineLocalNotes(changes: readonly Change[]): string {
  return changes
    .filter((c) => c.machineLocal && c.action !== "unchanged")
    .map((c) => `${c.path}: ${c.action === "create" ? "missing" : "out of date"} (machine-local, not counted as drift; conda-bazel init writes it)\n`)
    .join("");
}

/** What a build script's log should show: which prefix gives what, and what a plain build targets. */
function condaBuildSummary(roles: { target: Target; build: Target }, env: Environment, source: "flags" | "conda-build"): string {
  const cross = roles.target === roles.build ? "native" : "cross";
  const from = source === "conda-build" ? "conda-build's variables" : "--build-prefix/--host-prefix";
  return `conda-build mode (${from}): bazel build targets ${roles.target.subdir} (${cross}, tools for ${roles.build.subdir}); compilers from ${env.prefix}, host env ${env.host!.prefix}\n`;
}

function summary(changes: readonly Change[], dryRun: boolean): string {
  const verb = {
    create: dryRun ? "would create" : "created",
    update: dryRun ? "would update" : "updated",
    delete: dryRun ? "would delete" : "deleted",
    unchanged: "unchanged",
  } as const;
  return changes.map((c) => `${verb[c.action].padEnd(12)}  ${c.path}\n`).join("");
}
