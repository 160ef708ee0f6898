import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { storeMigrations } from "./migrations.js";
import { openDatabase } from "./open-database.js";

describe("openDatabase", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const temporaryDirectory = async () => {
    const directory = await mkdtemp(join(tmpdir(), "astros-open-"));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    return directory;
  };

  it("opens a sqlite:/// URL and migrates it, and reopening the same file is harmless", async () => {
    const filePath = join(await temporaryDirectory(), "astros.db");
    const first = await openDatabase({ url: `sqlite://${filePath}` });
    expect(first.dialect).toBe("sqlite");
    expect(first.location).toBe(`sqlite:${filePath}`);
    await first.executeQuery("insert into kv (namespace, key, value, updated_at) values ('n', 'k', '1', 0)");
    await first.close();

    const second = await openDatabase({ url: filePath });
    cleanups.push(() => second.close());
    expect(await second.executeQuery("select namespace, key, value from kv")).toEqual([{ namespace: "n", key: "k", value: "1" }]);
    expect(await second.executeQuery("select name from kysely_migration order by name")).toEqual(
      storeMigrations.map(({ name }) => ({ name })),
    );
  });

  it("opens sqlite::memory: with the kv table in place", async () => {
    const database = await openDatabase({ url: "sqlite::memory:" });
    cleanups.push(() => database.close());
    expect(database.location).toBe("sqlite::memory:");
    expect(await database.executeQuery("select count(*) as entries from kv")).toEqual([{ entries: 0 }]);
  });

  it("echoes each SQL statement without its values", async () => {
    const lines: string[] = [];
    const database = await openDatabase({ url: "sqlite::memory:", echo: (line) => lines.push(line) });
    cleanups.push(() => database.close());
    await database.executeQuery("select :secret as value", { secret: "hunter2" });
    expect(lines.at(-1)).toMatch(/^\[sql \d+\.\dms\] select \? as value$/);
    expect(lines.join("\n")).not.toContain("hunter2");
  });

  it("rejects an unknown URL scheme, listing the accepted forms", async () => {
    await expect(openDatabase({ url: "mongodb://localhost/astros" })).rejects.toMatchObject({
      name: "StorageError",
      message: expect.stringContaining('Unsupported database URL scheme "mongodb:"'),
      recovery: expect.stringContaining("sqlite:///absolute/path/astros.db"),
    });
  });

  it("rejects the schema option for SQLite", async () => {
    await expect(openDatabase({ url: "sqlite::memory:", schema: "isolated" })).rejects.toThrow(/only to PostgreSQL/);
  });

  it("reports an unreachable PostgreSQL server as STORAGE_UNAVAILABLE without the password", async () => {
    const attempt = openDatabase({ url: "postgres://astros:Sup3r-Secret@127.0.0.1:1/astros" });
    const error = await attempt.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toMatchObject({ name: "StorageError", code: "STORAGE_UNAVAILABLE" });
    const storageError = error as Error & { recovery: string; toJSON(): unknown };
    expect(storageError.message).toContain("Cannot connect to PostgreSQL at postgres://astros:***@127.0.0.1:1/astros");
    expect(storageError.recovery).toMatch(/Start the PostgreSQL server/);
    expect(JSON.stringify(storageError.toJSON())).not.toContain("Sup3r-Secret");
    expect(storageError.message).not.toContain("Sup3r-Secret");
  });

  it("rejects a pool size that is not a positive integer", async () => {
    await expect(openDatabase({ url: "postgres://127.0.0.1:1/astros", poolSize: 0 })).rejects.toThrow(/pool size/);
  });

  it("never loads a database driver except inside the branch that needs it", async () => {
    const directory = new URL(".", import.meta.url);
    const sources = (await readdir(directory)).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));
    const staticDriverImport = /^import\s+(?!type\b)[^;]*from\s+["'](pg|better-sqlite3)["']/m;
    for (const name of sources) {
      expect(await readFile(new URL(name, directory), "utf8"), name).not.toMatch(staticDriverImport);
    }
  });
});
