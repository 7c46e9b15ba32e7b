// The env's Go: GOROOT, version, cgo/nocgo variant, and what go-activation exports.
import { readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Go } from "../environment.js";
import { UsageError } from "../errors.js";
import { activationExports, isGoActivationScript, readActivation, type ActivationContext } from "./activation.js";
import { managerCommand } from "./install-hint.js";
import { findRecord, type RecordName } from "./records.js";
import { readRegularFile } from "./regular-file.js";

/** A cross-built Go (go-feedstock builds linux-ppc64le on linux-64) keeps its programs in
 * bin/<goos>_<goarch>/; a native one in bin/. */
function goProgram(goroot: string): string | undefined {
  const native = join(goroot, "bin", "go");
  if (isFile(native)) return native;
  let names: string[];
  try {
    names = readdirSync(join(goroot, "bin")).sort();
  } catch {
    return undefined;
  }
  return names.filter((n) => /^[a-z0-9]+_[a-z0-9]+$/.test(n)).map((n) => join(goroot, "bin", n, "go")).find(isFile);
}

/** GOROOT and the go program. conda-forge's `go` keeps the toolchain in `<prefix>/go` with
 * `bin/go` linking into it; with a copy of the program in bin/, GOROOT is still there.
 * Other packagings link `bin/go` into their own GOROOT, as <goroot>/bin[/<goos>_<goarch>]/go. */
function findGo(prefix: string): { goroot: string; go: string } | undefined {
  const condaGoroot = join(prefix, "go");
  const launcher = join(prefix, "bin", "go");
  const inGoroot = goProgram(condaGoroot);
  if (inGoroot) return { goroot: condaGoroot, go: inGoroot };
  let real: string;
  try {
    real = realpathSync(launcher);
  } catch {
    return undefined;
  }
  if (!isFile(real)) return undefined;
  const dir = dirname(real);
  const binDir = basename(dir) === "bin" ? dir : basename(dirname(dir)) === "bin" ? dirname(dir) : undefined;
  const root = binDir === undefined ? undefined : dirname(binDir);
  if (root === undefined || root === realpathSync(prefix)) {
    return statSync(condaGoroot, { throwIfNoEntry: false })?.isDirectory() ? { goroot: condaGoroot, go: launcher } : undefined;
  }
  return { goroot: root, go: real };
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

async function goVersion(prefix: string, goroot: string, go: string): Promise<string> {
  try {
    const first = readRegularFile(join(goroot, "VERSION"), 64 * 1024, "Go's VERSION file").toString("utf8").split("\n")[0]!.trim();
    if (first) return first.replace(/^go/, "");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // No VERSION file (a source build): ask the command; a named variable keeps it fast.
  }
  const { execa } = await import("execa");
  try {
    const { stdout } = await execa(go, ["env", "GOVERSION"], { env: { GOTOOLCHAIN: "local", GOENV: "off" } });
    return stdout.trim().replace(/^go/, "");
  } catch (error) {
    throw new UsageError(`${go} does not run: ${(error as { shortMessage?: string }).shortMessage ?? String(error)}`, `reinstall Go: ${managerCommand(prefix, "reinstall", ["go"])}`);
  }
}

/** `_go_select`'s build string is the variant; the go-cgo/go-nocgo packages say it too. */
export function goVariant(records: readonly RecordName[]): "cgo" | "nocgo" {
  const select = findRecord(records, "_go_select");
  if (select?.build === "cgo" || select?.build === "nocgo") return select.build;
  if (records.some((r) => r.name === "go-nocgo" || r.name.startsWith("go-nocgo_"))) return "nocgo";
  return "cgo";
}

export async function discoverGo(prefix: string, records: readonly RecordName[], activateDir: readonly string[], context: ActivationContext): Promise<Go | null> {
  const found = findGo(prefix);
  if (!found) return null;
  const { goroot, go } = found;
  const activation = await readActivation(prefix, activateDir.filter(isGoActivationScript), context);
  return { goroot, go, version: await goVersion(prefix, goroot, go), variant: goVariant(records), activationExports: activationExports(activation) };
}
