import { StorageError } from "../../core/errors/storage-error.js";
import { redactDatabaseUrl } from "../../store/redact-database-url.js";
import type { RateLimitStore } from "./rate-limit-store.js";

export interface OpenRedisRateLimitStoreOptions {
  /** e.g. `redis://127.0.0.1:6379`; a password in it never appears in messages. */
  url: string;
  /** Prefix of the counter keys. Default `astros:rate-limit`. */
  keyPrefix?: string;
  /** How long connecting may take. Default 5000. */
  connectTimeoutMilliseconds?: number;
  /** Connection errors after the first connect (the client reconnects by itself; counts are refused meanwhile). */
  onError?: (error: Error) => void;
}

export interface OpenedRateLimitStore {
  store: RateLimitStore;
  /** Close the connection. */
  close(): Promise<void>;
}

/**
 * Connect to Redis for rate limits shared by several AstrOS processes. ioredis is loaded here,
 * on first use, so the in-memory default never loads it.
 */
export async function openRedisRateLimitStore(options: OpenRedisRateLimitStoreOptions): Promise<OpenedRateLimitStore> {
  // Through the default export (module.exports): the CLI bundle's chunk of ioredis has no named exports.
  const { Redis } = (await import("ioredis")).default;
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMilliseconds ?? 5000,
    maxRetriesPerRequest: 1,
  });
  // While connecting, the socket's own error (ECONNREFUSED, ...) says more than connect()'s "Connection is closed".
  let connectError: Error | undefined;
  const whileConnecting = (error: Error) => {
    connectError ??= error;
  };
  client.on("error", whileConnecting);
  try {
    await client.connect();
  } catch (cause) {
    client.disconnect();
    const location = redactDatabaseUrl(options.url);
    const reason = (connectError ?? (cause as Error)).message;
    throw new StorageError(`Could not connect to Redis for rate limits at ${location}: ${reason}`, {
      code: "STORAGE_UNAVAILABLE",
      recovery: "Start Redis there, or point AstrOS at a running server.",
      details: { location },
      cause,
    });
  }
  client.off("error", whileConnecting);
  client.on("error", options.onError ?? (() => {}));
  const store: RateLimitStore =
    options.keyPrefix === undefined ? { kind: "redis", client } : { kind: "redis", client, keyPrefix: options.keyPrefix };
  return {
    store,
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
