// Every Environment discovery returns has passed EnvironmentSchema. Validation is a pure
// function of (schema, document), so a document that passed once is remembered by its hash and
// not validated again: importing zod alone costs about a third of a warm `describe` run.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Environment } from "../environment.js";
import { readCacheJson, writeCacheJson } from "./cache-files.js";

export async function validateEnvironment(document: unknown, dir: string): Promise<Environment> {
  const schema = schemaSource();
  const key = schema && createHash("sha256").update(schema).update("\0").update(JSON.stringify(document)).digest("hex");
  const name = `environment-${key}.json`;
  const known = key && readCacheJson(dir, name);
  if (known) return known as Environment;
  const { EnvironmentSchema } = await import("../environment.js");
  const environment = EnvironmentSchema.parse(document);
  if (key) writeCacheJson(dir, name, environment);
  return environment;
}

/** The schema module's text stands for the schema: a changed schema validates anew. Compiled
^ * (lib/) or, under the test runner, the source; without either, nothing is remembered. */
function schemaSource(): Buffer | undefined {
  for (const file of ["../environment.js", "../environment.ts"]) {
    try {
      return readFileSync(new URL(file, import.meta.url));
    } catch {
      // Try the next form.
    }
  }
  return undefined;
}
