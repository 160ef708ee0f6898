import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseManager } from "../database-manager.js";
import { openDatabase } from "../open-database.js";

/** A migrated database for one test suite, and how to throw it away afterwards. */
export interface TestDatabase {
  database: DatabaseManager;
  cleanup(): Promise<void>;
}

export type OpenTestDatabase = () => Promise<TestDatabase>;

/** A SQLite file in a fresh directory under the system temp directory; cleanup removes the directory. */
export async function openSqliteFileTestDatabase(): Promise<TestDatabase> {
  const directory = await mkdtemp(join(tmpdir(), "astros-store-"));
  const database = await openDatabase({ url: `sqlite://${join(directory, "astros.db")}` });
  return {
    database,
    async cleanup() {
      await database.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export async function openSqliteMemoryTestDatabase(): Promise<TestDatabase> {
  const database = await openDatabase({ url: "sqlite::memory:" });
  return { database, cleanup: () => database.close() };
}

export interface OpenPostgresTestDatabaseOptions {
  url: string;
}

/** A fresh schema astros_test_<random> on the server; cleanup drops it with everything in it. */
export async function openPostgresTestDatabase(options: OpenPostgresTestDatabaseOptions): Promise<TestDatabase> {
  const schema = createTestSchemaName();
  const database = await openDatabase({ url: options.url, schema, poolSize: 4 });
  return {
    database,
    async cleanup() {
      try {
        await database.executeQuery(`drop schema if exists "${schema}" cascade`);
      } finally {
        await database.close();
      }
    },
  };
}

export function createTestSchemaName(): string {
  return `astros_test_${randomBytes(6).toString("hex")}`;
}
