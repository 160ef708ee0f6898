import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseManager } from "./database-manager.js";
import { describeDatabaseManagerContract } from "./testing/database-manager-contract.js";
import { describeKeyValueStoreContract } from "./testing/key-value-store-contract.js";
import { findPostgresTestTarget } from "./testing/postgres-test-url.js";
import { openPostgresTestDatabase, type TestDatabase } from "./testing/test-databases.js";

const target = await findPostgresTestTarget();
const openTestDatabase = () => openPostgresTestDatabase({ url: target.url });

describe.skipIf(!target.reachable)(`PostgreSQL storage at ${target.redactedUrl}`, () => {
  describeDatabaseManagerContract({ name: "PostgreSQL", openTestDatabase });
  describeKeyValueStoreContract({ name: "PostgreSQL", openTestDatabase });

  describe("openPostgresDatabase", () => {
    let testDatabase: TestDatabase | undefined;
    beforeAll(async () => {
      testDatabase = await openTestDatabase();
    });
    afterAll(async () => {
      await testDatabase?.cleanup();
    });
    const database = (): DatabaseManager => {
      if (testDatabase === undefined) throw new Error("The test database did not open.");
      return testDatabase.database;
    };

    it("leaves :: casts alone next to named parameters", async () => {
      const rows = await database().executeQuery("select :value::int + 1 as next, '5'::int as five, :value::text as text", {
        value: "41",
      });
      expect(rows).toEqual([{ next: 42, five: 5, text: "41" }]);
    });

    it("leaves ? alone with named parameters, so JSON operators work", async () => {
      const rows = await database().executeQuery(`select '{"a": 1}'::jsonb ? :key as has_key`, { key: "a" });
      expect(rows).toEqual([{ has_key: true }]);
    });

    it("leaves dollar-quoted strings and E-strings alone", async () => {
      const rows = await database().executeQuery("select $$ :no ? $$ as dollar, E'it\\'s :no ?' as escaped, :yes as value", {
        yes: "y",
      });
      expect(rows).toEqual([{ dollar: " :no ? ", escaped: "it's :no ?", value: "y" }]);
    });

    it("creates tables in its own schema, named in its location", async () => {
      const [row] = await database().executeQuery("select current_schema() as schema");
      expect(row?.schema).toMatch(/^astros_test_[0-9a-f]{12}$/);
      expect(database().location).toContain(`(schema ${String(row?.schema)})`);
      const tables = await database().executeQuery(
        "select table_name from information_schema.tables where table_schema = :schema order by 1",
        {
          schema: row?.schema,
        },
      );
      expect(tables.map((table) => table.table_name)).toEqual([
        "agent_sessions",
        "api_keys",
        "auth_sessions",
        "kv",
        "kysely_migration",
        "kysely_migration_lock",
        "permission_grants",
        "plugin_consents",
        "rate_limit_counters",
        "schedules",
        "users",
      ]);
    });

    it("passes booleans and dates to PostgreSQL as they are", async () => {
      await database().executeQuery("create table events (id serial primary key, done boolean, at timestamptz)");
      const at = new Date("2024-05-06T07:08:09.010Z");
      await database().insert("events", { done: true, at });
      expect(await database().executeQuery("select done, at from events")).toEqual([{ done: true, at }]);
    });
  });
});
