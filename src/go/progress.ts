// Progress of a go-build run on stderr: on a terminal one live line per target, redrawn in
// place; otherwise one plain line per change, which logs and CI read well.

export type ProgressState =
  | { readonly kind: "queued" }
  | { readonly kind: "building"; readonly since: number }
  | { readonly kind: "done"; readonly seconds: number }
  | { readonly kind: "failed"; readonly seconds: number }
  | { readonly kind: "cancelled" };

export type ProgressListener = (target: string, state: ProgressState) => void;

export interface Progress {
  readonly update: ProgressListener;
  /** Stops redrawing; the last picture stays on the terminal. */
  readonly close: () => void;
}

/** The state in words; `now` adds the elapsed time to a build in progress. */
function describe(state: ProgressState, now?: number): string {
  switch (state.kind) {
    case "queued":
      return "queued";
    case "building":
      return now === undefined ? "building" : `building ${Math.floor((now - state.since) / 1000)} s`;
    case "done":
      return `done in ${state.seconds.toFixed(1)} s`;
    case "failed":
      return `failed after ${state.seconds.toFixed(1)} s`;
    case "cancelled":
      return "cancelled";
  }
}

/** One line per change, `conda-bazel: go-build <target>: <state>`; queued states are not news. */
export function plainProgress(write: (text: string) => void): Progress {
  return {
    update: (target, state) => {
      if (state.kind !== "queued") write(`conda-bazel: go-build ${target}: ${describe(state)}\n`);
    },
    close: () => {},
  };
}

/** Live lines for `targets`, drawn from the first change on (a run refused before it builds
 * draws nothing), then redrawn on each change and every second. */
export function terminalProgress(targets: readonly string[], write: (text: string) => void): Progress {
  const states = new Map<string, ProgressState>(targets.map((t) => [t, { kind: "queued" }]));
  const width = Math.max(...targets.map((t) => t.length));
  let drawn = false;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    const now = Date.now();
    const lines = targets.map((t) => `\x1b[2K  ${t.padEnd(width)}  ${describe(states.get(t)!, now)}\n`);
    write(`${drawn ? `\x1b[${targets.length}A` : ""}${lines.join("")}`);
    drawn = true;
  };
  return {
    update: (target, state) => {
      states.set(target, state);
      if (!timer) timer = setInterval(draw, 1000).unref();
      draw();
    },
    close: () => {
      clearInterval(timer);
      if (drawn) draw();
    },
  };
}
