// Keeps the machine-local rc file out of version control.
import type { GeneratedFile } from "./types.js";
import { LOCAL_RC } from "./bazelrc.js";

export function gitignoreBlock(): GeneratedFile[] {
  return [{ kind: "block", path: ".gitignore", comment: "#", contents: `/${LOCAL_RC}\n` }];
}
