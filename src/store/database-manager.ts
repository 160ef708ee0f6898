import type { Kysely } from "kysely";
import type { DatabaseDriver } from "./database-driver.js";

/** Which database engine a DatabaseManager talks to. */
export type DatabaseDialect = "sqlite" | "postgres";

/**
 * Values bound to a raw SQL query: an object for named `:name` placeholders,
 * or an array for positional `?` placeholders.
 */
export type SqlParameters = Record<string, unknown> | readonly unknown[];

/**
 * The storage contract the rest of AstrOS codes against. One implementation per database engine;
 * callers never need to know which one they hold.
 */
export interface DatabaseManager {
  readonly dialect: DatabaseDialect;
  /** Human-readable location with any password redacted, e.g. "sqlite:/home/u/.local/share/astros/astros.db". */
  readonly location: string;
  /**
   * Runs one raw SQL statement with bound parameters and returns its rows (an empty array for
   * statements without rows). Placeholders are portable across engines: named `:name` with an
   * object, or positional `?` with an array. Placeholders inside string literals, quoted
   * identifiers and comments are left alone, as are PostgreSQL `::` casts. A named placeholder
   * directly after a letter or digit (as in an array slice `a[1:n]`) is not a placeholder.
   */
  executeQuery(query: string, params?: SqlParameters): Promise<Record<string, unknown>[]>;
  /** Inserts one record and returns its id as a string: `data.id` if given, else the id the database generated. */
  insert(table: string, data: Record<string, unknown>): Promise<string>;
  /** Updates the record whose `id` is `recordId`; true when a record was changed. */
  update(table: string, recordId: string, data: Record<string, unknown>): Promise<boolean>;
  /** Deletes the record whose `id` is `recordId`; true when a record was deleted. */
  delete(table: string, recordId: string): Promise<boolean>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws (the
   * error is rethrown unchanged). Use only the `database` handed to `work` inside it; on SQLite
   * the outer manager waits for the transaction to end. Nested calls use savepoints.
   */
  transaction<T>(work: (database: DatabaseManager) => Promise<T>): Promise<T>;
  /** The underlying Kysely instance, for typed queries inside AstrOS. */
  readonly kysely: Kysely<any>;
  /** The driver's own client (better-sqlite3 connection, pg pool), for libraries that need it; see DatabaseDriver. */
  readonly driver: DatabaseDriver;
  /** Releases the connection or pool. Closing twice is harmless; not available inside a transaction. */
  close(): Promise<void>;
}
