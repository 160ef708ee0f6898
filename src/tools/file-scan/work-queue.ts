/**
 * Runs async tasks a few at a time. The first task that fails fails `idle()`; tasks queued after it are dropped.
 */
export class WorkQueue {
  readonly #concurrency: number;
  // A queue with a moving head: shift() on a long array would copy it every time.
  #waiting: Array<() => Promise<void>> = [];
  #head = 0;
  #running = 0;
  #failure: { error: unknown } | undefined;
  #idle: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];

  constructor(concurrency: number) {
    this.#concurrency = concurrency;
  }

  add(task: () => Promise<void>): void {
    if (this.#failure !== undefined) return;
    this.#waiting.push(task);
    this.#next();
  }

  /** Resolves when every task added so far (and those they added) has finished. */
  idle(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    if (this.#running === 0 && this.#pending() === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#idle.push({ resolve, reject }));
  }

  #next(): void {
    while (this.#running < this.#concurrency && this.#pending() > 0 && this.#failure === undefined) {
      const task = this.#waiting[this.#head] as () => Promise<void>;
      this.#head += 1;
      if (this.#head >= 1024 && this.#head * 2 >= this.#waiting.length) {
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      this.#running += 1;
      task().then(
        () => this.#done(),
        (error: unknown) => {
          this.#failure ??= { error };
          this.#waiting = [];
          this.#head = 0;
          this.#done();
        },
      );
    }
  }

  #done(): void {
    this.#running -= 1;
    this.#next();
    if (this.#running > 0 || (this.#pending() > 0 && this.#failure === undefined)) return;
    const waiters = this.#idle.splice(0);
    for (const waiter of waiters) {
      if (this.#failure === undefined) waiter.resolve();
      else waiter.reject(this.#failure.error);
    }
  }

  #pending(): number {
    return this.#waiting.length - this.#head;
  }
}
