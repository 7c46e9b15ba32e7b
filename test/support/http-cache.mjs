// @ts-check
// A real HTTP cache for Bazel, as Bazel's remote-caching docs set one up: Debian's nginx with
// WebDAV PUT, on a free 127.0.0.1 port, with its config, pid, logs, temp files and cache all in
// one directory of ours. Shared by the remote-cache test and its benchmark.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const NGINX = "/usr/sbin/nginx";

/** A port the kernel just handed out on 127.0.0.1 (then released for nginx to bind). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  if (address === null || typeof address === "string") throw new Error("no port from the kernel");
  return address.port;
}

/** @param {string} dir @param {number} port */
function config(dir, port) {
  // Running as root, nginx hands requests to workers under `user` (default nobody), which could
  // not write into our directory.
  const user = process.getuid?.() === 0 ? "user root;\n" : "";
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `    ${kind}_temp_path ${join(dir, "temp", kind)};`).join("\n");
  return `${user}daemon off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections 256; }
http {
  access_log off;
${temp}
  server {
    listen 127.0.0.1:${port};
    location /cache/ {
      root ${dir};
      dav_methods PUT;
      create_full_put_path on;
      client_max_body_size 1G;
      allow all;
    }
  }
}
`;
}

/** Resolves once something answers HTTP on the port, or rejects when nginx exits first. */
async function answering(url, /** @type {import("node:child_process").ChildProcess} */ child, log) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${readFileSync(log, "utf8")}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nginx did not answer on ${url} within 10 s`);
}

/**
 * Starts nginx serving a Bazel HTTP cache under `dir`; `url` is what --remote_cache takes.
 * @param {string} dir
 */
export async function startHttpCache(dir) {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is not installed (apt-get install nginx); npm test installs it`);
  for (const sub of ["temp", "cache"]) mkdirSync(join(dir, sub), { recursive: true });
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, config(dir, port));
  const log = join(dir, "error.log");
  const child = spawn(NGINX, ["-p", dir, "-c", conf, "-e", log], { stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${port}/cache`;
  try {
    await answering(url, child, log);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    url,
    /** How many entries the cache holds (action results and blobs). */
    entries() {
      return ["ac", "cas"].map((kind) => join(dir, "cache", kind)).reduce((n, d) => n + (existsSync(d) ? readdirSync(d).length : 0), 0);
    },
    /** Stops nginx (SIGTERM: fast shutdown) and waits for it; safe to call twice. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
