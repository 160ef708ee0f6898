import type { RateLimiterAbstract } from "rate-limiter-flexible";
import RateLimiterMemory from "rate-limiter-flexible/lib/RateLimiterMemory.js";
import RateLimiterPostgres from "rate-limiter-flexible/lib/RateLimiterPostgres.js";
import RateLimiterRedis from "rate-limiter-flexible/lib/RateLimiterRedis.js";
import RateLimiterRes from "rate-limiter-flexible/lib/RateLimiterRes.js";
import RateLimiterSQLite from "rate-limiter-flexible/lib/RateLimiterSQLite.js";
import { StorageError } from "../../core/errors/storage-error.js";
import { defaultRateLimitKeyPrefix, type RateLimitStore, rateLimitTableName } from "./rate-limit-store.js";

export interface RateLimitCounterOptions {
  store: RateLimitStore;
  /** Names this counter's keys in the store, e.g. `requests`. */
  name: string;
  /** Points allowed per window, at least 1. */
  points: number;
  /** Length of the window in whole seconds, at least 1 (Redis counts whole seconds). */
  durationSeconds: number;
}

/**
 * What one consume said. `windowEndsAt` (epoch milliseconds) is when the points counted in this
 * window are forgotten; a refusal also says how long that is from now.
 */
export type CounterOutcome =
  | { allowed: true; windowEndsAt: number }
  | { allowed: false; windowEndsAt: number; msBeforeNext: number };

/**
 * Points per key in a fixed window that starts at the key's first use (rate-limiter-flexible).
 * A failing store is an error, never an allowance: rate limits fail closed.
 */
export class RateLimitCounter {
  readonly points: number;
  readonly durationSeconds: number;
  readonly #limiter: RateLimiterAbstract;
  readonly #store: RateLimitStore;

  constructor(options: RateLimitCounterOptions) {
    if (!Number.isInteger(options.points) || options.points < 1) {
      throw new RangeError(`A rate limit allows a whole number of points, at least 1 (got ${options.points})`);
    }
    if (!Number.isInteger(options.durationSeconds) || options.durationSeconds < 1) {
      throw new RangeError(`A rate-limit window lasts a whole number of seconds, at least 1 (got ${options.durationSeconds})`);
    }
    this.points = options.points;
    this.durationSeconds = options.durationSeconds;
    this.#store = options.store;
    this.#limiter = createLimiter(options);
  }

  /** Count `points` for `key`; refused when that takes the window past its limit. A refused attempt still counts. */
  async consume(key: string, points: number): Promise<CounterOutcome> {
    try {
      const result = await this.#limiter.consume(key, points);
      return { allowed: true, windowEndsAt: Date.now() + result.msBeforeNext };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw this.#unavailable(error);
      return { allowed: false, windowEndsAt: Date.now() + error.msBeforeNext, msBeforeNext: error.msBeforeNext };
    }
  }

  /** How long until `key` may try again when its points are used up, else undefined (nothing is counted). */
  async blockedFor(key: string): Promise<number | undefined> {
    try {
      const state = await this.#limiter.get(key);
      return state !== null && state.remainingPoints <= 0 ? state.msBeforeNext : undefined;
    } catch (error) {
      throw this.#unavailable(error);
    }
  }

  /** Count more points without refusing anything (use beyond what was consumed). */
  async penalty(key: string, points: number): Promise<void> {
    try {
      await this.#limiter.penalty(key, points);
    } catch (error) {
      throw this.#unavailable(error);
    }
  }

  /**
   * Take points back, while the window they were counted in lasts. Once it has ended they are
   * forgotten anyway, and giving them back would credit the next window instead.
   */
  async reward(key: string, points: number, windowEndsAt: number): Promise<void> {
    if (Date.now() >= windowEndsAt) return;
    try {
      await this.#limiter.reward(key, points);
    } catch (error) {
      throw this.#unavailable(error);
    }
  }

  #unavailable(cause: unknown): StorageError {
    const store = this.#store;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const where = store.kind === "database" ? `database, ${store.database.location}` : store.kind;
    return new StorageError(`The rate-limit store (${where}) is unavailable: ${reason}`, {
      code: "STORAGE_UNAVAILABLE",
      recovery: recoveryFor(store),
      details: store.kind === "database" ? { store: store.kind, location: store.database.location } : { store: store.kind },
      cause,
    });
  }
}

/** The rate-limiter-flexible limiter for the store; SQL stores count in the table migration 0006 made. */
function createLimiter(options: RateLimitCounterOptions): RateLimiterAbstract {
  const { store, name } = options;
  const common = { points: options.points, duration: options.durationSeconds };
  if (store.kind === "memory") return new RateLimiterMemory({ ...common, keyPrefix: `${defaultRateLimitKeyPrefix}:${name}` });
  if (store.kind === "redis") {
    return new RateLimiterRedis({
      ...common,
      keyPrefix: `${store.keyPrefix ?? defaultRateLimitKeyPrefix}:${name}`,
      storeClient: store.client,
      // Refuse at once while the connection is down instead of queueing behind a reconnect.
      rejectIfRedisNotReady: true,
    });
  }
  // One row per counter and user, overwritten once its window has passed: nothing to sweep, so no timer.
  const sql = {
    ...common,
    keyPrefix: `${defaultRateLimitKeyPrefix}:${name}`,
    tableName: rateLimitTableName,
    tableCreated: true,
    clearExpiredByTimeout: false,
  };
  const driver = store.database.driver;
  if (driver.dialect === "sqlite") {
    return new RateLimiterSQLite({ ...sql, storeClient: driver.connection, storeType: "better-sqlite3" });
  }
  return new RateLimiterPostgres({
    ...sql,
    storeClient: driver.pool,
    storeType: "pool",
    ...(driver.schema === undefined ? {} : { schemaName: driver.schema }),
  });
}

function recoveryFor(store: RateLimitStore): string {
  if (store.kind === "redis") {
    return "Check that the Redis server rate_limits.store names is running and reachable; requests are refused until it is.";
  }
  if (store.kind === "database") {
    return `Check that the database at ${store.database.location} is reachable and migrated; requests are refused until it is.`;
  }
  return "Try again; if it keeps failing, restart AstrOS.";
}
