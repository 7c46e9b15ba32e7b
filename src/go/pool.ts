// A bounded pool: at most `jobs` items run at once, in the order given. With `failFast` the
// first failure aborts the signal every running item got and starts no further item; an abort of
// the caller's `signal` (go-build interrupted) does the same.

export interface PoolOptions<R> {
  readonly jobs: number;
  readonly failFast: boolean;
  readonly failed: (result: R) => boolean;
  /** The result of an item that never started because of --fail-fast or an interrupt. */
  readonly skipped: (index: number) => R | Promise<R>;
  readonly signal?: AbortSignal;
}

/** Runs `work` over `items` and returns the results in the items' order. */
export async function runPool<T, R>(items: readonly T[], work: (item: T, signal: AbortSignal) => Promise<R>, options: PoolOptions<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const abort = new AbortController();
  const stop = () => abort.abort();
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener("abort", stop, { once: true });
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      if (abort.signal.aborted) {
        results[index] = await options.skipped(index);
        continue;
      }
      const result = await work(items[index]!, abort.signal);
      results[index] = result;
      if (options.failFast && options.failed(result)) abort.abort();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, items.length)) }, lane));
  } finally {
    options.signal?.removeEventListener("abort", stop);
  }
  return results;
}
