// `conda-bazel targets`: the target table, for people and for scripts.
import type { CommandArgs } from "../cli.js";
import { EXIT } from "../errors.js";
import { sharedLibraryName, TARGETS } from "../targets.js";

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
    process.stdout.write(`${JSON.stringify({ targets: rows }, null, 2)}\n`);
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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  process.stdout.write(`${[line(header), ...rows.map(line)].join("\n")}\n`);
  return EXIT.ok;
}
