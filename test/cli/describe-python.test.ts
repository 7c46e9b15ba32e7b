// describe's python object on stand-in prefixes laid out as conda-forge's python and numpy:
// what extension modules need (headers, EXT_SUFFIX, libpython, numpy's headers), checked against
// what the real interpreter and numpy say, the numpy 2 layout, bad numpy records, and the cache
// of the interpreter's answer (a hint: a second run asks nothing, a changed interpreter is asked).
import { execa } from "execa";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EnvironmentSchema, type Environment } from "../../src/environment.js";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "./helpers.js";

async function describeJson(prefix: string, cache = tempDir("conda-bazel-cache-")): Promise<Environment> {
  const result = await cli(["describe", "--json", "--prefix", prefix], cleanEnv(cache));
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  return EnvironmentSchema.parse(JSON.parse(result.stdout));
}

async function ask(interpreter: string, code: string): Promise<string> {
  return (await execa(interpreter, ["-c", code], { env: {}, extendEnv: false })).stdout.trim();
}

const numpyRecord = (prefix: string) => join(prefix, "conda-meta", readdirSync(join(prefix, "conda-meta")).find((f) => f.startsWith("numpy-"))!);

const PYTHON = { subdirs: ["linux-64"], go: "none" as const, filler: 0 };

describe("describe --json: the env's Python, for extension modules", () => {
  it("reports the include directory, EXT_SUFFIX, libpython and numpy's headers as the interpreter and numpy report them", async () => {
    const prefix = standInPrefix(PYTHON);
    const py = (await describeJson(prefix)).python!;
    expect(py.includeDir).toBe(join(prefix, "include", `python${py.version.split(".").slice(0, 2).join(".")}`));
    expect(existsSync(join(py.includeDir!, "Python.h"))).toBe(true);
    expect(py.includeDir).toBe(await ask(py.interpreter, "import sysconfig; print(sysconfig.get_path('include'))"));
    expect(py.extSuffix).toBe(await ask(py.interpreter, "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"));
    expect(py.extSuffix).toMatch(/^\.cpython-3\d+-x86_64-linux-gnu\.so$/);
    expect(py.libpython).toBe(join(prefix, "lib", await ask(py.interpreter, "import sysconfig; print(sysconfig.get_config_var('INSTSONAME'))")));
    // numpy imports in the stand-in Python from the prefix's site-packages, as in a conda env.
    expect(py.numpyInclude).toBe(await ask(py.interpreter, "import numpy; print(numpy.get_include())"));
    expect(py.numpyInclude!.startsWith(join(prefix, "lib"))).toBe(true);
  });

  it("finds numpy 2's headers in numpy/_core/include, and reports none without numpy", async () => {
    const prefix = standInPrefix(PYTHON);
    const record = numpyRecord(prefix);
    const site = /"(lib\/python[^"/]+\/site-packages)\/numpy\//.exec(readFileSync(record, "utf8"))![1]!;
    rmSync(join(prefix, site, "numpy"));
    mkdirSync(join(prefix, site, "numpy", "_core", "include", "numpy"), { recursive: true });
    writeFileSync(join(prefix, site, "numpy", "_core", "include", "numpy", "ndarrayobject.h"), "/* numpy 2 */\n");
    writeFileSync(record, readFileSync(record, "utf8").replaceAll("/numpy/core/include/", "/numpy/_core/include/"));
    expect((await describeJson(prefix)).python!.numpyInclude).toBe(join(prefix, site, "numpy", "_core", "include"));

    rmSync(record);
    expect((await describeJson(prefix)).python!.numpyInclude).toBeNull();
  });

  it("refuses, in one line naming the fix, a numpy record listing headers that are not there", async () => {
    const prefix = standInPrefix(PYTHON);
    const site = readdirSync(join(prefix, "lib")).find((d) => d.startsWith("python3"))!;
    rmSync(join(prefix, "lib", site, "site-packages", "numpy"));
    const result = await cli(["describe", "--json", "--prefix", prefix], cleanEnv(tempDir()));
    expect(result.exitCode).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toMatch(/numpy's record .* lists .*numpy\/core\/include\/numpy\/ndarrayobject\.h, which is not in the prefix.*reinstall numpy/);
  });

  it("asks the interpreter once: a second run asks nothing, a changed interpreter is asked again, one that does not run gives nulls", async () => {
    const prefix = standInPrefix(PYTHON);
    const bin = join(prefix, "bin");
    const name = readdirSync(bin).find((n) => /^python3\.\d+$/.test(n))!;
    // The interpreter behind a wrapper that logs each start; the copy stays in bin/, so it
    // still takes the prefix as sys.prefix.
    renameSync(join(bin, name), join(bin, `real-${name}`));
    const log = join(tempDir(), "starts.log");
    const wrapper = join(bin, name);
    writeFileSync(wrapper, `#!/bin/sh\necho started >> '${log}'\nexec "$(dirname "$0")/real-${name}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const starts = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").length : 0);
    const cache = tempDir("conda-bazel-cache-");
    const first = await describeJson(prefix, cache);
    expect(starts()).toBe(1);
    expect(first.python!.extSuffix).toMatch(/^\.cpython-/);
    expect(await describeJson(prefix, cache)).toEqual(first);
    expect(starts()).toBe(1);
    // An entry that fails its checks (a suffix naming a path) is a miss: the result is a cold run's.
    const entries = readdirSync(cache).filter((f) => f.startsWith("python-"));
    expect(entries).toHaveLength(1);
    writeFileSync(join(cache, entries[0]!), readFileSync(join(cache, entries[0]!), "utf8").replace(/"extSuffix":"[^"]*"/, '"extSuffix":"../evil"'));
    expect(await describeJson(prefix, cache)).toEqual(first);
    expect(starts()).toBe(2);
    // A reinstalled interpreter is a new file: asked again.
    writeFileSync(wrapper, readFileSync(wrapper, "utf8").replace("exec ", "exec  "));
    await describeJson(prefix, cache);
    expect(starts()).toBe(3);
    // One that does not run: describe still works, without the facts only it knows.
    writeFileSync(wrapper, "#!/bin/sh\nexit 1\n");
    const broken = (await describeJson(prefix, cache)).python!;
    expect(broken).toMatchObject({ includeDir: null, extSuffix: null, libpython: null, numpyInclude: first.python!.numpyInclude });
  });
});
