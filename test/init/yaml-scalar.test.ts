// conda_build_config.yaml's values without the YAML package: what YAML 1.1 reads back is the value
// itself, and for every value the file can hold (the target table's words, compiler and stdlib
// versions) the bytes are those the `yaml` package writes, so no existing file drifts.
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { yamlScalar } from "../../src/generate/yaml-scalar.js";
import { TARGETS } from "../../src/targets.js";

const viaYaml = (value: string) => stringify(value, { version: "1.1", lineWidth: 0 }).trimEnd();

/** Every string in the target table, package names with their `_<subdir>` stem cut as the file does. */
function tableWords(): string[] {
  const words = new Set<string>(["go-cgo", "go-nocgo"]);
  const visit = (value: unknown): void => {
    if (typeof value === "string") words.add(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(TARGETS);
  for (const t of TARGETS) for (const name of [...t.compilerPackages, ...(t.clangPackages ?? []), t.stdlibPackage]) words.add(name.slice(0, -`_${t.subdir}`.length));
  return [...words].filter((w) => /^[A-Za-z][A-Za-z0-9_.-]*$/.test(w));
}

const versions = ["0", "4", "9", "10", "12", "15", "08", "010", "2.17", "2.28", "2.5", "10.13", "11.0", "0.5", "12.1", "00"];
const special = ["y", "Y", "yes", "YES", "Yes", "yEs", "n", "no", "NO", "on", "On", "off", "OFF", "true", "False", "TRUE", "null", "Null", "NULL", "nULL", "e1", "E5", "e10", "e1.5", "e_1", "Infinity", "NaN", "inf", "nan"];

describe("yamlScalar", () => {
  it("writes what the yaml package writes for the table's words, versions and YAML 1.1's special words", () => {
    const values = [...tableWords(), ...versions, ...special];
    expect(values.length).toBeGreaterThan(60);
    expect(values.map(yamlScalar)).toEqual(values.map(viaYaml));
  });

  it("reads back, under YAML 1.1, as the string it was given", () => {
    for (const value of [...tableWords(), ...versions, ...special, "12-win32", "a:b", "x # y", "'q'", '"d"', "back\\slash", "tab\tin", "é", "-1", ".inf", "~", "", " lead", "=", "<<"]) {
      expect(parse(`key: ${yamlScalar(value)}\n`, { version: "1.1" })).toEqual({ key: value });
    }
  });
});
