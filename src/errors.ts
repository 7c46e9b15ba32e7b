// Two kinds of failure reach the user: bad input (exit 2) and failed work (exit 1).
// Anything else is a bug and is reported as one (exit 3, so a script can tell a conda-bazel bug
// from a failed build), with the stack only under --debug.

/** Bad usage, bad config or bad input. Exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** The work itself failed (a build, a --check, a doctor finding). Exit code 1.
 * The command has already printed what went wrong when `reported` is true. */
export class WorkFailed extends Error {
  constructor(
    message: string,
    readonly reported = false,
  ) {
    super(message);
    this.name = "WorkFailed";
  }
}

export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;
