import { redactDatabaseUrl } from "../redact-database-url.js";

/** Where the PostgreSQL tests connect, and whether anything answered there. */
export interface PostgresTestTarget {
  url: string;
  /** The URL with its password replaced by `***`, for messages. */
  redactedUrl: string;
  reachable: boolean;
}

export interface FindPostgresTestTargetOptions {
  /** Defaults to process.env. */
  environment?: NodeJS.ProcessEnv;
  /** How long the reachability check waits. Default 2000. */
  timeoutMilliseconds?: number;
}

export const defaultPostgresTestUrl = "postgres://postgres@127.0.0.1:5432/postgres";

let cachedTarget: Promise<PostgresTestTarget> | undefined;

/**
 * The PostgreSQL server for storage tests: env ASTROS_TEST_POSTGRES_URL, else a local server with
 * trust authentication. Checked once per test file. When it is unreachable the tests are skipped
 * with a warning, unless ASTROS_REQUIRE_SERVICES=1, in which case this rejects so the run fails.
 */
export function findPostgresTestTarget(options: FindPostgresTestTargetOptions = {}): Promise<PostgresTestTarget> {
  if (options.environment !== undefined) return checkTarget(options);
  cachedTarget ??= checkTarget(options);
  return cachedTarget;
}

async function checkTarget(options: FindPostgresTestTargetOptions): Promise<PostgresTestTarget> {
  const environment = options.environment ?? process.env;
  const url = environment.ASTROS_TEST_POSTGRES_URL || defaultPostgresTestUrl;
  const redactedUrl = redactDatabaseUrl(url);
  const problem = await connectionProblem(url, options.timeoutMilliseconds ?? 2000);
  if (problem === undefined) return { url, redactedUrl, reachable: true };
  if (environment.ASTROS_REQUIRE_SERVICES === "1") {
    throw new Error(
      `PostgreSQL not reachable at ${redactedUrl} (${problem}) and ASTROS_REQUIRE_SERVICES=1 requires it: ` +
        "start PostgreSQL there, or point ASTROS_TEST_POSTGRES_URL at a running server.",
    );
  }
  console.warn(`PostgreSQL not reachable at ${redactedUrl}: skipping PostgreSQL storage tests`);
  return { url, redactedUrl, reachable: false };
}

/** Connects once and runs `select 1`; returns why that failed, or undefined when it worked. */
async function connectionProblem(url: string, timeoutMilliseconds: number): Promise<string | undefined> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMilliseconds });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return error instanceof Error && error.message !== "" ? error.message : String(code ?? error);
  } finally {
    await client.end().catch(() => {});
  }
}
