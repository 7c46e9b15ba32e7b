// A workspace without conda-bazel.yaml gets its configuration without the YAML parser and the
// schema (config-file.ts): it must be exactly what the schema makes of an empty file.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config-file.js";
import { ConfigSchema } from "../../src/config.js";
import { workspace } from "./helpers.js";

describe("config without a file", () => {
  it("is what the schema gives for an empty file, key for key and in the schema's order", async () => {
    const config = await loadConfig(workspace());
    expect(config).toStrictEqual(ConfigSchema.parse({}));
    expect(JSON.stringify(config)).toBe(JSON.stringify(ConfigSchema.parse({})));
  });

  it("an empty file gives the same", async () => {
    const ws = workspace();
    writeFileSync(join(ws, "conda-bazel.yaml"), "");
    expect(await loadConfig(ws)).toStrictEqual(await loadConfig(workspace()));
  });
});
