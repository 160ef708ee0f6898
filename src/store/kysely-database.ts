import { CompiledQuery, type Kysely, sql } from "kysely";
import { StorageError } from "../core/errors/storage-error.js";
import type { DatabaseDriver } from "./database-driver.js";
import { toStorageError } from "./database-failure.js";
import type { DatabaseDialect, DatabaseManager, SqlParameters } from "./database-manager.js";
import { assertIdentifierName } from "./identifier-name.js";
import { translatePlaceholders } from "./named-parameters.js";

export interface KyselyDatabaseOptions {
  /** Untyped: the manager serves every table, so it cannot name their types. */
  kysely: Kysely<any>;
  dialect: DatabaseDialect;
  location: string;
  /** The client Kysely's dialect was given; shared by nested (transaction) managers. */
  driver: DatabaseDriver;
  /** Converts a bound value into one the driver accepts (SQLite has no booleans or dates). */
  prepareValue: (value: unknown) => unknown;
  /** Set by transaction(): 1 inside a transaction, 2 inside a savepoint, ... Default 0. */
  transactionDepth?: number;
}

/**
 * The DatabaseManager shared by both engines: everything dialect-specific arrives through the
 * options, so SQLite and PostgreSQL behave the same from the outside.
 */
export class KyselyDatabase implements DatabaseManager {
  readonly dialect: DatabaseDialect;
  readonly location: string;
  readonly kysely: Kysely<any>;
  readonly driver: DatabaseDriver;
  readonly #prepareValue: (value: unknown) => unknown;
  readonly #transactionDepth: number;
  #closed = false;

  constructor(options: KyselyDatabaseOptions) {
    this.dialect = options.dialect;
    this.location = options.location;
    this.kysely = options.kysely;
    this.driver = options.driver;
    this.#prepareValue = options.prepareValue;
    this.#transactionDepth = options.transactionDepth ?? 0;
  }

  async executeQuery(query: string, params?: SqlParameters): Promise<Record<string, unknown>[]> {
    this.#assertOpen();
    const translated = translatePlaceholders({ sql: query, parameters: params, dialect: this.dialect });
    const values = translated.values.map(this.#prepareValue);
    try {
      const result = await this.kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(translated.sql, values));
      return [...result.rows];
    } catch (error) {
      throw this.#failure("The query", error);
    }
  }

  async insert(table: string, data: Record<string, unknown>): Promise<string> {
    this.#assertOpen();
    const givenId = data.id;
    const values = this.#prepareRecord(table, data);
    if (givenId === undefined || givenId === null) delete values.id;
    try {
      const builder = this.kysely.insertInto(table);
      const insertion = Object.keys(values).length === 0 ? builder.defaultValues() : builder.values(values);
      if (givenId !== undefined && givenId !== null) {
        await insertion.execute();
        return String(givenId);
      }
      const row = await insertion.returning("id").executeTakeFirst();
      if (row?.id === undefined || row.id === null) throw missingGeneratedId(table);
      return String(row.id);
    } catch (error) {
      throw this.#failure(`Inserting into "${table}"`, error);
    }
  }

  async update(table: string, recordId: string, data: Record<string, unknown>): Promise<boolean> {
    this.#assertOpen();
    const values = this.#prepareRecord(table, data);
    if (Object.keys(values).length === 0) {
      throw new StorageError(`Nothing to update in "${table}": the data has no columns.`, {
        recovery: "Pass at least one column to update.",
        details: { table, recordId },
      });
    }
    try {
      const result = await this.kysely.updateTable(table).set(values).where("id", "=", recordId).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    } catch (error) {
      throw this.#failure(`Updating "${table}"`, error);
    }
  }

  async delete(table: string, recordId: string): Promise<boolean> {
    this.#assertOpen();
    assertIdentifierName({ name: table, kind: "table" });
    try {
      const result = await this.kysely.deleteFrom(table).where("id", "=", recordId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    } catch (error) {
      throw this.#failure(`Deleting from "${table}"`, error);
    }
  }

  async transaction<T>(work: (database: DatabaseManager) => Promise<T>): Promise<T> {
    this.#assertOpen();
    if (this.#transactionDepth > 0) return this.#withSavepoint(work);
    let workFailed = false;
    try {
      return await this.kysely.transaction().execute(async (transaction) => {
        try {
          return await work(this.#nested(transaction));
        } catch (error) {
          workFailed = true;
          throw error;
        }
      });
    } catch (error) {
      if (workFailed) throw error;
      throw this.#failure("The transaction", error);
    }
  }

  async close(): Promise<void> {
    if (this.#transactionDepth > 0) {
      throw new StorageError("close() is not available inside a transaction.", {
        recovery: "Let the transaction function return, then close the database it was started from.",
      });
    }
    if (this.#closed) return;
    this.#closed = true;
    await this.kysely.destroy();
  }

  async #withSavepoint<T>(work: (database: DatabaseManager) => Promise<T>): Promise<T> {
    const savepoint = sql.id(`astros_savepoint_${this.#transactionDepth}`);
    try {
      await sql`savepoint ${savepoint}`.execute(this.kysely);
    } catch (error) {
      throw this.#failure("Starting a nested transaction", error);
    }
    let result: T;
    try {
      result = await work(this.#nested(this.kysely));
    } catch (error) {
      await sql`rollback to savepoint ${savepoint}`.execute(this.kysely);
      await sql`release savepoint ${savepoint}`.execute(this.kysely);
      throw error;
    }
    try {
      await sql`release savepoint ${savepoint}`.execute(this.kysely);
    } catch (error) {
      throw this.#failure("Committing a nested transaction", error);
    }
    return result;
  }

  #nested(kysely: Kysely<any>): KyselyDatabase {
    return new KyselyDatabase({
      kysely,
      dialect: this.dialect,
      location: this.location,
      driver: this.driver,
      prepareValue: this.#prepareValue,
      transactionDepth: this.#transactionDepth + 1,
    });
  }

  #prepareRecord(table: string, data: Record<string, unknown>): Record<string, unknown> {
    assertIdentifierName({ name: table, kind: "table" });
    const values: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(data)) {
      assertIdentifierName({ name: column, kind: "column" });
      values[column] = this.#prepareValue(value);
    }
    return values;
  }

  #assertOpen(): void {
    if (!this.#closed) return;
    throw new StorageError(`The database at ${this.location} is closed.`, {
      recovery: "Open the database again before using it.",
      details: { location: this.location },
    });
  }

  #failure(action: string, error: unknown): Error {
    return toStorageError({ action, error, dialect: this.dialect, location: this.location });
  }
}

function missingGeneratedId(table: string): StorageError {
  return new StorageError(`Inserting into "${table}" returned no id.`, {
    recovery: "Give the table an id column the database fills in, or pass data.id.",
    details: { table },
  });
}
