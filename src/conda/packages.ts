// The env's packages with C/C++ content, as the repository rule turns them into cc targets:
// headers under include/, the shared libraries to import (each by its SONAME link, the name the
// loader looks for), static archives, and run dependencies among these packages. Every file is
// checked here, so that what a record promises and the prefix does not hold is one clear problem
// at fetch time, never a target missing a file.
import { lstatSync, realpathSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import type { CondaPackage, PackageProblem } from "../environment.js";
import { escapeControl } from "../errors.js";
import { elfSoname } from "./elf-soname.js";
import { managerCommand } from "./install-hint.js";
import { packageSummaries, type PackageSummary } from "./package-summaries.js";
import type { RecordName } from "./records.js";

export interface Packages {
  readonly packages: CondaPackage[];
  readonly packageProblems: PackageProblem[];
}

type Shared = CondaPackage["sharedLibraries"][number];

/** `path` relative to `root` when it lies inside it, else undefined. */
function inside(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith("/") ? rel : undefined;
}

/** A listed path that stays where it says: no `.`/`..`/empty segment, not absolute. */
const normalised = (path: string) => path.split("/").every((s) => s !== "" && s !== "." && s !== "..");

interface Problem {
  readonly text: string;
  /** What fixes it: a reinstall restores the package's files; of two owners, one must go. */
  readonly action: "reinstall" | "remove";
}

class Checker {
  readonly problems: Problem[] = [];

  note(text: string, action: Problem["action"] = "reinstall"): void {
    this.problems.push({ text, action });
  }

  constructor(
    readonly prefix: string,
    readonly realPrefix: string,
  ) {}

  /** lstat of a listed file, or undefined with the problem noted. */
  private stat(path: string) {
    const stats = lstatSync(join(this.prefix, path), { throwIfNoEntry: false });
    if (!stats) this.note(`its record lists ${path}, which is not in the prefix`);
    return stats;
  }

  /** The real path, relative to the prefix, of a listed file that is a link; undefined (noted) when it leads out. */
  private resolve(path: string): string | undefined {
    let real: string;
    try {
      real = realpathSync(join(this.prefix, path));
    } catch {
      this.note(`its record lists ${path}, a link to nothing`);
      return undefined;
    }
    const rel = inside(this.realPrefix, real);
    if (rel === undefined) this.note(`${path} links outside the prefix, to ${real}`);
    return rel;
  }

  /** A listed file as it is: its lstat, and its path relative to the real prefix (links
   * followed); undefined, with the problem noted, when it is missing or leads out. */
  private locate(path: string) {
    const stats = this.stat(path);
    const real = stats && (stats.isSymbolicLink() ? this.resolve(path) : path);
    return stats && real !== undefined ? { stats, real } : undefined;
  }

  headers(listed: readonly string[]): string[] {
    return listed.filter((path) => {
      if (!normalised(path)) {
        this.note(`its record lists a header outside include/: ${path}`);
        return false;
      }
      const found = this.locate(path);
      // A listed directory (a link to one, as some packages ship) holds no header itself.
      return found !== undefined && !statSync(join(this.realPrefix, found.real)).isDirectory();
    });
  }

  /** Shared-library candidates (`lib/<name>.so*`, so normalised by their pattern) to import. */
  shared(listed: readonly string[]): Shared[] {
    return listed.flatMap((path) => {
      const found = this.locate(path);
      if (!found) return [];
      const { stats, real } = found;
      const soname = elfSoname(join(this.realPrefix, real));
      // The link named by the SONAME is imported; the linker-name link (`libz.so`) and the
      // versioned file are reached through it. Without a SONAME, the file itself is the library.
      return soname === basename(path) || (soname === null && !stats.isSymbolicLink()) ? [{ path, soname, file: real }] : [];
    });
  }

  present(listed: readonly string[]): string[] {
    return listed.filter((path) => this.stat(path) !== undefined);
  }
}

/** Record paths are the packager's: escaped, so that the message stays one line. */
function problem(prefix: string, summary: PackageSummary, { text, action }: Problem): PackageProblem {
  return { package: escapeControl(summary.name), problem: escapeControl(text), hint: escapeControl(`${action} it: ${managerCommand(prefix, action, [summary.name])}`) };
}

export function discoverPackages(prefix: string, records: readonly RecordName[], cacheDir: string): Packages {
  const summaries = packageSummaries(prefix, records, cacheDir);
  const packageProblems: PackageProblem[] = [];
  if (summaries.length === 0) return { packages: [], packageProblems };
  const realPrefix = realpathSync(prefix);
  const found: { summary: PackageSummary; headers: string[]; sharedLibraries: Shared[]; staticLibraries: string[] }[] = [];
  const owners = new Map<string, string>();
  for (const summary of [...summaries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const check = new Checker(prefix, realPrefix);
    const headers = check.headers(summary.headers);
    const sharedLibraries = check.shared(summary.sharedCandidates);
    const staticLibraries = check.present(summary.staticLibraries);
    for (const header of headers) {
      const owner = owners.get(header);
      if (owner !== undefined) check.note(`${header} is also listed by ${owner}: two packages own one header`, "remove");
      else owners.set(header, summary.name);
    }
    if (check.problems.length > 0) {
      packageProblems.push(...check.problems.map((p) => problem(prefix, summary, p)));
      continue;
    }
    if (headers.length + sharedLibraries.length + staticLibraries.length > 0) found.push({ summary, headers, sharedLibraries, staticLibraries });
  }
  const names = new Set(found.map((f) => f.summary.name));
  const packages = found.map(({ summary, headers, sharedLibraries, staticLibraries }) => ({
    name: summary.name,
    version: summary.version,
    headers,
    sharedLibraries,
    staticLibraries,
    depends: [...new Set(summary.depends)].filter((d) => d !== summary.name && names.has(d)).sort(),
  }));
  return { packages, packageProblems };
}
