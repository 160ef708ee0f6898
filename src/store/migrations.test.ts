import { afterEach, describe, expect, it } from "vitest";
import type { DatabaseManager } from "./database-manager.js";
import { migrateToLatest, storeMigrations } from "./migrations.js";
import { openSqliteDatabase } from "./sqlite-database.js";

describe("migrateToLatest", () => {
  let database: DatabaseManager | undefined;
  afterEach(async () => {
    await database?.close();
  });

  it("creates the kv table with its expiry index, and running again changes nothing", async () => {
    database = await openSqliteDatabase({ filePath: ":memory:" });
    await migrateToLatest({ database });
    await migrateToLatest({ database });
    const columns = await database.executeQuery("select name, pk from pragma_table_info('kv') order by cid");
    expect(columns).toEqual([
      { name: "namespace", pk: 1 },
      { name: "key", pk: 2 },
      { name: "value", pk: 0 },
      { name: "expires_at", pk: 0 },
      { name: "updated_at", pk: 0 },
    ]);
    const indexes = await database.executeQuery("select name from pragma_index_list('kv') where origin = 'c'");
    expect(indexes).toEqual([{ name: "kv_expires_at_index" }]);
  });

  it("creates the schedules table with its user and due-time indexes", async () => {
    database = await openSqliteDatabase({ filePath: ":memory:" });
    await migrateToLatest({ database });
    const columns = await database.executeQuery("select name from pragma_table_info('schedules') order by cid");
    expect(columns.map((column) => column.name)).toEqual([
      "id",
      "user_id",
      "kind",
      "text",
      "run_at",
      "cron",
      "timezone",
      "context",
      "status",
      "next_run_at",
      "last_run_at",
      "last_late_ms",
      "last_outcome",
      "last_message",
      "run_count",
      "created_at",
      "updated_at",
    ]);
    const indexes = await database.executeQuery(
      "select name from pragma_index_list('schedules') where origin = 'c' order by name",
    );
    expect(indexes).toEqual([{ name: "schedules_due_index" }, { name: "schedules_user_index" }]);
  });

  it("reports a failing migration as a StorageError naming it", async () => {
    database = await openSqliteDatabase({ filePath: ":memory:" });
    const broken = {
      name: "0002_broken",
      async up() {
        throw new Error("column clash");
      },
    };
    const attempt = migrateToLatest({ database, migrations: [...storeMigrations, broken] });
    await expect(attempt).rejects.toMatchObject({
      name: "StorageError",
      message: expect.stringMatching(/Migrating the database at sqlite::memory: failed in "0002_broken": column clash/),
      details: { migration: "0002_broken" },
    });
  });

  it("names migrations so that they sort in the order they were written", () => {
    const names = storeMigrations.map((migration) => migration.name);
    expect([...names].sort()).toEqual(names);
    expect(names.every((name) => /^\d{4}_[a-z0-9_]+$/.test(name))).toBe(true);
  });
});
