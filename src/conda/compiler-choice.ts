// Which compiler family a target uses when its env has both conda's gcc and conda's clang (the
// Linux targets: gcc_<subdir> and clang_<subdir>). In order:
// 1. an explicit choice: --compiler / `compiler` in conda-bazel.yaml, or what init pinned for the
//    Bazel repository rule in .bazelrc.conda (CONDA_BAZEL_COMPILERS);
// 2. CC (or CC_FOR_BUILD) of the calling environment, when it names one of the target's conda
//    drivers: the environment that ran activation, or a recipe's build.sh that exported it;
// 3. CC after sourcing all of the target's activation scripts in conda's order (sorted file
//    names): with both installed that is activate-gxx_/activate-gcc_ after activate-clang_, so gcc;
// 4. the first family installed, gcc before clang.
// Steps 2-4 only pick among installed families; an explicit choice of one that is missing is
// reported as a missing compiler.
import { basename } from "node:path";
import type { CompilerFamily, Target } from "../targets.js";
import { compilerFamilies } from "../targets.js";
import { UsageError } from "../errors.js";

export type ChoiceSource = "flag" | "CC" | "activation" | "installed";

export interface FamilyChoice {
  readonly family: CompilerFamily;
  readonly by: ChoiceSource;
}

/** The repository rule's pin, `<triplet>=<family>,...`, written by init into .bazelrc.conda. */
export const PINNED_COMPILERS = "CONDA_BAZEL_COMPILERS";

const FAMILIES: readonly CompilerFamily[] = ["gcc", "clang"];

export function parseFamily(value: string, what: string): CompilerFamily {
  const family = FAMILIES.find((f) => f === value);
  if (!family) throw new UsageError(`${what} must be gcc or clang, not '${value}'`, "pass --compiler gcc or --compiler clang");
  return family;
}

/** The families pinned per target triplet; a malformed pin is bad input. */
export function parsePinned(value: string | undefined): Map<string, CompilerFamily> {
  const pins = new Map<string, CompilerFamily>();
  for (const item of (value ?? "").split(",").filter(Boolean)) {
    const [triplet, family] = item.split("=");
    if (!triplet || family === undefined) throw new UsageError(`${PINNED_COMPILERS} holds '${item}', not <target>=<gcc|clang>`, "run conda-bazel init again");
    pins.set(triplet, parseFamily(family, PINNED_COMPILERS));
  }
  return pins;
}

export function renderPinned(choices: ReadonlyMap<string, CompilerFamily>): string {
  return [...choices].map(([triplet, family]) => `${triplet}=${family}`).join(",");
}

/** The family of a driver (a path or a bare name) named `<conda triplet of target>-<name>`. */
export function familyOfDriver(target: Target, driver: string | undefined): CompilerFamily | undefined {
  if (!driver) return undefined;
  const name = basename(driver.trim().split(/\s+/)[0] ?? "");
  const triplet = target.condaTriplets.find((t) => name.startsWith(`${t}-`));
  if (!triplet) return undefined;
  const suffix = name.slice(triplet.length + 1);
  return compilerFamilies(target).find((names) => names.cc.includes(suffix))?.family;
}

/** The family whose activation package installed script `name` (`activate-clangxx_linux-64.sh`),
 * or undefined for a script of neither (binutils). */
export function scriptFamily(name: string): CompilerFamily | undefined {
  const pkg = /^activate-(.+)_[^_]+\.sh$/.exec(name)?.[1];
  if (pkg === "gcc" || pkg === "gxx" || pkg === "gfortran") return "gcc";
  if (pkg === "clang" || pkg === "clangxx") return "clang";
  return undefined;
}

/** Steps 1-3 above; undefined leaves step 4 to whoever knows what is installed. */
export function preferredFamily(target: Target, explicit: CompilerFamily | undefined, callerEnv: NodeJS.ProcessEnv, activationCc: string | undefined): FamilyChoice | undefined {
  if (explicit) return { family: explicit, by: "flag" };
  const fromCaller = familyOfDriver(target, callerEnv.CC) ?? familyOfDriver(target, callerEnv.CC_FOR_BUILD);
  if (fromCaller) return { family: fromCaller, by: "CC" };
  const fromActivation = familyOfDriver(target, activationCc);
  return fromActivation ? { family: fromActivation, by: "activation" } : undefined;
}

const CHOSEN_BY: Readonly<Record<ChoiceSource, string>> = {
  flag: "chosen by --compiler (or conda-bazel.yaml's compiler, or init's pin)",
  CC: "chosen by CC in the environment",
  activation: "the CC the activation scripts set, in conda's order",
  installed: "the first installed",
};

/** One line saying which family a target uses and how to pick another, for a toolchain that had a choice. */
export function choiceLine(toolchain: { readonly target: string; readonly family: CompilerFamily; readonly compilerChoice?: { readonly by: ChoiceSource; readonly others: readonly CompilerFamily[] } | undefined }): string | undefined {
  const choice = toolchain.compilerChoice;
  if (!choice) return undefined;
  const others = choice.others.map((f) => `${f} (--compiler ${f})`).join(", ");
  return `${toolchain.target}: ${toolchain.family}, ${CHOSEN_BY[choice.by]}; also installed: ${others}`;
}
