import type BetterSqlite3 from "better-sqlite3";
import type { Pool } from "pg";

/**
 * The driver's own client under a DatabaseManager, for libraries that speak to the driver rather
 * than to Kysely (rate-limiter-flexible's SQL stores). Statements sent through it run outside
 * `transaction()`; on SQLite, one sent while a transaction is open on the connection joins it.
 * Everything else in AstrOS goes through the DatabaseManager.
 */
export type DatabaseDriver =
  | { dialect: "sqlite"; connection: BetterSqlite3.Database }
  | {
      dialect: "postgres";
      pool: Pool;
      /** The schema the manager works in when opened with one; unqualified names resolve through search_path otherwise. */
      schema: string | undefined;
    };
