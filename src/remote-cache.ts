// init.remoteCache: the URL of a team's shared Bazel cache. It goes into the committed .bazelrc,
// so it is refused when it carries a secret, and must be a scheme Bazel's cache clients speak.
import type { RefinementCtx } from "zod";

const SCHEMES = new Set(["http:", "https:", "grpc:", "grpcs:"]);

const SECRETS_HINT =
  "write the bare URL here and the secret where nothing is committed: --remote_header=Authorization=... or --credential_helper=... (Bazel 7+) in ~/.bazelrc or on CI's command line, or the host in ~/.netrc";

/** The URL as written, or a zod issue whose params carry the fix. */
export function checkRemoteCache(value: string, ctx: RefinementCtx): string {
  const refuse = (message: string, hint: string): never => {
    ctx.addIssue({ code: "custom", message, params: { hint } });
    return undefined as never;
  };
  // The URL parser drops tabs and line breaks silently; an rc word cannot hold them either.
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return refuse("contains whitespace or a control character", "write the URL on one line, without spaces");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse(`${JSON.stringify(value)} is not a URL`, "write it as grpcs://host:port or https://host/path");
  }
  if (!SCHEMES.has(url.protocol)) return refuse(`scheme ${url.protocol.slice(0, -1)} is not one Bazel's remote cache speaks`, "use http://, https://, grpc:// or grpcs://");
  if (!url.hostname) return refuse(`${JSON.stringify(value)} names no host`, "write it as grpcs://host:port or https://host/path");
  if (url.username || url.password) return refuse("carries credentials (user:password@), and .bazelrc is committed", SECRETS_HINT);
  if (url.search || url.hash) return refuse("carries a query string or fragment (where tokens go), and .bazelrc is committed", SECRETS_HINT);
  return value;
}
