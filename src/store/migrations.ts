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
  {
    name: "0002_create_permissions",
    async up(database: Kysely<any>) {
      await database.schema
        .createTable("permission_grants")
        .ifNotExists()
        .addColumn("user_id", "text", (column) => column.notNull())
        .addColumn("permission", "text", (column) => column.notNull())
        .addColumn("resource", "text", (column) => column.notNull())
        .addColumn("effect", "text", (column) => column.notNull())
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addPrimaryKeyConstraint("permission_grants_primary_key", ["user_id", "permission", "resource"])
        .execute();
      await database.schema
        .createTable("plugin_consents")
        .ifNotExists()
        .addColumn("user_id", "text", (column) => column.notNull())
        .addColumn("plugin", "text", (column) => column.notNull())
        .addColumn("permission", "text", (column) => column.notNull())
        .addColumn("decision", "text", (column) => column.notNull())
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addPrimaryKeyConstraint("plugin_consents_primary_key", ["user_id", "plugin", "permission"])
        .execute();
    },
    async down(database: Kysely<any>) {
      await database.schema.dropTable("plugin_consents").ifExists().execute();
      await database.schema.dropTable("permission_grants").ifExists().execute();
    },
  },
  {
    name: "0003_create_schedules",
    async up(database: Kysely<any>) {
      await database.schema
        .createTable("schedules")
        .ifNotExists()
        .addColumn("id", "text", (column) => column.primaryKey())
        .addColumn("user_id", "text", (column) => column.notNull())
        .addColumn("kind", "text", (column) => column.notNull())
        .addColumn("text", "text", (column) => column.notNull())
        .addColumn("run_at", "bigint")
        .addColumn("cron", "text")
        .addColumn("timezone", "text", (column) => column.notNull())
        .addColumn("context", "text", (column) => column.notNull())
        .addColumn("status", "text", (column) => column.notNull())
        .addColumn("next_run_at", "bigint")
        .addColumn("last_run_at", "bigint")
        .addColumn("last_late_ms", "bigint")
        .addColumn("last_outcome", "text")
        .addColumn("last_message", "text")
        .addColumn("run_count", "integer", (column) => column.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addColumn("updated_at", "bigint", (column) => column.notNull())
        .execute();
      await database.schema.createIndex("schedules_user_index").ifNotExists().on("schedules").column("user_id").execute();
      await database.schema
        .createIndex("schedules_due_index")
        .ifNotExists()
        .on("schedules")
        .columns(["status", "next_run_at"])
        .execute();
    },
    async down(database: Kysely<any>) {
      await database.schema.dropIndex("schedules_due_index").ifExists().execute();
      await database.schema.dropIndex("schedules_user_index").ifExists().execute();
      await database.schema.dropTable("schedules").ifExists().execute();
    },
  },
  {
    // People who sign in to the server, their sessions, and the API keys programs use on their behalf.
    // Times are epoch milliseconds; `disabled` is 0 or 1 (one type on both engines). `username_key` is the
    // lower-cased username, so "Ann" and "ann" cannot both exist. Only hashes of API keys are kept.
    name: "0004_create_users_and_auth_sessions",
    async up(database: Kysely<any>) {
      await database.schema
        .createTable("users")
        .ifNotExists()
        .addColumn("id", "text", (column) => column.primaryKey())
        .addColumn("username", "text", (column) => column.notNull().unique())
        .addColumn("username_key", "text", (column) => column.notNull().unique())
        .addColumn("password_hash", "text", (column) => column.notNull())
        .addColumn("role", "text", (column) => column.notNull())
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addColumn("updated_at", "bigint", (column) => column.notNull())
        .addColumn("disabled", "integer", (column) => column.notNull().defaultTo(0))
        .execute();
      await database.schema
        .createTable("auth_sessions")
        .ifNotExists()
        .addColumn("id", "text", (column) => column.primaryKey())
        .addColumn("user_id", "text", (column) => column.notNull())
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addColumn("expires_at", "bigint", (column) => column.notNull())
        .addColumn("last_seen_at", "bigint", (column) => column.notNull())
        .addColumn("revoked_at", "bigint")
        .addColumn("user_agent", "text")
        .addColumn("ip", "text")
        .execute();
      await database.schema.createIndex("auth_sessions_user_index").ifNotExists().on("auth_sessions").column("user_id").execute();
      await database.schema
        .createTable("api_keys")
        .ifNotExists()
        .addColumn("id", "text", (column) => column.primaryKey())
        .addColumn("user_id", "text", (column) => column.notNull())
        .addColumn("name", "text", (column) => column.notNull())
        .addColumn("key_hash", "text", (column) => column.notNull().unique())
        .addColumn("prefix", "text", (column) => column.notNull())
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addColumn("last_used_at", "bigint")
        .addColumn("revoked_at", "bigint")
        .execute();
      await database.schema.createIndex("api_keys_user_index").ifNotExists().on("api_keys").column("user_id").execute();
    },
    async down(database: Kysely<any>) {
      await database.schema.dropIndex("api_keys_user_index").ifExists().execute();
      await database.schema.dropTable("api_keys").ifExists().execute();
      await database.schema.dropIndex("auth_sessions_user_index").ifExists().execute();
      await database.schema.dropTable("auth_sessions").ifExists().execute();
      await database.schema.dropTable("users").ifExists().execute();
    },
  },
  {
    // The agent-session API's sessions (/api/sessions): each belongs to one user and has a workspace folder.
    // Times are epoch milliseconds; `last_task` is the latest task's text, null before the first.
    name: "0005_create_agent_sessions",
    async up(database: Kysely<any>) {
      await database.schema
        .createTable("agent_sessions")
        .ifNotExists()
        .addColumn("id", "text", (column) => column.primaryKey())
        .addColumn("user_id", "text", (column) => column.notNull())
        .addColumn("workdir", "text", (column) => column.notNull())
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addColumn("updated_at", "bigint", (column) => column.notNull())
        .addColumn("last_task", "text")
        .addColumn("status", "text", (column) => column.notNull())
        .execute();
      await database.schema
        .createIndex("agent_sessions_user_index")
        .ifNotExists()
        .on("agent_sessions")
        .column("user_id")
        .execute();
    },
    async down(database: Kysely<any>) {
      await database.schema.dropIndex("agent_sessions_user_index").ifExists().execute();
      await database.schema.dropTable("agent_sessions").ifExists().execute();
    },
  },
  {
    // Per-user rate-limit counters shared by every AstrOS process on this database, in the layout
    // rate-limiter-flexible's SQLite and PostgreSQL stores expect (its PostgreSQL store inserts without
    // naming columns, so their order matters): `key` is counter name and user, `expire` epoch milliseconds.
    // One row per counter and user, reused when its window has passed.
    name: "0006_create_rate_limit_counters",
    async up(database: Kysely<any>) {
      await database.schema
        .createTable("rate_limit_counters")
        .ifNotExists()
        .addColumn("key", "text", (column) => column.primaryKey())
        .addColumn("points", "integer", (column) => column.notNull().defaultTo(0))
        .addColumn("expire", "bigint")
        .execute();
    },
    async down(database: Kysely<any>) {
      await database.schema.dropTable("rate_limit_counters").ifExists().execute();
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
    if (await isUpToDate(database, migrations, migrationTableSchema)) return;
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
 * The common case at start-up: every migration has run. One read answers it, where the migrator
 * would create its tables if missing, take its lock and write (a disk sync on SQLite) every time.
 * Anything else (no table yet, a missing or unknown migration) goes to the migrator.
 */
async function isUpToDate(
  database: DatabaseManager,
  migrations: readonly NamedMigration[],
  schema: string | undefined,
): Promise<boolean> {
  try {
    const table = schema === undefined ? database.kysely : database.kysely.withSchema(schema);
    const rows = await table.selectFrom("kysely_migration").select("name").execute();
    const applied = new Set(rows.map((row) => String(row.name)));
    return applied.size === migrations.length && migrations.every((migration) => applied.has(migration.name));
  } catch {
    return false;
  }
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
