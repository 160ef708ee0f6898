import type { Redis } from "ioredis";
import type { DatabaseManager } from "../../store/database-manager.js";

/**
 * Where rate-limit counters live (`rate_limits.store`):
 * - `database`: the AstrOS database (SQLite file or PostgreSQL), table `rate_limit_counters`, so every
 *   AstrOS process on it shares one limit per user. The caller owns (and closes) the database.
 * - `memory`: this process only; limits restart with it.
 * - `redis`: a Redis server, so several AstrOS processes share one limit per user. The caller owns
 *   (and closes) the client; `openRedisRateLimitStore` makes one.
 */
export type RateLimitStore =
  | { kind: "database"; database: DatabaseManager }
  | { kind: "memory" }
  | { kind: "redis"; client: Redis; keyPrefix?: string };

export const memoryRateLimitStore: RateLimitStore = { kind: "memory" };

/** Prefix of every counter key in a store, before the limiter's name and the user id. */
export const defaultRateLimitKeyPrefix = "astros:rate-limit";

/** The table the `database` store counts in (created by migration 0006_create_rate_limit_counters). */
export const rateLimitTableName = "rate_limit_counters";
