// What each record says about C/C++ content: its `files` under include/ and its libraries
// directly in lib/, and the names it depends on. Records listing thousands of files are
// megabytes, so a record is parsed only when its text names such a file, and what a parse found
// is cached per prefix, keyed on the record file's identity (inode, size, mtime, ctime): conda
// rewrites a record on every install. An entry is a hint: a record whose identity differs is read
// again, so a hit gives what a read gives.
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { readCacheJson, writeCacheJson } from "./cache-files.js";
import type { RecordName } from "./records.js";
import { readRegularFile } from "./regular-file.js";

export interface PackageSummary {
  readonly name: string;
  readonly version: string;
  /** Run dependencies by name (`libzlib 1.3.1 h_2` gives `libzlib`). */
  readonly depends: readonly string[];
  /** `files` entries under include/, as listed. */
  readonly headers: readonly string[];
  /** `files` entries directly in lib/ named like a shared library (`lib/libz.so`, `lib/libz.so.1`). */
  readonly sharedCandidates: readonly string[];
  /** `files` entries directly in lib/ ending in `.a`. */
  readonly staticLibraries: readonly string[];
}

/** Bump when a summary changes meaning. */
const FORMAT = 1;
/** The largest records (a whole TeX or CUDA distribution) are tens of megabytes. */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;
/** A cache file over this is a miss (it then holds more than any env's headers). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

export const SHARED_LIBRARY = /^lib\/[^/]+\.so(\.[0-9][^/]*)?$/;
const STATIC_LIBRARY = /^lib\/[^/]+\.a$/;
/** What a record's text holds when it lists C/C++ content; most records (Python packages, data) do not. */
const MAY_HAVE_CONTENT = /"include\/|"lib\/[^/"]+\.(so|a)[".]/;
/** What a record that MAY_HAVE_CONTENT holds at least one of. */
const CONTENT_MARKERS = ['"include/', ".so", '.a"'];

interface CacheEntry {
  readonly identity: string;
  readonly summary: PackageSummary | null;
}

function cacheName(prefix: string): string {
  return `packages-${createHash("sha256").update(prefix).digest("hex")}.json`;
}

function identity(path: string): string | undefined {
  const s = statSync(path, { throwIfNoEntry: false, bigint: true });
  return s && `${FORMAT}:${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

function corrupt(path: string, why: string): UsageError {
  return new UsageError(`corrupt conda record ${path}: ${why}`, "reinstall the package or remove the record");
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** The summary of one record, or null when it lists no C/C++ content. */
function readSummary(path: string, record: RecordName): PackageSummary | null {
  const bytes = readRegularFile(path, MAX_RECORD_BYTES, "conda record");
  // Byte searches first: they cost far less than decoding and a regex over megabytes.
  if (!CONTENT_MARKERS.some((m) => bytes.includes(m))) return null;
  const text = bytes.toString("utf8");
  if (!MAY_HAVE_CONTENT.test(text)) return null;
  let body: { files?: unknown; depends?: unknown; name?: unknown; version?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch (error) {
    throw corrupt(path, (error as Error).message.split("\n")[0]!);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw corrupt(path, "not a JSON object");
  const files = strings(body.files);
  const headers = files.filter((f) => f.startsWith("include/"));
  const sharedCandidates = files.filter((f) => SHARED_LIBRARY.test(f));
  const staticLibraries = files.filter((f) => STATIC_LIBRARY.test(f));
  if (headers.length + sharedCandidates.length + staticLibraries.length === 0) return null;
  return {
    name: typeof body.name === "string" ? body.name : record.name,
    version: typeof body.version === "string" ? body.version : record.version,
    depends: strings(body.depends).map((d) => d.trim().split(/[\s=<>!~]/)[0]!).filter((d) => d !== ""),
    headers,
    sharedCandidates,
    staticLibraries,
  };
}

const isStrings = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === "string");

/** A cached summary has the shape a read gives (the cache directory is not the env). */
function wellFormed(s: Partial<PackageSummary>): s is PackageSummary {
  return typeof s.name === "string" && typeof s.version === "string" && [s.depends, s.headers, s.sharedCandidates, s.staticLibraries].every(isStrings);
}

/** The summary of every record listing C/C++ content, in record order. */
export function packageSummaries(prefix: string, records: readonly RecordName[], cacheDir: string): PackageSummary[] {
  const name = cacheName(prefix);
  const cached = readCacheJson(cacheDir, name, MAX_CACHE_BYTES) as { format?: unknown; prefix?: unknown; entries?: Record<string, CacheEntry> } | undefined;
  const old = cached?.format === FORMAT && cached.prefix === prefix && cached.entries && typeof cached.entries === "object" ? cached.entries : {};
  const entries: Record<string, CacheEntry> = {};
  let changed = Object.keys(old).length !== records.length;
  const summaries: PackageSummary[] = [];
  for (const record of records) {
    const path = join(prefix, "conda-meta", record.file);
    const id = identity(path);
    const hit = Object.hasOwn(old, record.file) ? old[record.file] : undefined;
    let summary: PackageSummary | null;
    if (id && hit?.identity === id && (hit.summary === null || wellFormed(hit.summary))) {
      summary = hit.summary;
    } else {
      summary = readSummary(path, record);
      changed = true;
    }
    if (id) entries[record.file] = { identity: id, summary };
    if (summary) summaries.push(summary);
  }
  if (changed) writeCacheJson(cacheDir, name, { format: FORMAT, prefix, entries });
  return summaries;
}
