// conda-build's host env ($PREFIX): what Bazel needs of it besides compilers, which live in the
// build prefix. Its libraries and Python are for target_platform and never run here.
import type { Host } from "../environment.js";
import { condarcSubdir } from "./discover.js";
import { discoverPackages } from "./packages.js";
import { discoverPython } from "./python.js";
import { listRecords, majoritySubdir, recordsFingerprint } from "./records.js";

export async function describeHost(prefix: string, cacheDir: string): Promise<Host> {
  const records = listRecords(prefix);
  return {
    prefix,
    subdir: condarcSubdir(prefix) ?? majoritySubdir(prefix, records) ?? null,
    fingerprint: recordsFingerprint(records),
    python: await discoverPython(prefix, records, null),
    ...discoverPackages(prefix, records, cacheDir),
  };
}
