// `conda-bazel targets`: the target table, for people and for scripts.
import type { CommandArgs } from "../cli.js";
import { EXIT } from "../errors.js";
import { sharedLibraryName, TARGETS } from "../targets.js";
import { table } from "./table.js";
import { writeOut } from "../output.js";

export async function run(args: CommandArgs): Promise<number> {
  if (args.values.json) {
    const rows = TARGETS.map((t) => ({
      triplet: t.triplet,
      subdir: t.subdir,
      condaTriplets: t.condaTriplets,
      compilerFamily: t.family,
      compilerPackages: t.compilerPackages,
      goos: t.goos,
      goarch: t.goarch,
      bazelConstraints: [`@platforms//os:${t.bazelOs}`, `@platforms//cpu:${t.bazelCpus[0]}`],
      sharedLibrary: sharedLibraryName(t, "NAME"),
      aliases: t.aliases,
    }));
    writeOut(`${JSON.stringify({ targets: rows }, null, 2)}\n`);
    return EXIT.ok;
  }
  const header = ["TARGET", "SUBDIR", "GO", "BAZEL", "LIBRARY", "ALIASES"];
  const rows = TARGETS.map((t) => [
    t.triplet,
    t.subdir,
    `${t.goos}/${t.goarch}`,
    `${t.bazelOs}/${t.bazelCpus[0]}`,
    sharedLibraryName(t, "NAME"),
    t.aliases.join(", "),
  ]);
  writeOut(`${table([header, ...rows]).join("\n")}\n`);
  return EXIT.ok;
}
