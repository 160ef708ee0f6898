import { AstrOSError } from "../../core/errors/astros-error.js";
import { StorageError } from "../../core/errors/storage-error.js";
import type { DatabaseManager } from "../../store/database-manager.js";
import { redactDatabaseUrl } from "../../store/redact-database-url.js";
import { type OpenedRateLimitStore, openRedisRateLimitStore } from "./open-redis-rate-limit-store.js";
import { memoryRateLimitStore } from "./rate-limit-store.js";

export interface OpenRateLimitStoreOptions {
  /** `rate_limits.store`: `database`, `memory` or a `redis://` (`rediss://`) URL. */
  setting: string;
  /** The AstrOS database, where `database` counts. Not closed by the store's close(). */
  database: DatabaseManager;
  /** Redis connection errors after the first connect (counts are refused meanwhile). */
  onError?: (error: Error) => void;
}

const setting = "rate_limits.store";

/**
 * The store `rate_limits.store` names, ready to count: the AstrOS database (its migrated
 * `rate_limit_counters` table), this process's memory, or a Redis server connected here.
 * close() releases what was opened here (the Redis connection), never the database.
 * Failures are StorageErrors naming the setting.
 */
export async function openRateLimitStore(options: OpenRateLimitStoreOptions): Promise<OpenedRateLimitStore> {
  const value = options.setting;
  if (value === "database") return { store: { kind: "database", database: options.database }, close: async () => {} };
  if (value === "memory") return { store: memoryRateLimitStore, close: async () => {} };
  if (/^rediss?:\/\//i.test(value)) {
    try {
      return await openRedisRateLimitStore({
        url: value,
        ...(options.onError === undefined ? {} : { onError: options.onError }),
      });
    } catch (cause) {
      if (!AstrOSError.isInstance(cause)) throw cause;
      throw new StorageError(`${setting}: ${cause.message}`, {
        code: cause.code,
        recovery: `Start Redis there, or set ${setting} to "database" (the AstrOS database) or to a running server's URL.`,
        details: { ...cause.details, setting },
        cause,
      });
    }
  }
  throw new StorageError(`${setting} is "${redactDatabaseUrl(value)}": expected "database", "memory" or a redis:// URL`, {
    recovery: `Set ${setting} to "database" (the default), "memory" or redis://host:6379.`,
    details: { setting },
  });
}
