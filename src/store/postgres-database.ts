import { CompiledQuery, type DatabaseConnection, Kysely, PostgresDialect, sql } from "kysely";
import { StorageError } from "../core/errors/storage-error.js";
import { errorCode, errorReason } from "./database-failure.js";
import type { DatabaseManager } from "./database-manager.js";
import { assertIdentifierName } from "./identifier-name.js";
import { KyselyDatabase } from "./kysely-database.js";
import { createQueryLog, type QueryEcho } from "./query-echo.js";
import { redactDatabaseUrl } from "./redact-database-url.js";

export interface OpenPostgresDatabaseOptions {
  /** postgres://user:password@host:5432/database (or postgresql://). */
  url: string;
  /** Most connections the pool opens. Default 10. */
  poolSize?: number;
  /**
   * A schema to work in: created if missing and put alone on every connection's search_path,
   * so tables created through this manager live in it. Used to isolate test runs.
   */
  schema?: string;
  /** How long to wait for a connection before giving up. Default 5000. */
  connectTimeoutMilliseconds?: number;
  echo?: QueryEcho;
}

/** SQLSTATE codes for "the schema already exists" when two processes create it at once. */
const schemaAlreadyExists = new Set(["42P06", "23505"]);

/**
 * Opens a pool of PostgreSQL connections through pg (loaded only here, so SQLite users never
 * load it) and checks that the server answers. An unreachable server is a StorageError with code
 * STORAGE_UNAVAILABLE. Migrations are not run here; see openDatabase.
 */
export async function openPostgresDatabase(options: OpenPostgresDatabaseOptions): Promise<DatabaseManager> {
  const { url, schema } = options;
  const redactedUrl = redactDatabaseUrl(url);
  const location = schema === undefined ? redactedUrl : `${redactedUrl} (schema ${schema})`;
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new StorageError(`The PostgreSQL pool size must be a whole number of at least 1, not ${poolSize}.`, {
      recovery: "Set poolSize to a positive integer such as 10.",
      details: { poolSize },
    });
  }
  if (schema !== undefined) assertIdentifierName({ name: schema, kind: "schema" });
  assertParsableUrl(url, redactedUrl);

  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: options.connectTimeoutMilliseconds ?? 5000,
  });
  // An idle connection that dies emits "error" on the pool; without a listener Node would exit.
  // The next query gets a fresh connection, or reports the failure itself.
  pool.on("error", () => {});

  const log = createQueryLog(options.echo);
  const dialect = new PostgresDialect({ pool, ...(schema === undefined ? {} : { onCreateConnection: useSchema(schema) }) });
  const kysely = new Kysely({ dialect, log });

  try {
    await sql`select 1`.execute(kysely);
  } catch (error) {
    await kysely.destroy().catch(() => {});
    throw unreachable(error, redactedUrl, url);
  }
  if (schema !== undefined) {
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(kysely);
    } catch (error) {
      if (!schemaAlreadyExists.has(errorCode(error) ?? "")) {
        await kysely.destroy().catch(() => {});
        throw new StorageError(`Cannot create the schema "${schema}" at ${redactedUrl}: ${errorReason(error)}`, {
          recovery: "Create the schema yourself, or grant the database user the CREATE privilege on the database.",
          details: { location, schema },
          cause: error,
        });
      }
    }
  }
  return new KyselyDatabase({
    kysely,
    dialect: "postgres",
    location,
    driver: { dialect: "postgres", pool, schema },
    prepareValue: toPostgresValue,
  });
}

/** Puts only `schema` on a new connection's search_path (the name is a validated identifier). */
function useSchema(schema: string): (connection: DatabaseConnection) => Promise<void> {
  const statement = CompiledQuery.raw(`set search_path to "${schema}"`);
  return async (connection) => {
    await connection.executeQuery(statement);
  };
}

function toPostgresValue(value: unknown): unknown {
  return value === undefined ? null : value;
}

function assertParsableUrl(url: string, redactedUrl: string): void {
  try {
    new URL(url);
  } catch {
    throw new StorageError(`"${redactedUrl}" is not a valid PostgreSQL URL.`, {
      recovery: "Write it as postgres://user:password@host:5432/database, percent-encoding special characters in the password.",
      details: { location: redactedUrl },
    });
  }
}

function unreachable(error: unknown, redactedUrl: string, url: string): StorageError {
  const code = errorCode(error);
  const reason = withoutPassword(errorReason(error), url);
  return new StorageError(`Cannot connect to PostgreSQL at ${redactedUrl}: ${reason}`, {
    code: "STORAGE_UNAVAILABLE",
    recovery: recoveryFor(code),
    details: code === undefined ? { location: redactedUrl } : { location: redactedUrl, databaseCode: code },
    cause: error,
  });
}

function recoveryFor(code: string | undefined): string {
  if (code === "28P01" || code === "28000") return "Check the user name and password in the database URL.";
  if (code === "3D000") return "Create the database (for example with createdb) or correct its name in the database URL.";
  return "Start the PostgreSQL server, or correct the host and port in the database URL, then try again.";
}

/** Driver messages do not normally contain the password; this makes sure of it. */
function withoutPassword(message: string, url: string): string {
  let encoded = "";
  try {
    encoded = new URL(url).password;
  } catch {
    return message;
  }
  if (encoded === "") return message;
  let decoded = encoded;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    // A malformed percent-escape: the encoded form is all there is.
  }
  return message.replaceAll(encoded, "***").replaceAll(decoded, "***");
}
