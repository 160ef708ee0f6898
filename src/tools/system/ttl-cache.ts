interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
}

export interface TtlCacheOptions {
  /** The clock, in milliseconds (default Date.now). */
  now?: () => number;
}

/**
 * A short-lived in-memory cache: a value is loaded once and shared until its time to live
 * passes. The promise is what is kept, so callers asking together share one load; a failed load
 * is forgotten at once, so the next call tries again.
 */
export class TtlCache {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(options: TtlCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  get<Value>(key: string, ttlMilliseconds: number, load: () => Promise<Value>): Promise<Value> {
    const now = this.#now();
    const cached = this.#entries.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached.value as Promise<Value>;
    const value = load();
    const entry = { value, expiresAt: now + ttlMilliseconds };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }
}
