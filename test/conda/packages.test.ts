// The env's packages with C/C++ content, as describe --json gives them to the repository rule:
// read from each package's own record (Debian's real zlib and bzip2 laid out as conda-forge's),
// every listed file checked, bad records named with their fix, and the per-prefix cache of record
// summaries a hint that never changes the answer.
import { execa } from "execa";
import { readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { elfSoname } from "../../src/conda/elf-soname.js";
import { discoverPackages } from "../../src/conda/packages.js";
import { listRecords } from "../../src/conda/records.js";
import { EnvironmentSchema } from "../../src/environment.js";
import { cleanEnv, cli, standInPrefix, tempDir } from "../cli/helpers.js";

const LEAN = { subdirs: ["linux-64"], go: "none", python: false, filler: 3 } as const;

function recordPath(prefix: string, name: string): string {
  return join(prefix, "conda-meta", listRecords(prefix).find((r) => r.name === name)!.file);
}

/** Rewrites a record's body as conda would on a reinstall (a new file: new identity). */
function editRecord(prefix: string, name: string, edit: (body: { files: string[]; depends: string[] }) => void): void {
  const path = recordPath(prefix, name);
  const body = JSON.parse(readFileSync(path, "utf8"));
  edit(body);
  rmSync(path);
  writeFileSync(path, JSON.stringify(body));
}

const discover = (prefix: string, cache: string) => discoverPackages(prefix, listRecords(prefix), cache);

describe("the env's packages with C/C++ content", () => {
  it("lists zlib, libzlib, bzip2 and libgcc from their records: headers, SONAME links, archives, depends", async () => {
    const prefix = standInPrefix(LEAN);
    const result = await cli(["describe", "--json", "--prefix", prefix], cleanEnv(tempDir()));
    expect(result.exitCode, result.stderr).toBe(0);
    const env = EnvironmentSchema.parse(JSON.parse(result.stdout));
    expect(env.packageProblems).toEqual([]);
    const byName = Object.fromEntries(env.packages.map((p) => [p.name, p]));
    // Filler (Python-only) packages and the compilers have no include/ or lib/*.so content.
    expect(Object.keys(byName)).toEqual(["bzip2", "libgcc", "libzlib", "zlib"]);
    expect(byName.zlib).toMatchObject({ headers: ["include/zconf.h", "include/zlib.h"], sharedLibraries: [], staticLibraries: ["lib/libz.a"], depends: ["libgcc", "libzlib"] });
    // libz.so (zlib's linker-name link) is not imported: the loader looks for the SONAME, libzlib's link.
    const zfile = readdirSync(join(prefix, "lib")).find((f) => /^libz\.so\.\d+\.\d+/.test(f))!;
    expect(byName.libzlib!.sharedLibraries).toEqual([{ path: "lib/libz.so.1", soname: "libz.so.1", file: `lib/${zfile}` }]);
    expect(byName.bzip2).toMatchObject({ headers: ["include/bzlib.h"], staticLibraries: ["lib/libbz2.a"], depends: ["libgcc"] });
    expect(byName.bzip2!.sharedLibraries.map((l) => [l.path, l.soname])).toEqual([["lib/libbz2.so.1.0", "libbz2.so.1.0"]]);
    // What readelf says the SONAMEs are.
    const { stdout } = await execa("readelf", ["-d", join(prefix, "lib", "libbz2.so")]);
    expect(stdout).toContain("Library soname: [libbz2.so.1.0]");
  });

  it("reads SONAMEs from ELF files and nothing from others", () => {
    const prefix = standInPrefix(LEAN);
    expect(elfSoname(join(prefix, "lib", "libz.so"))).toBe("libz.so.1");
    expect(elfSoname(join(prefix, "lib", "libgcc_s.so.1"))).toBe("libgcc_s.so.1");
    // A linker script (as libgcc's lib/libgcc_s.so is), an executable without SONAME, a missing file.
    const script = join(prefix, "lib", "libscript.so");
    writeFileSync(script, "/* GNU ld script */\nGROUP ( libgcc_s.so.1 )\n");
    expect(elfSoname(script)).toBeUndefined();
    expect(elfSoname(join(prefix, "bin", "bzip2"))).toBeNull();
    expect(elfSoname(join(prefix, "lib", "nothing.so"))).toBeUndefined();
  });

  it("names the package, the file and the fix for missing files, headers leading out of include/ and headers two packages own", () => {
    const prefix = standInPrefix(LEAN);
    const cache = tempDir();
    rmSync(join(prefix, "include", "zconf.h"));
    editRecord(prefix, "bzip2", (b) => b.files.push("include/../../etc/passwd.h"));
    symlinkSync("/usr/include/stdio.h", join(prefix, "include", "stdio.h"));
    editRecord(prefix, "libgcc", (b) => b.files.push("include/stdio.h", "include/bzlib.h"));
    const { packages, packageProblems } = discover(prefix, cache);
    const reinstall = (name: string) => `reinstall it: conda install -p ${prefix} -c conda-forge --force-reinstall ${name}`;
    expect(packageProblems).toEqual([
      { package: "bzip2", problem: "its record lists a header outside include/: include/../../etc/passwd.h", hint: reinstall("bzip2") },
      { package: "libgcc", problem: "include/stdio.h links outside the prefix, to /usr/include/stdio.h", hint: reinstall("libgcc") },
      { package: "libgcc", problem: "include/bzlib.h is also listed by bzip2: two packages own one header", hint: `remove it: conda remove -p ${prefix} libgcc` },
      { package: "zlib", problem: "its record lists include/zconf.h, which is not in the prefix", hint: reinstall("zlib") },
    ]);
    // No half target: a package with a problem is not listed at all.
    expect(packages.map((p) => p.name)).toEqual(["libzlib"]);
  });

  it("caches what records say, and a changed record or a forged cache entry never changes the answer", () => {
    const prefix = standInPrefix(LEAN);
    const cache = tempDir();
    const first = discover(prefix, cache);
    const [entry] = readdirSync(cache).filter((f) => f.startsWith("packages-"));
    expect(entry).toBeDefined();
    expect(discover(prefix, cache)).toEqual(first);

    // A reinstall that changes the record (here: a header fewer) is read again.
    editRecord(prefix, "zlib", (b) => (b.files = b.files.filter((f) => f !== "include/zconf.h")));
    const edited = discover(prefix, cache);
    expect(edited.packages.find((p) => p.name === "zlib")!.headers).toEqual(["include/zlib.h"]);

    // Same size, same mtime, rewritten in place: the ctime still tells (and size and mtime alone would not).
    const path = recordPath(prefix, "bzip2");
    const text = readFileSync(path, "utf8");
    const stat = { atime: new Date(1e12), mtime: new Date(1e12) };
    utimesSync(path, stat.atime, stat.mtime);
    discover(prefix, cache);
    writeFileSync(path, text.replace('"include/bzlib.h"', '"include/bzlib.x"'));
    utimesSync(path, stat.atime, stat.mtime);
    expect(discover(prefix, cache).packageProblems.map((p) => p.problem)).toEqual(["its record lists include/bzlib.x, which is not in the prefix"]);
    writeFileSync(path, text);

    // A forged entry (the cache directory is not the env) is no answer: well-formed or not.
    const forged = JSON.parse(readFileSync(join(cache, entry!), "utf8"));
    for (const e of Object.values(forged.entries) as { summary: unknown }[]) e.summary = { name: "evil", version: "1", depends: [], headers: ["include/evil.h"], sharedCandidates: 7, staticLibraries: [] };
    writeFileSync(join(cache, entry!), JSON.stringify(forged));
    const fresh = discover(prefix, tempDir());
    expect(discover(prefix, cache)).toEqual(fresh);
    writeFileSync(join(cache, entry!), "{not json");
    expect(discover(prefix, cache)).toEqual(fresh);
  });
});
