/**
 * Lines of an answer sent as they come, a few at a time: at most one piece per `intervalMilliseconds`
 * (or every 50 lines), so a person sees results while a long scan runs without an event per line.
 */
export class LineStream {
  readonly #emit: (delta: string) => void;
  readonly #intervalMilliseconds: number;
  #pending: string[] = [];
  #last = performance.now();

  constructor(emit: (delta: string) => void, intervalMilliseconds = 200) {
    this.#emit = emit;
    this.#intervalMilliseconds = intervalMilliseconds;
  }

  line(text: string): void {
    this.#pending.push(text);
    if (this.#pending.length >= 50 || performance.now() - this.#last >= this.#intervalMilliseconds) this.flush();
  }

  flush(): void {
    if (this.#pending.length === 0) return;
    this.#emit(`${this.#pending.join("\n")}\n`);
    this.#pending = [];
    this.#last = performance.now();
  }
}
