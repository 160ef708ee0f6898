import type { RateLimitsConfig } from "../config/config-schema.js";
import type { Logger } from "../core/logging/logger.js";
import { LlmRateLimiter } from "../safety/rate-limit/llm-rate-limiter.js";
import { openRateLimitStore } from "../safety/rate-limit/open-rate-limit-store.js";
import { memoryRateLimitStore, type RateLimitStore } from "../safety/rate-limit/rate-limit-store.js";
import { RequestRateLimiter } from "../safety/rate-limit/request-rate-limiter.js";
import type { DatabaseManager } from "../store/database-manager.js";

export interface OpenRateLimitersOptions {
  config: RateLimitsConfig;
  /** The agent's database, where `rate_limits.store = "database"` counts. */
  database: DatabaseManager;
  /** Limiters given to the agent: used as they are, and no store is opened for them. */
  requestRateLimiter?: RequestRateLimiter | undefined;
  llmRateLimiter?: LlmRateLimiter | undefined;
  logger: Logger;
}

/** The agent's per-user limiters, and how to release the store they count in. */
export interface RateLimiters {
  request: RequestRateLimiter;
  llm: LlmRateLimiter;
  /** Where the counters live: other per-user limits (the server's sign-in attempts) count there too. */
  store: RateLimitStore;
  /** Closes a Redis connection opened here; never the database. */
  close(): Promise<void>;
}

/**
 * The request and LLM limiters, counting in the store `rate_limits.store` names (the AstrOS
 * database by default), so that every process using that store shares one limit per user.
 * No store is opened when both limiters were given (tests): then the store is this process's memory.
 */
export async function openRateLimiters(options: OpenRateLimitersOptions): Promise<RateLimiters> {
  const { config, requestRateLimiter, llmRateLimiter } = options;
  const opened =
    requestRateLimiter === undefined || llmRateLimiter === undefined
      ? await openRateLimitStore({
          setting: config.store,
          database: options.database,
          onError: (error) => options.logger.warn("the rate-limit store's connection failed", { error: error.message }),
        })
      : { store: memoryRateLimitStore, close: async () => {} };
  return {
    request: requestRateLimiter ?? new RequestRateLimiter({ config, store: opened.store }),
    llm: llmRateLimiter ?? new LlmRateLimiter({ config, store: opened.store }),
    store: opened.store,
    close: () => opened.close(),
  };
}
