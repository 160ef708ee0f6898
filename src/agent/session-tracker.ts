/** Counts sessions that made a request recently (or have one in flight). */
export class SessionTracker {
  readonly #lastSeen = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    /** A session counts as active this long after its last request. */
    private readonly idleMilliseconds = 30 * 60 * 1000,
  ) {}

  begin(sessionId: string): void {
    this.#lastSeen.set(sessionId, this.now());
    this.#inFlight.set(sessionId, (this.#inFlight.get(sessionId) ?? 0) + 1);
  }

  end(sessionId: string): void {
    this.#lastSeen.set(sessionId, this.now());
    const count = (this.#inFlight.get(sessionId) ?? 1) - 1;
    if (count <= 0) this.#inFlight.delete(sessionId);
    else this.#inFlight.set(sessionId, count);
  }

  activeCount(): number {
    const cutoff = this.now() - this.idleMilliseconds;
    for (const [sessionId, seen] of this.#lastSeen) {
      if (seen < cutoff && !this.#inFlight.has(sessionId)) this.#lastSeen.delete(sessionId);
    }
    return this.#lastSeen.size;
  }
}
