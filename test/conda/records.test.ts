import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { listRecords, majoritySubdir, parseRecordFileName, recordsFingerprint, subdirOfRecord } from "../../src/conda/records.js";
import { goVariant } from "../../src/conda/go.js";
import { tempDir } from "../cli/helpers.js";

describe("record file names", () => {
  it("split name, version and build from the right", () => {
    expect(parseRecordFileName("python-3.11.2-h9a3b0b6_0_cpython.json")).toMatchObject({ name: "python", version: "3.11.2", build: "h9a3b0b6_0_cpython" });
    expect(parseRecordFileName("_go_select-2.3.0-cgo.json")).toMatchObject({ name: "_go_select", version: "2.3.0", build: "cgo" });
    expect(parseRecordFileName("go-cgo_linux-aarch64-1.22.5-h5f1c7d1_0.json")).toMatchObject({ name: "go-cgo_linux-aarch64", version: "1.22.5", build: "h5f1c7d1_0" });
    expect(parseRecordFileName("ca-certificates-2024.8.30-hbcca054_0.json")).toMatchObject({ name: "ca-certificates", version: "2024.8.30" });
    expect(parseRecordFileName("history")).toBeUndefined();
    expect(parseRecordFileName("broken-1.0.json")).toBeUndefined();
  });

  it("give the Go variant without reading a record", () => {
    const names = (...files: string[]) => files.map((f) => parseRecordFileName(f)!);
    expect(goVariant(names("_go_select-2.2.0-nocgo.json", "go-1.22.5-h1_0.json"))).toBe("nocgo");
    expect(goVariant(names("_go_select-2.3.0-cgo.json"))).toBe("cgo");
    expect(goVariant(names("go-nocgo-1.22.5-h1_0.json"))).toBe("nocgo");
    expect(goVariant(names("go-nocgo_linux-aarch64-1.22.5-h1_0.json"))).toBe("nocgo");
    expect(goVariant(names("go-cgo-1.22.5-h1_0.json"))).toBe("cgo");
  });

  it("fingerprint the set of installed packages", () => {
    const a = ["a-1-0.json", "b-1-0.json"].map((f) => parseRecordFileName(f)!);
    const b = ["a-1-0.json", "b-1-1.json"].map((f) => parseRecordFileName(f)!);
    expect(recordsFingerprint(a)).not.toBe(recordsFingerprint(b));
    expect(recordsFingerprint(a)).toBe(recordsFingerprint([...a]));
  });
});

describe("record subdir", () => {
  it("comes from subdir, else from the url (pixi writes channel without the subdir)", () => {
    expect(subdirOfRecord({ subdir: "linux-aarch64", channel: "https://conda.anaconda.org/conda-forge/" })).toBe("linux-aarch64");
    expect(subdirOfRecord({ channel: "https://conda.anaconda.org/conda-forge/", url: "https://conda.anaconda.org/conda-forge/osx-arm64/libffi-3.4.2-h3422bc3_5.tar.bz2" })).toBe("osx-arm64");
    expect(subdirOfRecord({ url: "https://conda.anaconda.org/conda-forge/noarch/tzdata-2024a-h0c530f3_0.conda" })).toBe("noarch");
    expect(subdirOfRecord({ channel: "conda-forge" })).toBeUndefined();
  });
});

function prefixWith(records: Record<string, string>): string {
  const prefix = tempDir();
  mkdirSync(join(prefix, "conda-meta"));
  for (const [file, body] of Object.entries(records)) writeFileSync(join(prefix, "conda-meta", file), body);
  return prefix;
}

describe("majority subdir", () => {
  it("reads only small records: a large one is never opened", () => {
    const small = (subdir: string) => JSON.stringify({ subdir });
    const prefix = prefixWith({
      "a-1-0.json": small("linux-aarch64"),
      "b-1-0.json": small("linux-aarch64"),
      "c-1-0.json": small("noarch"),
      "d-1-0.json": small("linux-64"),
      "e-1-0.json": small("linux-aarch64"),
      // Large and not even JSON: reading it would throw.
      "huge-1-0.json": `{"subdir": "linux-64", "files": [${'"x",'.repeat(500_000)}`,
    });
    expect(majoritySubdir(prefix, listRecords(prefix))).toBe("linux-aarch64");
  });

  it("asks mutexes and subdir-named packages first, and stops there when they agree", () => {
    const small = (subdir: string) => JSON.stringify({ subdir });
    const prefix = prefixWith({
      "_libgcc_mutex-0.1-conda_forge.json": small("linux-ppc64le"),
      "binutils_linux-ppc64le-2.40-h1_1.json": small("linux-ppc64le"),
      "gcc_linux-aarch64-13.2.0-h1_1.json": small("linux-ppc64le"),
      "gxx_linux-aarch64-13.2.0-h1_1.json": small("linux-ppc64le"),
      "ld_impl_linux-ppc64le-2.40-h1_1.json": small("linux-ppc64le"),
      "sysroot_linux-ppc64le-2.17-h1_1.json": small("noarch"),
      // Smaller than all of them, but not asked: reading it would throw.
      "a-1-0.json": "{",
    });
    expect(majoritySubdir(prefix, listRecords(prefix))).toBe("linux-ppc64le");
  });

  it("is undefined when every record is noarch", () => {
    const prefix = prefixWith({ "a-1-0.json": JSON.stringify({ subdir: "noarch" }) });
    expect(majoritySubdir(prefix, listRecords(prefix))).toBeUndefined();
  });

  it("names a corrupt record it had to read", () => {
    const prefix = prefixWith({ "a-1-0.json": "{not json" });
    expect(() => majoritySubdir(prefix, listRecords(prefix))).toThrow(UsageError);
    expect(() => majoritySubdir(prefix, listRecords(prefix))).toThrow(/corrupt conda record .*a-1-0\.json/);
  });
});
