/** Lets long work show it is alive: `touch` restarts the clock, `pause` stops it until the returned function is called. */
export interface TimeLimitControl {
  touch(): void;
  pause(): () => void;
}

/**
 * Run work with a time limit on silence: the work's signal is aborted when the limit passes without
 * the work reporting progress (`touch`), or when the outer signal aborts. Time spent waiting for a
 * person (`pause`) does not count.
 */
export async function withTimeLimit<T>(options: {
  milliseconds: number;
  signal?: AbortSignal;
  onTimeout: () => Error;
  work: (signal: AbortSignal, control: TimeLimitControl) => Promise<T>;
}): Promise<T> {
  const controller = new AbortController();
  const abortFromOuter = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", abortFromOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let pauses = 0;
  let fail: (error: Error) => void = () => {};
  const timeout = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const arm = () => {
    clearTimeout(timer);
    if (pauses > 0 || controller.signal.aborted) return;
    timer = setTimeout(() => {
      const error = options.onTimeout();
      controller.abort(error);
      fail(error);
    }, options.milliseconds);
    timer.unref?.();
  };
  const control: TimeLimitControl = {
    touch: arm,
    pause: () => {
      pauses += 1;
      clearTimeout(timer);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        pauses -= 1;
        arm();
      };
    },
  };
  arm();
  // Removed again below: a request's signal outlives each call made under it (an AI turn makes many).
  let rejectAborted: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    rejectAborted = () => reject(options.signal?.reason);
    if (options.signal?.aborted) reject(options.signal.reason);
    options.signal?.addEventListener("abort", rejectAborted, { once: true });
  });
  try {
    return await Promise.race([options.work(controller.signal, control), timeout, aborted]);
  } finally {
    clearTimeout(timer);
    pauses = 1;
    options.signal?.removeEventListener("abort", abortFromOuter);
    options.signal?.removeEventListener("abort", rejectAborted);
  }
}
