// What building extension modules for the env's Python takes: its headers, EXT_SUFFIX, the shared
// libpython, numpy's headers. Only the interpreter knows the first three for sure, and asking it
// costs tens of milliseconds at every Bazel fetch, so its answer is cached like a compiler probe:
// keyed by the interpreter file's identity and the env's records, and checked again on each read
// (well-formed, what it names still there). An entry that fails a check is a miss, so the cache
// never changes the result.
import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join, normalize } from "node:path";
import type { Python } from "../environment.js";
import { UsageError } from "../errors.js";
import { readCacheJson, writeCacheJson } from "./cache-files.js";
import { managerCommand } from "./install-hint.js";
import { probeIdentity } from "./probe-cache.js";
import { findRecord, type RecordName } from "./records.js";
import { readRegularFile } from "./regular-file.js";

type BuildFacts = Pick<Python, "includeDir" | "extSuffix" | "libpython" | "numpyInclude">;

/** What the interpreter reports, and where numpy's record puts its headers (prefix-relative). */
interface Answer {
  include: string | null;
  extSuffix: string | null;
  soname: string | null;
  numpy: string | null;
}

const REPORT = [
  "import json, sysconfig",
  'print(json.dumps({"include": sysconfig.get_path("include"), "extSuffix": sysconfig.get_config_var("EXT_SUFFIX"), "soname": sysconfig.get_config_var("INSTSONAME")}))',
].join("\n");

/** numpy 2 keeps its C headers in numpy/_core/include, numpy 1 in numpy/core/include. */
const NUMPY_HEADER = /"([^"]*\/numpy\/(?:_core|core)\/include)\/numpy\/ndarrayobject\.h"/g;

/** conda-forge's sysconfig data modules are tens of kilobytes. */
const MAX_SYSCONFIGDATA_BYTES = 4 * 1024 * 1024;

/** Records listing thousands of files are megabytes; numpy's is well under this. */
const MAX_NUMPY_RECORD_BYTES = 64 * 1024 * 1024;

const isDirectory = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
const listNames = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
const plainString = (value: unknown, pattern: RegExp) => typeof value === "string" && value.length <= 256 && pattern.test(value);
const absoluteDir = (value: unknown) => typeof value === "string" && isAbsolute(value) && normalize(value) === value && isDirectory(value);

export async function pythonBuildFacts(prefix: string, interpreter: string, records: readonly RecordName[], cacheDir: string, fingerprint: string): Promise<BuildFacts> {
  const identity = probeIdentity(interpreter, null, fingerprint);
  const entry = identity && `python-${createHash("sha256").update(`python\n${identity}`).digest("hex")}.json`;
  const cached = entry && (readCacheJson(cacheDir, entry) as { identity?: unknown; answer?: Partial<Answer> } | undefined);
  let answer = cached && cached.identity === identity && wellFormed(prefix, cached.answer) ? cached.answer : undefined;
  if (!answer) {
    const reported = await ask(interpreter);
    answer = { ...(reported ?? { include: null, extSuffix: null, soname: null }), numpy: numpyInclude(prefix, records) };
    // A Python that did not run is asked again next time rather than remembered as headerless.
    if (reported && entry && wellFormed(prefix, answer)) writeCacheJson(cacheDir, entry, { identity, answer });
  }
  // A Python built without --enable-shared names its static archive here: nothing to embed with.
  const libpython = answer.soname && /\.(so|dylib)(\.|$)/.test(answer.soname) ? join(prefix, "lib", answer.soname) : null;
  return {
    includeDir: answer.include && isFile(join(answer.include, "Python.h")) ? answer.include : null,
    extSuffix: answer.extSuffix,
    libpython: libpython && isFile(libpython) ? libpython : null,
    numpyInclude: answer.numpy ? join(prefix, answer.numpy) : null,
  };
}

/**
 * The same facts from the files of a Python that is not run (conda-build's host Python, built for
 * target_platform): its include directory, the EXT_SUFFIX its `_sysconfigdata_*.py` records (as
 * crossenv and conda-build's cross builds read it), the shared libpython beside it.
 */
export function pythonBuildFactsFromFiles(prefix: string, minor: string, records: readonly RecordName[]): BuildFacts {
  const include = join(prefix, "include", `python${minor}`);
  const stdlib = join(prefix, "lib", `python${minor}`);
  const suffixes = new Set<string>();
  for (const name of listNames(stdlib).filter((n) => /^_sysconfigdata_.*\.py$/.test(n)).sort()) {
    const text = readRegularFile(join(stdlib, name), MAX_SYSCONFIGDATA_BYTES, "sysconfig data").toString("utf8");
    const suffix = /'EXT_SUFFIX':\s*'([^']*)'/.exec(text)?.[1];
    if (suffix !== undefined && plainString(suffix, /^\.[A-Za-z0-9_.-]+$/)) suffixes.add(suffix);
  }
  if (suffixes.size > 1) {
    throw new UsageError(`the Python in ${prefix} records different EXT_SUFFIX values (${[...suffixes].join(", ")}) in ${stdlib}/_sysconfigdata_*.py`, `reinstall python: ${managerCommand(prefix, "reinstall", ["python"])}`);
  }
  const libpython = [`libpython${minor}.so.1.0`, `libpython${minor}.so`].map((n) => join(prefix, "lib", n)).find(isFile) ?? null;
  const numpy = numpyInclude(prefix, records);
  return {
    includeDir: isFile(join(include, "Python.h")) ? include : null,
    extSuffix: [...suffixes][0] ?? null,
    libpython,
    numpyInclude: numpy ? join(prefix, numpy) : null,
  };
}

function wellFormed(prefix: string, answer: Partial<Answer> | undefined): answer is Answer {
  return (
    answer !== undefined &&
    (answer.include === null || absoluteDir(answer.include)) &&
    (answer.extSuffix === null || plainString(answer.extSuffix, /^\.[A-Za-z0-9_.-]+$/)) &&
    (answer.soname === null || plainString(answer.soname, /^[A-Za-z0-9_.+-]+$/)) &&
    (answer.numpy === null || (typeof answer.numpy === "string" && plainString(answer.numpy, /^[^/]/) && !answer.numpy.split("/").includes("..") && isDirectory(join(prefix, answer.numpy))))
  );
}

/** The interpreter's own report, or null when it does not run (a broken install). */
async function ask(interpreter: string): Promise<Omit<Answer, "numpy"> | null> {
  const { execFile } = await import("node:child_process");
  const stdout = await new Promise<string | null>((resolve) => {
    // -I -S: no PYTHON* variables, user site or site-packages can change what it reports.
    execFile(interpreter, ["-I", "-S", "-c", REPORT], { timeout: 20_000, maxBuffer: 64 * 1024 }, (error, out) => resolve(error ? null : out));
  });
  try {
    const report = JSON.parse(stdout ?? "") as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
    return { include: text(report.include), extSuffix: text(report.extSuffix), soname: text(report.soname) };
  } catch {
    return null;
  }
}

/** Where numpy's record says its C headers are, relative to the prefix; null without numpy or headers. */
function numpyInclude(prefix: string, records: readonly RecordName[]): string | null {
  const record = findRecord(records, "numpy");
  if (!record) return null;
  const path = join(prefix, "conda-meta", record.file);
  const text = readRegularFile(path, MAX_NUMPY_RECORD_BYTES, "conda record").toString("utf8");
  const found = [...text.matchAll(NUMPY_HEADER)].map((m) => m[1]!).sort((a, b) => Number(b.includes("/_core/")) - Number(a.includes("/_core/")))[0];
  if (!found) return null;
  if (isAbsolute(found) || found.split("/").includes("..") || !isFile(join(prefix, found, "numpy", "ndarrayobject.h"))) {
    throw new UsageError(`numpy's record ${path} lists ${found}/numpy/ndarrayobject.h, which is not in the prefix`, `reinstall numpy: ${managerCommand(prefix, "reinstall", ["numpy"])}`);
  }
  return found;
}
