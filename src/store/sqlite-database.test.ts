import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DatabaseManager } from "./database-manager.js";
import { openSqliteDatabase } from "./sqlite-database.js";
import { describeDatabaseManagerContract } from "./testing/database-manager-contract.js";
import { describeKeyValueStoreContract } from "./testing/key-value-store-contract.js";
import { openSqliteFileTestDatabase, openSqliteMemoryTestDatabase } from "./testing/test-databases.js";

describeDatabaseManagerContract({ name: "SQLite file", openTestDatabase: openSqliteFileTestDatabase });
describeDatabaseManagerContract({ name: "SQLite :memory:", openTestDatabase: openSqliteMemoryTestDatabase });
describeKeyValueStoreContract({ name: "SQLite file", openTestDatabase: openSqliteFileTestDatabase });
describeKeyValueStoreContract({ name: "SQLite :memory:", openTestDatabase: openSqliteMemoryTestDatabase });

describe("openSqliteDatabase", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const openInTemporaryDirectory = async (relativePath: string) => {
    const directory = await mkdtemp(join(tmpdir(), "astros-sqlite-"));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const filePath = join(directory, relativePath);
    const database = await openSqliteDatabase({ filePath });
    cleanups.push(() => database.close());
    return { directory, filePath, database };
  };

  const pragma = async (database: DatabaseManager, name: string) => {
    const [row] = await database.executeQuery(`pragma ${name}`);
    return row === undefined ? undefined : Object.values(row)[0];
  };

  it("creates missing parent directories readable only by the owner", async () => {
    const { directory, filePath, database } = await openInTemporaryDirectory("nested/deeper/astros.db");
    expect(database.location).toBe(`sqlite:${filePath}`);
    expect((await stat(join(directory, "nested"))).mode & 0o777).toBe(0o700);
    expect((await stat(join(directory, "nested/deeper"))).mode & 0o777).toBe(0o700);
    expect((await stat(filePath)).isFile()).toBe(true);
  });

  it("uses write-ahead logging, enforces foreign keys and waits on locks", async () => {
    const { database } = await openInTemporaryDirectory("astros.db");
    expect(await pragma(database, "journal_mode")).toBe("wal");
    expect(await pragma(database, "foreign_keys")).toBe(1);
    expect(await pragma(database, "busy_timeout")).toBe(5000);
  });

  it("stores booleans as 1/0 and dates as ISO-8601 text", async () => {
    const { database } = await openInTemporaryDirectory("astros.db");
    await database.executeQuery("create table events (id integer primary key, done boolean, at text)");
    const at = new Date("2024-05-06T07:08:09.010Z");
    await database.executeQuery("insert into events (done, at) values (:done, :at)", { done: true, at });
    await database.insert("events", { done: false, at });
    const id = await database.insert("events", { done: undefined, at: null });
    await database.update("events", id, { done: true });
    expect(await database.executeQuery("select done, at from events order by id")).toEqual([
      { done: 1, at: "2024-05-06T07:08:09.010Z" },
      { done: 0, at: "2024-05-06T07:08:09.010Z" },
      { done: 1, at: null },
    ]);
  });

  it("opens an in-memory database", async () => {
    const database = await openSqliteDatabase({ filePath: ":memory:" });
    cleanups.push(() => database.close());
    expect(database.location).toBe("sqlite::memory:");
    expect(await database.executeQuery("select 1 + 1 as two")).toEqual([{ two: 2 }]);
  });

  it("reports a file it cannot open as a StorageError naming the path", async () => {
    const directory = await mkdtemp(join(tmpdir(), "astros-sqlite-"));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    await expect(openSqliteDatabase({ filePath: directory })).rejects.toMatchObject({
      name: "StorageError",
      message: expect.stringContaining(`Cannot open the SQLite database at ${directory}`),
    });
  });

  it("rejects use after close, and closing twice is harmless", async () => {
    const database = await openSqliteDatabase({ filePath: ":memory:" });
    await database.close();
    await database.close();
    await expect(database.executeQuery("select 1")).rejects.toThrow(/is closed/);
  });
});
