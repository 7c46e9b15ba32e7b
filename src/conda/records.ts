// conda-meta records. Their file names (`<name>-<version>-<build>.json`) carry most of what
// discovery needs; bodies are read only for the subdir, and only of a few small records,
// because some records (those listing thousands of files) are megabytes.
import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { TARGETS } from "../targets.js";
import { readRegularFile } from "./regular-file.js";

export interface RecordName {
  readonly file: string;
  readonly name: string;
  readonly version: string;
  readonly build: string;
}

/** Splits from the right: names contain dashes, versions and build strings do not. */
export function parseRecordFileName(file: string): RecordName | undefined {
  if (!file.endsWith(".json")) return undefined;
  const stem = file.slice(0, -".json".length);
  const buildAt = stem.lastIndexOf("-");
  const versionAt = stem.lastIndexOf("-", buildAt - 1);
  if (versionAt <= 0 || buildAt === versionAt + 1 || buildAt === stem.length - 1) return undefined;
  return { file, name: stem.slice(0, versionAt), version: stem.slice(versionAt + 1, buildAt), build: stem.slice(buildAt + 1) };
}

/** Every record of the prefix, sorted by file name. */
export function listRecords(prefix: string): RecordName[] {
  return readdirSync(join(prefix, "conda-meta"))
    .sort()
    .map(parseRecordFileName)
    .filter((r): r is RecordName => r !== undefined);
}

/** Changes on every install, update or removal, without reading any record. */
export function recordsFingerprint(records: readonly RecordName[]): string {
  return createHash("sha256")
    .update(records.map((r) => `${r.file}\n`).join(""))
    .digest("hex");
}

export function findRecord(records: readonly RecordName[], name: string): RecordName | undefined {
  return records.find((r) => r.name === name);
}

const SUBDIR = /^(noarch|[a-z0-9]+-[a-z0-9_]+)$/;

/** The subdir a record body names: `subdir`, else the directory part of `url` (pixi writes
 * `channel` without the subdir, so the channel is no help). */
export function subdirOfRecord(body: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof body.subdir === "string" && SUBDIR.test(body.subdir)) return body.subdir;
  if (typeof body.url === "string") {
    const segment = body.url.split("/").slice(-2, -1)[0];
    if (segment && SUBDIR.test(segment)) return segment;
  }
  return undefined;
}

function readRecord(prefix: string, record: RecordName): Record<string, unknown> {
  const path = join(prefix, "conda-meta", record.file);
  let body: unknown;
  try {
    body = JSON.parse(readRegularFile(path, MAX_RECORD_BYTES, "conda record").toString("utf8"));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const why = error instanceof SyntaxError ? error.message : (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`corrupt conda record ${path}: ${why.split("\n")[0]}`, "reinstall the package or remove the record");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new UsageError(`corrupt conda record ${path}: not a JSON object`, "reinstall the package or remove the record");
  }
  return body as Record<string, unknown>;
}

/** Enough platform-specific records to outvote a stray one, a bound on how many are read, and
 * on their size: records of packages with many files are megabytes, mutexes a few hundred bytes. */
const WANTED_VOTES = 5;
const MAX_READS = 24;
const MAX_RECORD_BYTES = 64 * 1024;

/** Mutexes (`_libgcc_mutex`) and packages named after a subdir (`gcc_linux-64`,
 * `ld_impl_linux-64`) are small and mostly built per platform: they are asked first, so a
 * large env needs a few dozen stats, not one per record. */
const LIKELY_PLATFORM_SPECIFIC = new RegExp(`^_|_(${[...new Set(TARGETS.map((t) => t.subdir.split("-")[0]))].join("|")})-`);

/** The most common non-noarch subdir among the smallest records, or undefined. */
export function majoritySubdir(prefix: string, records: readonly RecordName[]): string | undefined {
  const votes = new Map<string, number>();
  const likely = records.filter((r) => LIKELY_PLATFORM_SPECIFIC.test(r.name));
  const rest = records.filter((r) => !LIKELY_PLATFORM_SPECIFIC.test(r.name));
  const budget = { reads: MAX_READS, votes: WANTED_VOTES };
  castVotes(prefix, likely, votes, budget);
  if (budget.votes > 0 && budget.reads > 0) castVotes(prefix, rest, votes, budget);
  let best: [string, number] | undefined;
  for (const entry of [...votes].sort()) if (!best || entry[1] > best[1]) best = entry;
  return best?.[0];
}

/** Reads the smallest of `records` (by stat) until the budget of reads or votes is spent. */
function castVotes(prefix: string, records: readonly RecordName[], votes: Map<string, number>, budget: { reads: number; votes: number }): void {
  const dir = join(prefix, "conda-meta");
  const bySize = records
    .map((r) => ({ r, size: statSync(join(dir, r.file), { throwIfNoEntry: false })?.size ?? Infinity }))
    .filter((s) => s.size <= MAX_RECORD_BYTES)
    .sort((a, b) => a.size - b.size || (a.r.file < b.r.file ? -1 : 1));
  for (const { r } of bySize) {
    if (budget.reads <= 0 || budget.votes <= 0) return;
    budget.reads--;
    const subdir = subdirOfRecord(readRecord(prefix, r));
    if (!subdir || subdir === "noarch") continue;
    votes.set(subdir, (votes.get(subdir) ?? 0) + 1);
    budget.votes--;
  }
}
