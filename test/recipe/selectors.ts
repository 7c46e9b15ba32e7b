// A small conda-build selector evaluator for the tests: the namespace conda-build's
// get_selectors() builds for a host subdir, and its line filter (a line whose trailing
// `# [expr]` is false is dropped; unknown names are False).
const DEFAULT_SUBDIRS = ["linux-64", "linux-aarch64", "linux-ppc64le", "linux-s390x", "linux-armv7l", "osx-64", "osx-arm64", "win-64", "win-arm64"];
const ARCH_MAP: Record<string, string> = { "32": "x86", "64": "x86_64" };

export function selectorNamespace(subdir: string): Record<string, boolean> {
  const ns: Record<string, boolean> = {
    linux64: subdir === "linux-64",
    win64: subdir === "win-64",
    unix: subdir.startsWith("linux-") || subdir.startsWith("osx-"),
    arm: subdir.startsWith("linux-arm"),
  };
  for (const s of DEFAULT_SUBDIRS) {
    const [os, arch] = s.split("-") as [string, string];
    ns[os] = subdir.startsWith(`${os}-`);
    ns[ARCH_MAP[arch] ?? arch] = subdir.endsWith(`-${arch}`);
  }
  ns.x86 = subdir.endsWith("-32") || subdir.endsWith("-64");
  return ns;
}

/** Evaluates `and`/`or`/`not`/parentheses over the namespace, like Python's eval would. */
export function evalSelector(expr: string, ns: Record<string, boolean>): boolean {
  const tokens = expr.match(/\(|\)|[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  if (tokens.join("").replace(/\s/g, "") !== expr.replace(/\s/g, "")) throw new Error(`unsupported selector: ${expr}`);
  let i = 0;
  const orExpr = (): boolean => {
    let v = andExpr();
    while (tokens[i] === "or") {
      i++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (tokens[i] === "and") {
      i++;
      const r = notExpr();
      v = v && r;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (tokens[i] === "not") {
      i++;
      return !notExpr();
    }
    const t = tokens[i++];
    if (t === "(") {
      const v = orExpr();
      if (tokens[i++] !== ")") throw new Error(`unbalanced selector: ${expr}`);
      return v;
    }
    if (t === undefined) throw new Error(`truncated selector: ${expr}`);
    return ns[t] ?? false;
  };
  const value = orExpr();
  if (i !== tokens.length) throw new Error(`trailing tokens in selector: ${expr}`);
  return value;
}

// conda-build's RE_SELECTOR (metadata.py / select_lines).
const SELECTOR_LINE = /^(.+?)\s*#.*\[([^[\]]+)\][^()]*$/;

/** The text conda-build reads for `subdir`: lines with a false selector dropped. */
export function selectLines(text: string, subdir: string): string {
  const ns = selectorNamespace(subdir);
  return text
    .split("\n")
    .flatMap((line) => {
      if (line.trimStart().startsWith("#")) return [];
      const m = SELECTOR_LINE.exec(line.trimEnd());
      if (!m) return [line];
      return evalSelector(m[2]!, ns) ? [m[1]!.trimEnd()] : [];
    })
    .join("\n");
}
