// Every Environment discovery returns has passed EnvironmentSchema. Validation is a pure
// function of (schema, document), so a document that passed once is remembered by its hash and
// not validated again: importing zod alone costs about a third of a warm `describe` run. The
// cache records only that a document passed, never the document: what is returned is always the
// document discovery just built, so an edited cache entry cannot put another compiler into it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Environment } from "../environment.js";
import { readCacheJson, writeCacheJson } from "./cache-files.js";

export async function validateEnvironment(document: unknown, dir: string): Promise<Environment> {
  const schema = schemaSource();
  const text = JSON.stringify(document);
  const key = schema && createHash("sha256").update(schema).update("\0").update(text).digest("hex");
  const name = `environment-${key}.json`;
  const known = key && (readCacheJson(dir, name) as { valid?: unknown } | undefined);
  if (known && known.valid === key) return document as Environment;
  const { EnvironmentSchema } = await import("../environment.js");
  const environment = EnvironmentSchema.parse(document);
  // Remembered only when the schema returned the document unchanged (no key dropped or
  // reordered), so that a hit, which returns the document, gives what a miss gives.
  if (key && JSON.stringify(environment) === text) writeCacheJson(dir, name, { valid: key });
  return environment;
}

// Set by scripts/bundle.mjs to the schema source's digest: the bundle has no module of its own
// for the schema to read.
declare const CONDA_BAZEL_SCHEMA_DIGEST: string | undefined;

/** The schema module's text stands for the schema: a changed schema validates anew. Bundled
 * (its digest), compiled (lib/) or, under the test runner, the source; without any, nothing is
 * remembered. */
function schemaSource(): Buffer | undefined {
  if (typeof CONDA_BAZEL_SCHEMA_DIGEST === "string") return Buffer.from(CONDA_BAZEL_SCHEMA_DIGEST);
  for (const file of ["../environment.js", "../environment.ts"]) {
    try {
      return readFileSync(new URL(file, import.meta.url));
    } catch {
      // Try the next form.
    }
  }
  return undefined;
}
