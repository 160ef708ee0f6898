import type { Redis } from "ioredis";

/**
 * Where rate-limit counters live:
 * - `memory` (the default): this process only; limits restart with it.
 * - `redis`: a Redis server, so several AstrOS processes share one limit per user. The caller owns
 *   (and closes) the client; `openRedisRateLimitStore` makes one.
 */
export type RateLimitStore = { kind: "memory" } | { kind: "redis"; client: Redis; keyPrefix?: string };

export const memoryRateLimitStore: RateLimitStore = { kind: "memory" };

/** Prefix of every counter key in a store, before the limiter's name and the user id. */
export const defaultRateLimitKeyPrefix = "astros:rate-limit";
