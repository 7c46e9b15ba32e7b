// The env's Go: GOROOT, version, cgo/nocgo variant, and what go-activation exports.
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Go } from "../environment.js";
import { UsageError } from "../errors.js";
import { isGoActivationScript, readScript } from "./activation.js";
import { installCommand } from "./install-hint.js";
import { findRecord, type RecordName } from "./records.js";
import { readRegularFile } from "./regular-file.js";
import { scanScript } from "./shell-script.js";

/** conda-forge's `go` keeps the toolchain in `<prefix>/go`; other packagings link `bin/go`
 * somewhere else, and cmd/go finds its GOROOT from its own location. */
function findGoroot(prefix: string): string | undefined {
  if (existsSync(join(prefix, "go", "bin", "go"))) return join(prefix, "go");
  try {
    return dirname(dirname(realpathSync(join(prefix, "bin", "go"))));
  } catch {
    return undefined;
  }
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
    throw new UsageError(`${go} does not run: ${(error as { shortMessage?: string }).shortMessage ?? String(error)}`, `reinstall Go: ${installCommand(prefix, ["--force-reinstall", "go"])}`);
  }
}

/** `_go_select`'s build string is the variant; the go-cgo/go-nocgo packages say it too. */
export function goVariant(records: readonly RecordName[]): "cgo" | "nocgo" {
  const select = findRecord(records, "_go_select");
  if (select?.build === "cgo" || select?.build === "nocgo") return select.build;
  if (records.some((r) => r.name === "go-nocgo" || r.name.startsWith("go-nocgo_"))) return "nocgo";
  return "cgo";
}

export async function discoverGo(prefix: string, records: readonly RecordName[], activateDir: readonly string[]): Promise<Go | null> {
  const goroot = findGoroot(prefix);
  if (!goroot) return null;
  const go = join(goroot, "bin", "go");
  const activationExports: Record<string, string> = {};
  for (const name of activateDir.filter(isGoActivationScript)) {
    for (const [k, v] of scanScript(readScript(prefix, name), { CONDA_PREFIX: prefix }).exports) activationExports[k] = v;
  }
  return { goroot, go, version: await goVersion(prefix, goroot, go), variant: goVariant(records), activationExports };
}
