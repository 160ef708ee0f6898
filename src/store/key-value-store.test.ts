import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseManager } from "./database-manager.js";
import { KeyValueStore } from "./key-value-store.js";
import { openDatabase } from "./open-database.js";

// Behaviour shared by every engine is in testing/key-value-store-contract.ts; these are argument checks.
describe("KeyValueStore arguments", () => {
  let database: DatabaseManager;
  let store: KeyValueStore;
  beforeAll(async () => {
    database = await openDatabase({ url: "sqlite::memory:" });
    store = new KeyValueStore({ database });
  });
  afterAll(async () => {
    await database.close();
  });

  it("rejects an empty namespace or key", async () => {
    await expect(store.get("", "key")).rejects.toThrow(/namespace must be a non-empty string/);
    await expect(store.set("namespace", "", 1)).rejects.toThrow(/key must be a non-empty string/);
    await expect(store.listKeys("")).rejects.toThrow(/namespace/);
  });

  it("reports a stored value that is not JSON instead of returning garbage", async () => {
    await database.executeQuery("insert into kv (namespace, key, value, updated_at) values ('n', 'broken', '{not json', 0)");
    await expect(store.get("n", "broken")).rejects.toThrow(/is not valid JSON/);
  });

  it("rounds a tiny TTL up to a millisecond so the entry is not born expired", async () => {
    const clockStore = new KeyValueStore({ database, now: () => 1_000 });
    await clockStore.set("n", "tiny", true, { ttlSeconds: 0.0001 });
    expect(await clockStore.get("n", "tiny")).toBe(true);
  });
});
