import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { StorageError } from "../core/errors/storage-error.js";
import { errorReason } from "./database-failure.js";
import type { DatabaseManager } from "./database-manager.js";
import { KyselyDatabase } from "./kysely-database.js";
import { createQueryLog, type QueryEcho } from "./query-echo.js";

export interface OpenSqliteDatabaseOptions {
  /** Path of the database file (created with its parent directory if missing), or ":memory:". */
  filePath: string;
  /** How long a statement waits for another process's lock before failing. Default 5000. */
  busyTimeoutMilliseconds?: number;
  echo?: QueryEcho;
}

const memory = ":memory:";

/**
 * Opens a SQLite database through better-sqlite3 (loaded only here, so PostgreSQL users never
 * load it): write-ahead logging, foreign keys enforced, and a busy timeout so concurrent AstrOS
 * processes wait for each other instead of failing. Migrations are not run here; see openDatabase.
 */
export async function openSqliteDatabase(options: OpenSqliteDatabaseOptions): Promise<DatabaseManager> {
  const inMemory = options.filePath === memory;
  const filePath = inMemory ? memory : resolve(options.filePath);
  const location = `sqlite:${filePath}`;
  const busyTimeout = options.busyTimeoutMilliseconds ?? 5000;

  const { default: Database } = await import("better-sqlite3");
  let connection: BetterSqlite3.Database | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(filePath), { recursive: true, mode: 0o700 });
    connection = new Database(filePath, { timeout: busyTimeout });
    connection.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    connection.pragma("foreign_keys = ON");
  } catch (error) {
    connection?.close();
    throw new StorageError(`Cannot open the SQLite database at ${filePath}: ${errorReason(error)}`, {
      recovery:
        "Check that the directory exists or can be created, that you may write to it, and that the file is a SQLite database.",
      details: { location },
      cause: error,
    });
  }

  const log = createQueryLog(options.echo);
  const kysely = new Kysely({ dialect: new SqliteDialect({ database: connection }), log });
  return new KyselyDatabase({
    kysely,
    dialect: "sqlite",
    location,
    driver: { dialect: "sqlite", connection },
    prepareValue: toSqliteValue,
  });
}

/** SQLite stores neither booleans nor dates: they become 1/0 and ISO-8601 text. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}
