import type { ExpressionBuilder, Kysely } from "kysely";
import { StorageError } from "../core/errors/storage-error.js";
import { toStorageError } from "./database-failure.js";
import type { DatabaseManager } from "./database-manager.js";

/** The `kv` table as created by the first migration. */
interface KeyValueRow {
  namespace: string;
  key: string;
  /** JSON text. */
  value: string;
  /** Epoch milliseconds, or null for no expiry. PostgreSQL returns bigint columns as strings. */
  expires_at: number | string | null;
  updated_at: number | string;
}

interface KeyValueTables {
  kv: KeyValueRow;
}

export interface KeyValueStoreOptions {
  database: DatabaseManager;
  /** The clock, in epoch milliseconds. Default Date.now. */
  now?: () => number;
}

export interface SetEntryOptions {
  /** Seconds until the entry expires (a positive, finite number; fractions allowed). Default: never. */
  ttlSeconds?: number;
}

/**
 * JSON values under (namespace, key), with optional expiry. Expired entries are invisible at once
 * and removed from the table by purgeExpired.
 */
export class KeyValueStore {
  readonly #database: DatabaseManager;
  readonly #kysely: Kysely<KeyValueTables>;
  readonly #now: () => number;

  constructor(options: KeyValueStoreOptions) {
    this.#database = options.database;
    this.#kysely = options.database.kysely;
    this.#now = options.now ?? Date.now;
  }

  /** The value stored under the key, or undefined when there is none or it has expired. */
  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    assertEntryName(namespace, key);
    const row = await this.#run(`Reading "${key}" in "${namespace}"`, () =>
      this.#kysely
        .selectFrom("kv")
        .select("value")
        .where("namespace", "=", namespace)
        .where("key", "=", key)
        .where(this.#live())
        .executeTakeFirst(),
    );
    if (row === undefined) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch (error) {
      throw new StorageError(`The value stored under "${key}" in "${namespace}" is not valid JSON.`, {
        recovery: "Set the key again, or delete it.",
        details: { namespace, key },
        cause: error,
      });
    }
  }

  /** Stores a JSON-serialisable value, replacing any previous value and expiry. */
  async set(namespace: string, key: string, value: unknown, options: SetEntryOptions = {}): Promise<void> {
    assertEntryName(namespace, key);
    const serialised = serialise(namespace, key, value);
    const now = this.#now();
    const expiresAt = options.ttlSeconds === undefined ? null : now + ttlMilliseconds(options.ttlSeconds);
    const columns = { value: serialised, expires_at: expiresAt, updated_at: now };
    await this.#run(`Writing "${key}" in "${namespace}"`, () =>
      this.#kysely
        .insertInto("kv")
        .values({ namespace, key, ...columns })
        .onConflict((conflict) => conflict.columns(["namespace", "key"]).doUpdateSet(columns))
        .execute(),
    );
  }

  /** Removes the entry; true when a live (unexpired) entry was removed. */
  async delete(namespace: string, key: string): Promise<boolean> {
    assertEntryName(namespace, key);
    const now = this.#now();
    const removed = await this.#run(`Deleting "${key}" in "${namespace}"`, () =>
      this.#kysely
        .deleteFrom("kv")
        .where("namespace", "=", namespace)
        .where("key", "=", key)
        .returning("expires_at")
        .executeTakeFirst(),
    );
    if (removed === undefined) return false;
    return removed.expires_at === null || Number(removed.expires_at) > now;
  }

  /** True when a live entry exists under the key. */
  async exists(namespace: string, key: string): Promise<boolean> {
    assertEntryName(namespace, key);
    const row = await this.#run(`Checking "${key}" in "${namespace}"`, () =>
      this.#kysely
        .selectFrom("kv")
        .select("key")
        .where("namespace", "=", namespace)
        .where("key", "=", key)
        .where(this.#live())
        .executeTakeFirst(),
    );
    return row !== undefined;
  }

  /** Keys of live entries that start with `prefix` (taken literally), sorted by code unit. */
  async listKeys(namespace: string, prefix = ""): Promise<string[]> {
    assertNamespace(namespace);
    if (typeof prefix !== "string") throw invalidName("prefix", prefix);
    const rows = await this.#run(`Listing keys in "${namespace}"`, () => {
      let query = this.#kysely.selectFrom("kv").select("key").where("namespace", "=", namespace).where(this.#live());
      if (prefix !== "") {
        // substr compares characters literally, unlike LIKE (wildcards, and case-insensitive on SQLite).
        const length = [...prefix].length;
        query = query.where((builder) =>
          builder(builder.fn("substr", [builder.ref("key"), builder.lit(1), builder.val(length)]), "=", prefix),
        );
      }
      return query.execute();
    });
    // Sorted here rather than in SQL: PostgreSQL's collation would order keys differently from SQLite.
    return rows.map((row) => row.key).sort();
  }

  /** Removes every expired entry from the table; returns how many. */
  async purgeExpired(): Promise<number> {
    const now = this.#now();
    const result = await this.#run("Purging expired entries", () =>
      this.#kysely.deleteFrom("kv").where("expires_at", "is not", null).where("expires_at", "<=", now).executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  #live() {
    const now = this.#now();
    return (builder: ExpressionBuilder<KeyValueTables, "kv">) =>
      builder.or([builder("expires_at", "is", null), builder("expires_at", ">", now)]);
  }

  async #run<T>(action: string, query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw toStorageError({ action, error, dialect: this.#database.dialect, location: this.#database.location });
    }
  }
}

function assertNamespace(namespace: string): void {
  if (typeof namespace !== "string" || namespace === "") throw invalidName("namespace", namespace);
}

function assertEntryName(namespace: string, key: string): void {
  assertNamespace(namespace);
  if (typeof key !== "string" || key === "") throw invalidName("key", key);
}

function invalidName(kind: "namespace" | "key" | "prefix", value: unknown): StorageError {
  const rule = kind === "prefix" ? "a string" : "a non-empty string";
  return new StorageError(`The ${kind} must be ${rule}, not ${describe(value)}.`, {
    recovery: `Pass ${rule} as the ${kind}.`,
    details: { [kind]: describe(value) },
  });
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}

function serialise(namespace: string, key: string, value: unknown): string {
  let text: string | undefined;
  let cause: unknown;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    cause = error;
  }
  if (text !== undefined) return text;
  const reason = cause instanceof Error ? cause.message : `${typeof value} has no JSON form`;
  throw new StorageError(`The value for "${key}" in "${namespace}" cannot be stored as JSON: ${reason}.`, {
    recovery:
      "Store plain data: objects, arrays, strings, finite numbers, booleans or null (convert BigInt and remove cycles). To remove a key, use delete.",
    details: { namespace, key, type: typeof value },
    cause,
  });
}

function ttlMilliseconds(ttlSeconds: number): number {
  if (typeof ttlSeconds !== "number" || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new StorageError(`ttlSeconds must be a positive, finite number of seconds, not ${String(ttlSeconds)}.`, {
      recovery: "Pass a number of seconds greater than 0, or leave ttlSeconds out for an entry that never expires.",
      details: { ttlSeconds: String(ttlSeconds) },
    });
  }
  // Rounded up so that a tiny positive TTL never means "already expired".
  return Math.ceil(ttlSeconds * 1000);
}
