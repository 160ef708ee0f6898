import type { RateLimitsConfig } from "../../config/config-schema.js";
import { createRateLimitedError } from "./create-rate-limited-error.js";
import { RateLimitCounter } from "./rate-limit-counter.js";
import { memoryRateLimitStore, type RateLimitStore } from "./rate-limit-store.js";

export interface RequestRateLimiterOptions {
  /** `requests_per_minute`: requests one user may make per window; 0 turns the limit off. */
  config: Pick<RateLimitsConfig, "requests_per_minute">;
  /** Where the counts live. Default: this process's memory. */
  store?: RateLimitStore;
  /** Length of the window in whole seconds. Default 60, which the setting's name assumes. */
  durationSeconds?: number;
}

/**
 * Requests per user per minute, across every interface. Each user's window starts at their first
 * request and lasts a minute; a refusal says how long until it ends.
 */
export class RequestRateLimiter {
  readonly #counter: RateLimitCounter | undefined;

  constructor(options: RequestRateLimiterOptions) {
    const allowed = options.config.requests_per_minute;
    this.#counter =
      allowed === 0
        ? undefined
        : new RateLimitCounter({
            store: options.store ?? memoryRateLimitStore,
            name: "requests",
            points: allowed,
            durationSeconds: options.durationSeconds ?? 60,
          });
  }

  /** False when the limit is 0 (off): `consume` then always resolves. */
  get enabled(): boolean {
    return this.#counter !== undefined;
  }

  /**
   * Count one request by `userId`. Resolves when it is allowed; rejects with a RateLimitError
   * (`RATE_LIMITED`, `details.retryAfterSeconds`) when the user is over the limit, and with a
   * StorageError (`STORAGE_UNAVAILABLE`) when the store cannot be reached: no count, no request.
   */
  async consume(userId: string): Promise<void> {
    const counter = this.#counter;
    if (counter === undefined) return;
    const outcome = await counter.consume(userId, 1);
    if (outcome.allowed) return;
    throw createRateLimitedError({
      subject: "requests",
      setting: "requests_per_minute",
      allowed: counter.points,
      durationSeconds: counter.durationSeconds,
      msBeforeNext: outcome.msBeforeNext,
    });
  }
}
