import { StorageError } from "../core/errors/storage-error.js";
import type { DatabaseManager } from "./database-manager.js";
import { parseDatabaseUrl } from "./database-url.js";
import { migrateToLatest } from "./migrations.js";
import { openPostgresDatabase } from "./postgres-database.js";
import type { QueryEcho } from "./query-echo.js";
import { openSqliteDatabase } from "./sqlite-database.js";

export interface OpenDatabaseOptions {
  /** sqlite:///absolute/path.db, sqlite::memory:, a plain file path, or postgres://... (postgresql://). */
  url: string;
  /** PostgreSQL only: most pooled connections. Default 10. */
  poolSize?: number;
  /** Print each SQL statement (never its values). */
  echo?: QueryEcho;
  /** PostgreSQL only: work inside this schema, created if missing (isolates test runs). */
  schema?: string;
}

/**
 * Opens the database a URL names and migrates it to the newest schema. Only the driver for the
 * chosen engine is loaded. An unreachable PostgreSQL server is a StorageError with code
 * STORAGE_UNAVAILABLE; an unknown URL form lists the accepted ones.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseManager> {
  const target = parseDatabaseUrl({ url: options.url });
  let database: DatabaseManager;
  if (target.kind === "sqlite") {
    if (options.schema !== undefined) {
      throw new StorageError("The schema option applies only to PostgreSQL databases.", {
        recovery: "Remove the schema option, or use a postgres:// URL.",
        details: { schema: options.schema },
      });
    }
    database = await openSqliteDatabase({ filePath: target.filePath, echo: options.echo });
  } else {
    const { poolSize, schema, echo } = options;
    database = await openPostgresDatabase({ url: target.url, poolSize, schema, echo });
  }
  try {
    await migrateToLatest({ database });
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return database;
}
