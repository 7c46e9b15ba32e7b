// Install hints in the words of the manager that made the env, as describe shows them for a
// missing target and doctor for a go-activation to remove.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, standInPrefix, tempDir } from "../cli/helpers.js";

const cache = tempDir("conda-bazel-cache-");
const PACKAGES = "gcc_linux-aarch64 gxx_linux-aarch64 sysroot_linux-aarch64";

async function missingHint(prefix: string): Promise<string> {
  const result = await cli(["describe", "--prefix", prefix, "--json", "-t", "linux-aarch64"], cleanEnv(cache));
  expect(result.exitCode, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { missing: { hint: string }[] }).missing[0]!.hint;
}

const base = { subdirs: ["linux-64"], go: "none", python: false, zlib: false } as const;

describe("install hints name the env's manager", () => {
  for (const manager of ["conda", "mamba", "micromamba"] as const) {
    it(`${manager}, from conda-meta/history`, async () => {
      const prefix = standInPrefix({ ...base, manager });
      expect(await missingHint(prefix)).toBe(`${manager} install -p ${prefix} -c conda-forge ${PACKAGES}`);
    });
  }

  it("pixi, through the project's manifest, for the default and a named environment", async () => {
    const pixiEnv = (name: string) => {
      const prefix = standInPrefix({ ...base, pixi: true }, join("pixi project", ".pixi", "envs", name));
      const manifest = join(prefix, "..", "..", "..", "pixi.toml");
      writeFileSync(manifest, '[workspace]\nname = "p"\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n');
      return { prefix, manifest: `'${resolve(manifest)}'` };
    };
    const defaultEnv = pixiEnv("default");
    expect(await missingHint(defaultEnv.prefix)).toBe(`pixi add --manifest-path ${defaultEnv.manifest} ${PACKAGES}`);
    const named = pixiEnv("cross");
    expect(await missingHint(named.prefix)).toBe(`pixi add --manifest-path ${named.manifest} --feature cross ${PACKAGES}`);
  });

  it("and say when the history does not tell", async () => {
    const prefix = standInPrefix({ ...base, manager: "unknown" });
    expect(await missingHint(prefix)).toBe(
      `conda install -p ${prefix} -c conda-forge ${PACKAGES} (conda-meta/history does not say which manager made this env; with mamba or micromamba the arguments are the same)`,
    );
  });

  it("removing a package: doctor's fix for a foreign go-cgo activation in a micromamba env", async () => {
    const prefix = standInPrefix({ ...base, go: "cgo", manager: "micromamba", goActivation: ["linux-aarch64"] });
    const result = await cli(["doctor", "--prefix", prefix], cleanEnv(cache));
    expect(result.stdout).toContain(`(fix: micromamba remove -p ${prefix} go-cgo_linux-aarch64, or unset`);
  });
});
