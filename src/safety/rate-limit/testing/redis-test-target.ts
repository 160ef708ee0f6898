import { redactDatabaseUrl } from "../../../store/redact-database-url.js";

/** Where the Redis tests connect, and whether anything answered there. */
export interface RedisTestTarget {
  url: string;
  /** The URL with its password replaced by `***`, for messages. */
  redactedUrl: string;
  reachable: boolean;
}

export interface FindRedisTestTargetOptions {
  /** Defaults to process.env. */
  environment?: NodeJS.ProcessEnv;
  /** How long the reachability check waits. Default 2000. */
  timeoutMilliseconds?: number;
}

export const defaultRedisTestUrl = "redis://127.0.0.1:6379";

/**
 * The Redis server for rate-limit tests: env ASTROS_TEST_REDIS_URL, else a local server. When it
 * is unreachable the tests are skipped with a warning, unless ASTROS_REQUIRE_SERVICES=1, in which
 * case this rejects so the run fails.
 */
export async function findRedisTestTarget(options: FindRedisTestTargetOptions = {}): Promise<RedisTestTarget> {
  const environment = options.environment ?? process.env;
  const url = environment.ASTROS_TEST_REDIS_URL || defaultRedisTestUrl;
  const redactedUrl = redactDatabaseUrl(url);
  const problem = await connectionProblem(url, options.timeoutMilliseconds ?? 2000);
  if (problem === undefined) return { url, redactedUrl, reachable: true };
  if (environment.ASTROS_REQUIRE_SERVICES === "1") {
    throw new Error(
      `Redis not reachable at ${redactedUrl} (${problem}) and ASTROS_REQUIRE_SERVICES=1 requires it: ` +
        "start Redis there, or point ASTROS_TEST_REDIS_URL at a running server.",
    );
  }
  console.warn(`Redis not reachable at ${redactedUrl}: skipping Redis rate-limit tests`);
  return { url, redactedUrl, reachable: false };
}

/** Connects once and sends PING; returns why that failed, or undefined when it worked. */
async function connectionProblem(url: string, timeoutMilliseconds: number): Promise<string | undefined> {
  const { Redis } = await import("ioredis");
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMilliseconds,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error && error.message !== "" ? error.message : String(error);
  } finally {
    client.disconnect();
  }
}
