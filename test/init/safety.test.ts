// init on a checkout that a careless user or an attacker prepared (issue 9): committed links that
// lead out of the workspace, a vendored directory that is really the user's, managed files that
// are links, directories or FIFOs, a write that fails half-way, a SIGKILL, two inits at once.
// Each case checks the exit code and the one line, that nothing outside the workspace was
// touched or printed, and that nothing in it was lost.
import { execa, execaSync } from "execa";
import { spawn } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
import { BIN, cleanEnv, cli, expectOneLine, ROOT, standInPrefix, tempDir } from "../cli/helpers.js";
import { tree, workspace } from "./helpers.js";

let prefix: string;
let cache: string;
const SECRET = "machine example.com login me password hunter2\n";

beforeAll(() => {
  prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], filler: 2 });
  cache = tempDir();
});

const init = (ws: string, args: string[] = [], cwd = ROOT) => cli(["init", "--workspace", ws, "--prefix", prefix, ...args], cleanEnv(cache), cwd);

/** A directory outside the workspace with files an attacker wants read or destroyed. */
function outside(): string {
  const dir = tempDir("conda-bazel-outside-");
  writeFileSync(join(dir, "id_rsa"), SECRET);
  writeFileSync(join(dir, "BUILD.bazel"), "# not conda-bazel's\n");
  return dir;
}

/** Runs init and expects it refused: exit 2, one line matching `message`, the workspace and `other` unchanged. */
async function expectRefused(ws: string, args: string[], message: RegExp, other?: string): Promise<string> {
  const before = tree(ws);
  const otherBefore = other ? tree(other) : undefined;
  // --check is the CI step: it prints diffs, so it must not print what it may not read.
  const lines: string[] = [];
  for (const mode of [[], ["--check"]]) {
    const result = await init(ws, [...args, ...mode]);
    expect(result.exitCode, `${mode.join("")}: ${result.stderr}`).toBe(2);
    lines.push(expectOneLine(result.stderr));
    expect(lines.at(-1)).toMatch(message);
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toContain("hunter2");
  }
  expect(tree(ws)).toEqual(before);
  if (other) expect(tree(other)).toEqual(otherBefore);
  return lines[0]!;
}

describe("the vendored directory is conda-bazel's alone", () => {
  it.each([".", "./", "src", ".git", "recipe"])("init.starlarkDirectory: '%s' holding the user's files is refused, nothing deleted or overwritten", async (dir) => {
    const ws = workspace({
      WORKSPACE: "",
      "BUILD.bazel": "# mine\n",
      "src/main.c": "int main(void) { return 0; }\n",
      "src/BUILD.bazel": "# mine too\n",
      ".git/HEAD": "ref: refs/heads/main\n",
      "recipe/recipe.yaml": "package: {name: x}\n",
      "conda-bazel.yaml": `init:\n  starlarkDirectory: "${dir}"\n`,
    });
    const message = dir === "." || dir === "./" ? /'\.\/?' is the workspace root itself/ : dir === "recipe" ? /recipe\/conda_build_config\.yaml \(a file with a conda-bazel block\) is inside init\.starlarkDirectory recipe/ : /was not written by conda-bazel .*move .* out of/;
    const line = await expectRefused(ws, [], message);
    expect(line).toMatch(/conda-bazel\.yaml|init\.starlarkDirectory/);
  });

  it.each([".bazelrc", ".bazelrc.conda", "WORKSPACE"])("init.starlarkDirectory: %s (a file init writes another way) is refused", async (dir) => {
    const ws = workspace({ WORKSPACE: "", "conda-bazel.yaml": `init:\n  starlarkDirectory: ${dir}\n` });
    await expectRefused(ws, [], new RegExp(`init would write both ${dir.replace(/\./g, "\\.")} and ${dir.replace(/\./g, "\\.")}/`));
  });

  it("a committed link third_party/conda_bazel -> a directory outside: refused, nothing there deleted, written or printed", async () => {
    const secrets = outside();
    const ws = workspace();
    mkdirSync(join(ws, "third_party"));
    symlinkSync(secrets, join(ws, "third_party", "conda_bazel"));
    await expectRefused(ws, [], /third_party\/conda_bazel is a symbolic link; conda-bazel does not write, delete or read through links/, secrets);
    // The link one level up leads out too.
    const ws2 = workspace();
    symlinkSync(secrets, join(ws2, "third_party"));
    await expectRefused(ws2, [], /third_party is a symbolic link that leads out of/, secrets);
  });

  it("a committed manifest naming files outside the directory is refused", async () => {
    const ws = workspace();
    expect((await init(ws)).exitCode).toBe(0);
    const secrets = outside();
    appendFileSync(join(ws, "third_party/conda_bazel/.conda-bazel-manifest"), `../../../${secrets.split("/").pop()}/id_rsa\n`);
    await expectRefused(ws, [], /\.conda-bazel-manifest lists '\.\.\/.*', which is not a file inside third_party\/conda_bazel/, secrets);
  });

  it("deletes only files its manifest lists: a user's file in the directory stops init, and is kept", async () => {
    const ws = workspace();
    expect((await init(ws)).exitCode).toBe(0);
    writeFileSync(join(ws, "third_party/conda_bazel/notes.txt"), "mine\n");
    await expectRefused(ws, [], /third_party\/conda_bazel\/notes\.txt was not written by conda-bazel/);
    expect(readFileSync(join(ws, "third_party/conda_bazel/notes.txt"), "utf8")).toBe("mine\n");
  });

  it.each(["third_party/conda_bazel/", "./third_party/conda_bazel", "third_party//conda_bazel"])("'%s' names the same directory: a second init changes nothing and deletes nothing", async (dir) => {
    const ws = workspace({ WORKSPACE: "", "conda-bazel.yaml": `init:\n  starlarkDirectory: "${dir}"\n` });
    expect((await init(ws)).exitCode).toBe(0);
    const first = tree(ws);
    const again = await init(ws, ["--json"]);
    expect(again.exitCode).toBe(0);
    expect((JSON.parse(again.stdout) as { files: { action: string }[] }).files.every((f) => f.action === "unchanged")).toBe(true);
    expect(tree(ws)).toEqual(first);
    expect(existsSync(join(ws, "third_party/conda_bazel/defs.bzl"))).toBe(true);
    expect(readFileSync(join(ws, "WORKSPACE"), "utf8")).toContain('path = "third_party/conda_bazel",');
  });

  it("adopts a directory that conda-bazel 0.1.0 vendored (no manifest), recognised by its files", async () => {
    const ws = workspace();
    expect((await init(ws)).exitCode).toBe(0);
    const dir = join(ws, "third_party/conda_bazel");
    // 0.1.0 wrote no manifest, and some of its files differ from this release's.
    rmSync(join(dir, ".conda-bazel-manifest"));
    writeFileSync(join(dir, "private/callout.bzl"), "# as 0.1.0 wrote it\n");
    const result = await init(ws);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/updated\s+third_party\/conda_bazel\/private\/callout\.bzl/);
    expect(result.stdout).toMatch(/created\s+third_party\/conda_bazel\/\.conda-bazel-manifest/);
  });
});

describe("switching init.rulesGo off removes what init wrote for it, and only that", () => {
  const RULES_GO = "third_party/conda_rules_go";
  const on = "init:\n  rulesGo: true\n";

  it("deletes the generated files and the manifest, then the emptied directory; --check reports it first", async () => {
    const ws = workspace({ WORKSPACE: "", "conda-bazel.yaml": on });
    expect((await init(ws)).exitCode).toBe(0);
    expect(existsSync(join(ws, RULES_GO, "BUILD.bazel"))).toBe(true);
    writeFileSync(join(ws, "conda-bazel.yaml"), "init:\n  rulesGo: false\n");
    const check = await init(ws, ["--check"]);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(`--- a/${RULES_GO}/BUILD.bazel\n+++ /dev/null\n`);
    const off = await init(ws);
    expect(off.exitCode, off.stderr).toBe(0);
    expect(off.stdout).toMatch(new RegExp(`deleted\\s+${RULES_GO}/defs\\.bzl`));
    expect(existsSync(join(ws, RULES_GO))).toBe(false);
    expect(existsSync(join(ws, "third_party/conda_bazel/defs.bzl"))).toBe(true);
    expect((await init(ws, ["--check"])).exitCode).toBe(0);
  });

  it("keeps a user's file and link in the package, and the directory with them", async () => {
    const ws = workspace({ WORKSPACE: "", "conda-bazel.yaml": on });
    expect((await init(ws)).exitCode).toBe(0);
    writeFileSync(join(ws, RULES_GO, "mine.bzl"), "MINE = 1\n");
    const secrets = outside();
    symlinkSync(join(secrets, "id_rsa"), join(ws, RULES_GO, "key"));
    writeFileSync(join(ws, "conda-bazel.yaml"), "");
    const off = await init(ws);
    expect(off.exitCode, off.stderr).toBe(0);
    expect(tree(join(ws, RULES_GO))).toEqual({ "mine.bzl": ["MINE = 1\n", expect.any(Number)], key: [`link -> ${join(secrets, "id_rsa")}`, 0] });
    expect(readFileSync(join(secrets, "id_rsa"), "utf8")).toBe(SECRET);
  });

  it("recognises 0.1.0's files (no manifest) by their first line; a user's file of the same name stays", async () => {
    const ws = workspace({ WORKSPACE: "", "conda-bazel.yaml": on });
    expect((await init(ws)).exitCode).toBe(0);
    rmSync(join(ws, RULES_GO, ".conda-bazel-manifest"));
    writeFileSync(join(ws, RULES_GO, "defs.bzl"), '"""My own Go SDK macro."""\n');
    writeFileSync(join(ws, "conda-bazel.yaml"), "");
    expect((await init(ws)).exitCode).toBe(0);
    expect(tree(join(ws, RULES_GO))).toEqual({ "defs.bzl": ['"""My own Go SDK macro."""\n', expect.any(Number)] });
  });
});

describe("managed files", () => {
  it("keeps bytes that are not UTF-8 outside the block (a Latin-1 comment), byte for byte", async () => {
    const user = Buffer.concat([Buffer.from("# caf"), Buffer.from([0xe9]), Buffer.from(" \xff\xfe\r\nbuild --jobs=2\n", "latin1")]);
    const ws = workspace({ WORKSPACE: "", ".bazelrc": user });
    expect((await init(ws)).exitCode).toBe(0);
    const rc = readFileSync(join(ws, ".bazelrc"));
    expect(rc.subarray(0, user.length).equals(user)).toBe(true);
    expect(rc.includes(Buffer.from("\uFFFD"))).toBe(false);
    expect((await init(ws, ["--check"])).exitCode).toBe(0);
  });

  it("a committed .bazelrc -> ~/.netrc link: refused, its target neither printed nor copied", async () => {
    const secrets = outside();
    const ws = workspace();
    symlinkSync(join(secrets, "id_rsa"), join(ws, ".bazelrc"));
    await expectRefused(ws, [], /^conda-bazel: \.bazelrc is a symbolic link; .*\(replace \.bazelrc with a regular file/, secrets);
    expect(JSON.stringify(tree(ws))).not.toContain("hunter2");
  });

  it.each([
    ["../x.yaml", /init\.condaBuildConfig: '\.\.\/x\.yaml' leads out of the workspace/],
    ["/ABS/x.yaml", /init\.condaBuildConfig: '\/.*x\.yaml' is an absolute path/],
    [".bazelrc", /init\.condaBuildConfig: must name a conda_build_config YAML file, not a file of another kind/],
    ["recipe/recipe.yaml", /init\.condaBuildConfig: must name a conda_build_config YAML file/],
    ["conda-bazel.yaml", /init\.condaBuildConfig: must name a conda_build_config YAML file/],
    ["third_party/conda_bazel/cbc.yaml", /third_party\/conda_bazel\/cbc\.yaml \(a file with a conda-bazel block\) is inside init\.starlarkDirectory/],
  ])("init.condaBuildConfig: %s is refused, nothing written inside or outside", async (path, message) => {
    const secrets = outside();
    const ws = workspace({ WORKSPACE: "", "conda-bazel.yaml": `init:\n  condaBuildConfig: "${path.replace("/ABS", secrets)}"\n` });
    await expectRefused(ws, [], message, secrets);
    expect(existsSync(join(ws, secrets))).toBe(false);
  });

  it.each([
    ["a directory .bazelrc", (ws: string) => execaSync("sh", ["-c", `rm "${ws}/.bazelrc" && mkdir "${ws}/.bazelrc"`]), /^conda-bazel: \.bazelrc is a directory, where conda-bazel writes a file \(move the directory \.bazelrc away/],
    ["a FIFO .bazelrc", (ws: string) => execaSync("sh", ["-c", `rm "${ws}/.bazelrc" && mkfifo "${ws}/.bazelrc"`]), /\.bazelrc is not a regular file/],
    [
      "the markers in the wrong order (END before BEGIN)",
      (ws: string) => {
        const lines = readFileSync(join(ws, ".bazelrc"), "utf8").split("\n");
        const [begin, end] = [lines.findIndex((l) => l.startsWith("# BEGIN conda-bazel")), lines.indexOf("# END conda-bazel")];
        [lines[begin], lines[end]] = [lines[end]!, lines[begin]!];
        writeFileSync(join(ws, ".bazelrc"), lines.join("\n"));
      },
      /^conda-bazel: \.bazelrc has more than one or misordered conda-bazel markers; refusing to overwrite it \(restore the/,
    ],
    ["a UTF-8 BOM before the block", (ws: string) => writeFileSync(join(ws, ".bazelrc"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(join(ws, ".bazelrc"))])), /\.bazelrc starts with a UTF-8 byte-order mark .*remove the first three bytes/],
    ["a dangling link in the vendored directory", (ws: string) => symlinkSync("/nonexistent/x", join(ws, "third_party/conda_bazel/x.bzl")), /third_party\/conda_bazel\/x\.bzl is a symbolic link; .*\(remove third_party\/conda_bazel\/x\.bzl\)/],
    ["a FIFO in the vendored directory", (ws: string) => execaSync("mkfifo", [join(ws, "third_party/conda_bazel/private/pipe")]), /third_party\/conda_bazel\/private\/pipe is a named pipe \(FIFO\)/],
    ["a file where the vendored directory goes", (ws: string) => execaSync("sh", ["-c", `rm -r "${ws}/third_party/conda_bazel" && echo x > "${ws}/third_party/conda_bazel"`]), /init\.starlarkDirectory third_party\/conda_bazel is not a directory/],
  ])("%s: one line naming it and the fix, exit 2, no hang", async (_name, spoil, message) => {
    const ws = workspace();
    expect((await init(ws)).exitCode).toBe(0);
    spoil(ws);
    await expectRefused(ws, [], message);
  });
});

describe("bad input gets one line and exit 2, not an internal error", () => {
  it.each([
    ["a prefix under a file (ENOTDIR)", (ws: string) => join(ws, "WORKSPACE", "env"), /conda prefix .*WORKSPACE\/env is not a directory/],
    ["a prefix name too long", (ws: string) => join(ws, "a".repeat(300)), /conda prefix .* is too long a path/],
  ])("%s", async (_name, badPrefix, message) => {
    const ws = workspace();
    const result = await cli(["init", "--workspace", ws, "--prefix", badPrefix(ws)], cleanEnv(cache));
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toMatch(message);
  });

  it.each(["conda_bazel", "bazel_tools", "platforms", "rules_cc", "rules_python", "io_bazel_rules_go", "local_config_cc", "bazel_skylib"])("init.repository: %s (a name Bazel or a ruleset declares) is refused", async (name) => {
    const ws = workspace({ WORKSPACE: "", "conda-bazel.yaml": `init:\n  repository: ${name}\n` });
    const before = tree(ws);
    const result = await init(ws);
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toContain(`init.repository: '${name}' is a repository Bazel, a ruleset or conda-bazel already declares`);
    expect(tree(ws)).toEqual(before);
  });

  it("prefix: in conda-bazel.yaml is relative to that file, not to the working directory", async () => {
    const ws = workspace();
    buildStandInPrefix(join(ws, "envs", "dev"), { subdirs: ["linux-64"], filler: 0, python: false, go: "none" });
    writeFileSync(join(ws, "conda-bazel.yaml"), "prefix: envs/dev\n");
    const elsewhere = tempDir();
    const result = await cli(["init", "--workspace", ws], cleanEnv(cache), elsewhere);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(ws, ".bazelrc.conda"), "utf8")).toContain(`--repo_env=CONDA_BAZEL_PREFIX=${join(ws, "envs", "dev")}\n`);
  });

  it("a closed stdout (describe | head -1, init --check | head -1) ends quietly, with the command's own exit code", async () => {
    // `true` exits before conda-bazel writes, so every write meets a closed pipe.
    const run = (args: string) => execa("bash", ["-c", `"${process.execPath}" "${BIN}" ${args} | true; exit "\${PIPESTATUS[0]}"`], { env: cleanEnv(cache), extendEnv: false, reject: false });
    const describe = await run(`describe --prefix "${prefix}" --json`);
    expect(describe.stderr).toBe("");
    expect(describe.exitCode).toBe(0);
    const ws = workspace();
    const check = await run(`init --workspace "${ws}" --prefix "${prefix}" --check`);
    expect(check.exitCode).toBe(1);
    expect(expectOneLine(check.stderr)).toMatch(/out of date/);
  });
});

describe("writes are all or nothing, one init at a time", () => {
  /** Runs init bound by file permissions: as root (the test may run as root), with every
   * capability dropped, so that a directory's mode stops it as it stops any user. */
  const bound = (ws: string, extra: string[] = []) => {
    const args = [BIN, "init", "--workspace", ws, "--prefix", prefix, ...extra];
    const [file, argv] = process.getuid?.() === 0 ? ["setpriv", ["--bounding-set=-all", "--inh-caps=-all", "--", process.execPath, ...args]] : [process.execPath, args];
    return execa(file, argv as string[], { env: cleanEnv(cache), extendEnv: false, reject: false });
  };

  it("a directory that is not writable half-way through: exit 2 naming the path, every file as it was, no temp file left", async () => {
    const ws = workspace({ WORKSPACE: "", ".bazelrc": "build --jobs=2\n", "recipe/recipe.yaml": "package: {name: x}\n" });
    const first = await bound(ws);
    expect(first.exitCode, first.stderr).toBe(0);
    // The recipe's directory becomes read-only; the new target set changes .bazelrc, WORKSPACE
    // and .bazelrc.conda (staged before) and recipe/conda_build_config.yaml (which fails).
    chmodSync(join(ws, "recipe"), 0o555);
    const before = tree(ws);
    const second = await bound(ws, ["--target", "linux-aarch64"]);
    chmodSync(join(ws, "recipe"), 0o755);
    expect(second.exitCode).toBe(2);
    expect(expectOneLine(second.stderr)).toMatch(/^conda-bazel: cannot write recipe\/conda_build_config\.yaml \(EACCES\); nothing was changed \(make recipe writable/);
    expect(tree(ws)).toEqual(before);
  });

  it("a directory in the vendored directory that init may not read: one line naming it, exit 2, nothing written", async () => {
    const ws = workspace();
    expect((await bound(ws)).exitCode).toBe(0);
    const hidden = join(ws, "third_party/conda_bazel/private");
    const before = tree(ws);
    chmodSync(hidden, 0o000);
    const result = await bound(ws, ["--target", "linux-aarch64"]);
    chmodSync(hidden, 0o755);
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toBe(`conda-bazel: cannot scandir ${hidden}: permission denied (fix that path or its permissions and run again)`);
    expect(tree(ws)).toEqual(before);
  });

  it("two inits at once with different prefixes and targets: both finish, and the result is wholly one of them", async () => {
    const ws = workspace();
    const other = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], filler: 2 }, "other-env");
    const a = ["init", "--workspace", ws, "--prefix", prefix, "--target", "linux-64"];
    const b = ["init", "--workspace", ws, "--prefix", other, "--target", "linux-aarch64"];
    const [ra, rb] = await Promise.all([cli(a, cleanEnv(cache)), cli(b, cleanEnv(cache))]);
    expect([ra.exitCode, rb.exitCode, ra.stderr, rb.stderr]).toEqual([0, 0, "", ""]);
    const checks = await Promise.all([cli([...a, "--check"], cleanEnv(cache)), cli([...b, "--check"], cleanEnv(cache))]);
    // Every file (the machine-local one included) is what one of the two runs writes alone.
    const local = readFileSync(join(ws, ".bazelrc.conda"), "utf8");
    const winner = checks.findIndex((c) => c.exitCode === 0);
    expect(checks.map((c) => c.exitCode).sort()).toEqual([0, 1]);
    expect(local).toContain(`CONDA_BAZEL_PREFIX=${winner === 0 ? prefix : other}\n`);
    expect(existsSync(join(ws, ".conda-bazel.lock"))).toBe(false);
  });

  it("waits while a live init holds the workspace lock, and takes over a lock whose owner is dead", async () => {
    const ws = workspace();
    const lock = join(ws, ".conda-bazel.lock");
    const { hostname } = await import("node:os");
    writeFileSync(lock, `pid ${process.pid} on ${hostname()}\n`);
    const waiting = init(ws);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(existsSync(join(ws, ".bazelrc"))).toBe(false);
    rmSync(lock);
    expect((await waiting).exitCode).toBe(0);
    // A run killed while it held the lock: its pid no longer exists.
    const dead = execaSync("sh", ["-c", "echo $$"]).stdout.trim();
    writeFileSync(lock, `pid ${dead} on ${hostname()}\n`);
    const taken = await init(ws, ["--target", "linux-aarch64"]);
    expect(taken.exitCode, taken.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it("SIGKILL between staging and renaming: the user's lines survive, and the next init sweeps the temp files", async () => {
    const user = "build --jobs=2\n# mine\n";
    for (let attempt = 0; attempt < 30; attempt++) {
      const ws = workspace({ WORKSPACE: "", ".bazelrc": user });
      const child = spawn(process.execPath, [BIN, "init", "--workspace", ws, "--prefix", prefix], { env: cleanEnv(cache) as NodeJS.ProcessEnv, stdio: "ignore" });
      const exited = new Promise((resolve) => child.on("exit", resolve));
      // The first temp file in the root is staged after the vendored ones: kill the run right there.
      const watcher = watch(ws, (_event, name) => {
        if (name && /^\.[0-9a-f]{12}\.conda-bazel\.tmp$/.test(name)) child.kill("SIGKILL");
      });
      await exited;
      watcher.close();
      const temps = Object.keys(tree(ws)).filter((p) => /\.conda-bazel\.tmp$/.test(p));
      if (temps.length === 0) continue;
      expect(readFileSync(join(ws, ".bazelrc"), "utf8").startsWith(user)).toBe(true);
      const next = await init(ws);
      expect(next.exitCode, next.stderr).toBe(0);
      expect(Object.keys(tree(ws)).filter((p) => /\.conda-bazel\.(tmp|lock)$/.test(p))).toEqual([]);
      expect(readFileSync(join(ws, ".bazelrc"), "utf8").startsWith(user)).toBe(true);
      expect((await init(ws, ["--check"])).exitCode).toBe(0);
      return;
    }
    throw new Error("no SIGKILL landed between staging and renaming in 30 runs");
  });
});
