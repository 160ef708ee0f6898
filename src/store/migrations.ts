import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { StorageError } from "../core/errors/storage-error.js";
import { errorReason } from "./database-failure.js";
import type { DatabaseManager } from "./database-manager.js";

/** One schema change, named so that names sort in the order they must run. */
export interface NamedMigration extends Migration {
  name: string;
}

/**
 * Every schema change of the AstrOS store, oldest first. Append only: never edit or remove a
 * migration that has shipped. Written with Kysely's schema builder so it runs on both engines.
 */
export const storeMigrations: readonly NamedMigration[] = [
  {
    name: "0001_create_kv",
    async up(database: Kysely<any>) {
      await database.schema
        .createTable("kv")
        .ifNotExists()
        .addColumn("namespace", "text", (column) => column.notNull())
        .addColumn("key", "text", (column) => column.notNull())
        .addColumn("value", "text", (column) => column.notNull())
        .addColumn("expires_at", "bigint")
        .addColumn("updated_at", "bigint", (column) => column.notNull())
        .addPrimaryKeyConstraint("kv_primary_key", ["namespace", "key"])
        .execute();
      await database.schema.createIndex("kv_expires_at_index").ifNotExists().on("kv").column("expires_at").execute();
    },
    async down(database: Kysely<any>) {
      await database.schema.dropIndex("kv_expires_at_index").ifExists().execute();
      await database.schema.dropTable("kv").ifExists().execute();
    },
  },
];

export interface MigrateToLatestOptions {
  database: DatabaseManager;
  /** Defaults to storeMigrations. */
  migrations?: readonly NamedMigration[];
}

/** Brings the database up to the newest migration. A failure is a StorageError naming the migration. */
export async function migrateToLatest(options: MigrateToLatestOptions): Promise<void> {
  const { database } = options;
  const migrations = options.migrations ?? storeMigrations;
  const provider: MigrationProvider = {
    getMigrations: async () => Object.fromEntries(migrations.map(({ name, ...migration }) => [name, migration])),
  };
  let outcome: Awaited<ReturnType<Migrator["migrateToLatest"]>>;
  try {
    const migrationTableSchema = await schemaForMigrationTables(database);
    const migrator = new Migrator({
      db: database.kysely,
      provider,
      ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
    });
    outcome = await migrator.migrateToLatest();
  } catch (error) {
    outcome = { error };
  }
  if (outcome.error === undefined) return;
  const failed = outcome.results?.find((result) => result.status === "Error")?.migrationName;
  throw new StorageError(
    `Migrating the database at ${database.location} failed${failed === undefined ? "" : ` in "${failed}"`}: ${errorReason(outcome.error)}`,
    {
      recovery:
        "Check that the database user may create tables and indexes. If a newer AstrOS version used this database, upgrade AstrOS.",
      details: failed === undefined ? { location: database.location } : { location: database.location, migration: failed },
      cause: outcome.error,
    },
  );
}

/**
 * On PostgreSQL, Kysely looks for its bookkeeping tables in every schema unless told which one,
 * so a copy in another schema would be mistaken for ours. Name the current schema explicitly.
 */
async function schemaForMigrationTables(database: DatabaseManager): Promise<string | undefined> {
  if (database.dialect !== "postgres") return undefined;
  const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(database.kysely);
  return result.rows[0]?.schema ?? "public";
}
