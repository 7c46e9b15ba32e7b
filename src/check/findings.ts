// The checks of `conda-bazel check` (and of go-build's outputs) on a parsed file: each finding is
// what is wrong and how to fix it, for one line of output.
import { TARGETS, type Target } from "../targets.js";
import { compareVersions, type BinaryImage } from "./binary-header.js";
import { buildPathProblem, type PathRoot } from "./build-paths.js";

export type CheckName = "machine" | "glibc" | "rpath" | "execstack";

export interface Finding {
  readonly check: CheckName;
  readonly problem: string;
  readonly fix: string;
}

export interface Expectations {
  readonly target: Target;
  /** The sysroot's glibc (c_stdlib_version); null: not checked. */
  readonly glibc: string | null;
  readonly roots: readonly PathRoot[];
}

const FORMAT_NAMES = { elf: "ELF", pe: "PE", macho: "Mach-O" } as const;

/** Whether `image` is what a build for `target` makes. */
function matches(image: BinaryImage, target: Target): boolean {
  const want = target.binary;
  if (want.format !== image.format || want.bits !== image.bits) return false;
  if (want.format === "elf") return want.machine === image.machine && want.littleEndian === image.littleEndian;
  return (want.format === "pe" ? want.machine : want.cputype) === image.machine;
}

/** "ELF 64-bit code for aarch64-unknown-linux-gnu", or the raw machine number for other code. */
export function describeImage(image: BinaryImage): string {
  const known = TARGETS.find((t) => matches(image, t));
  const kind = `${FORMAT_NAMES[image.format]} ${image.bits}-bit`;
  if (known) return `${kind} code for ${known.triplet}`;
  const field = image.format === "elf" ? "e_machine" : image.format === "pe" ? "Machine" : "cputype";
  return `${kind}${image.format === "elf" ? (image.littleEndian ? " little-endian" : " big-endian") : ""} code with ${field} 0x${image.machine.toString(16)}`;
}

export function checkImages(images: readonly BinaryImage[], want: Expectations): Finding[] {
  const findings: Finding[] = [];
  const target = want.target;
  const compiler = `${target.condaTriplets[0]}-${target.ccName}`;
  for (const image of images) {
    if (!matches(image, target)) {
      findings.push({
        check: "machine",
        problem: `is ${describeImage(image)}, not for ${target.triplet}`,
        fix: `build it with the ${target.triplet} compiler (${compiler}); a tool run only at build time does not belong in the package`,
      });
    }
    if (want.glibc && image.glibc && compareVersions(image.glibc.version, want.glibc) > 0) {
      const symbol = image.glibc.symbol ? ` (${image.glibc.symbol}@GLIBC_${image.glibc.version})` : "";
      findings.push({
        check: "glibc",
        problem: `needs GLIBC_${image.glibc.version}${symbol}, newer than the sysroot's glibc ${want.glibc} (c_stdlib_version)`,
        fix: `link it with ${compiler} against the conda sysroot (${target.stdlibPackage} ${want.glibc}), not the build machine's libc, or raise c_stdlib_version to ${image.glibc.version}`,
      });
    }
    for (const entry of image.runPaths) {
      const problem = buildPathProblem(entry.path, want.roots);
      if (problem) {
        findings.push({
          check: "rpath",
          problem: `${entry.kind} entry '${entry.path}' ${problem}`,
          fix: image.format === "macho" ? "use @loader_path-relative paths or the install prefix in -Wl,-rpath" : "use $ORIGIN-relative paths or the install prefix in -Wl,-rpath",
        });
      }
    }
    const stack = stackFinding(image, target);
    if (stack) findings.push(stack);
  }
  return findings;
}

function stackFinding(image: BinaryImage, target: Target): Finding | null {
  if (image.stack === "executable" && image.format === "macho") {
    return { check: "execstack", problem: "allows stack execution (MH_ALLOW_STACK_EXECUTION)", fix: "drop -Wl,-allow_stack_execute from the link" };
  }
  const fix = "link with -Wl,-z,noexecstack and give assembly sources a .note.GNU-stack section";
  if (image.stack === "executable") return { check: "execstack", problem: "has an executable stack (PT_GNU_STACK with PF_X)", fix };
  if (image.stack === "unmarked" && target.binary.format === "elf" && target.binary.execStackWithoutNote) {
    return { check: "execstack", problem: `has no PT_GNU_STACK, so glibc on ${target.triplet} gives it an executable stack`, fix };
  }
  return null;
}
