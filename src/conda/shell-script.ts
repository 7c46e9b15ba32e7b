// Reads the few shell forms conda activation scripts use, without running a shell: variable
// assignments, `export`s, and `_tc_activation` calls, with `${VAR}`, `${VAR:-word}` and
// `${VAR:+word}` expanded. Variables the script does not set are unset, as in a clean shell:
// the caller's environment must not leak into what discovery reports.

export interface ScannedScript {
  /** The `export NAME=value` assignments, outside conda-build-only branches. */
  readonly exports: ReadonlyMap<string, string>;
  /** Arguments of each `_tc_activation` call, expanded. */
  readonly activationCalls: readonly (readonly string[])[];
}

const ASSIGNMENT = /^(export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const FUNCTION_START = /^(function\s+)?[A-Za-z_][A-Za-z0-9_]*\s*\(\)\s*\{?\s*$/;

/** `known` holds the variables the script can see (CONDA_PREFIX); everything else is unset. */
export function scanScript(text: string, known: Readonly<Record<string, string>>): ScannedScript {
  const vars = new Map<string, string>(Object.entries(known));
  const exports = new Map<string, string>();
  const activationCalls: string[][] = [];
  // Each open `if`: whether it tests CONDA_BUILD, and whether we are in its `then` branch.
  const ifs: { condaBuild: boolean; then: boolean }[] = [];
  let inFunction = false;
  for (const raw of text.replace(/\\\r?\n/g, "").split(/\r?\n/)) {
    const line = raw.trim();
    if (inFunction) {
      if (raw.startsWith("}")) inFunction = false;
      continue;
    }
    if (line === "" || line.startsWith("#")) continue;
    if (FUNCTION_START.test(line)) {
      inFunction = true;
      continue;
    }
    if (/^if\s/.test(line)) {
      if (!/;\s*fi$/.test(line)) ifs.push({ condaBuild: /\bCONDA_BUILD\b/.test(line), then: true });
      continue;
    }
    if (/^(else|elif)\b/.test(line)) {
      const top = ifs[ifs.length - 1];
      if (top) top.then = false;
      continue;
    }
    if (/^fi\b/.test(line)) {
      ifs.pop();
      continue;
    }
    // conda-build's branch points at the host prefix of a build; an interactive env is the other one.
    if (ifs.some((i) => i.condaBuild && i.then)) continue;
    const assignment = ASSIGNMENT.exec(line);
    if (assignment) {
      const [, exported, name, rest] = assignment as unknown as [string, string | undefined, string, string];
      const value = shellWords(rest, vars)[0] ?? "";
      vars.set(name, value);
      if (exported) exports.set(name, value);
      continue;
    }
    if (/^_tc_activation\s/.test(line)) activationCalls.push(shellWords(line.slice("_tc_activation".length), vars));
  }
  return { exports, activationCalls };
}

/** Splits one command line into words the way sh would (quotes, expansions), up to `;`, `#` or `|`. */
export function shellWords(text: string, vars: ReadonlyMap<string, string>): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const append = (s: string) => (word = (word ?? "") + s);
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === ";" || c === "|" || c === "&" || (word === undefined && c === "#")) {
      break;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      append(text.slice(i + 1, end === -1 ? text.length : end));
      i = end === -1 ? text.length : end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let chunk = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\" && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) {
          chunk += text[j + 1];
          j += 2;
        } else if (text[j] === "$") {
          const [value, next] = expandAt(text, j, vars);
          chunk += value;
          j = next;
        } else {
          chunk += text[j++];
        }
      }
      append(chunk);
      i = j + 1;
    } else if (c === "$") {
      const [value, next] = expandAt(text, i, vars);
      append(value);
      i = next;
    } else if (c === "\\" && i + 1 < text.length) {
      append(text[i + 1]!);
      i += 2;
    } else {
      append(c);
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Expands the `$...` at `start`; returns the value and the index after it. */
function expandAt(text: string, start: number, vars: ReadonlyMap<string, string>): [string, number] {
  if (text[start + 1] !== "{") {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(start + 1))?.[0];
    return name ? [vars.get(name) ?? "", start + 1 + name.length] : ["$", start + 1];
  }
  let depth = 0;
  let end = start + 1;
  for (; end < text.length; end++) {
    if (text[end] === "{") depth++;
    else if (text[end] === "}" && --depth === 0) break;
  }
  const inner = text.slice(start + 2, end);
  const operator = /^([A-Za-z_][A-Za-z0-9_]*)(:?[-+=])?([\s\S]*)$/.exec(inner);
  if (!operator) return ["", end + 1];
  const [, name, op, word] = operator as unknown as [string, string, string | undefined, string];
  const value = vars.get(name);
  const set = op?.startsWith(":") ? value !== undefined && value !== "" : value !== undefined;
  const expandWord = () => shellWords(`"${word.replace(/"/g, '\\"')}"`, vars)[0] ?? "";
  if (op === undefined) return [value ?? "", end + 1];
  if (op.endsWith("+")) return [set ? expandWord() : "", end + 1];
  return [set ? value! : expandWord(), end + 1];
}
