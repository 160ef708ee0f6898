/** Run work with a time limit; the work's signal is aborted when the limit passes or the outer signal aborts. */
export async function withTimeLimit<T>(options: {
  milliseconds: number;
  signal?: AbortSignal;
  onTimeout: () => Error;
  work: (signal: AbortSignal) => Promise<T>;
}): Promise<T> {
  const controller = new AbortController();
  const abortFromOuter = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", abortFromOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = options.onTimeout();
      controller.abort(error);
      reject(error);
    }, options.milliseconds);
    timer.unref?.();
  });
  const aborted = new Promise<never>((_, reject) => {
    if (options.signal?.aborted) reject(options.signal.reason);
    options.signal?.addEventListener("abort", () => reject(options.signal?.reason), { once: true });
  });
  try {
    return await Promise.race([options.work(controller.signal), timeout, aborted]);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", abortFromOuter);
  }
}
