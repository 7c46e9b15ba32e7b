// Listing a directory tree without following links. Node 20's recursive readdirSync follows
// links to directories: in a fetched @conda that is every package's whole prefix and the GOROOT
// (160,000 entries, seconds of a test's time), and in a prefix it walks out of the prefix.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** The files and links under `dir`, as sorted paths relative to it. Links are listed, never
 * entered; a directory for which `prune(path)` holds is not entered either. */
export function filesUnder(dir: string, prune: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (!entry.isDirectory()) out.push(path);
      else if (!prune(path)) walk(path);
    }
  };
  walk("");
  return out.sort();
}
