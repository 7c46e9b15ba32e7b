// Two kinds of failure reach the user: bad input (exit 2) and failed work (exit 1).
// Anything else is a bug and is reported as one (exit 3, so a script can tell a conda-bazel bug
// from a failed build), with the stack only under --debug.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_ALL = new RegExp(CONTROL.source, "g");
const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** True when `text` holds a control character (a line break, an escape sequence). */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/** `text` with control characters written as escapes, so a path cannot break the one-line
 * message it appears in or send a terminal escape sequence. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL_ALL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Bad usage, bad config or bad input. Exit code 2. The message and hint are escaped here, as
 * they often carry a path the user (or a checkout) chose. */
export class UsageError extends Error {
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(escapeControl(message));
    if (hint !== undefined) this.hint = escapeControl(hint);
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
