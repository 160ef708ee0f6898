import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseManager } from "./database-manager.js";
import { KeyValueStore } from "./key-value-store.js";
import { openDatabase } from "./open-database.js";
import { PluginStorage, type PluginStorageApi } from "./plugin-storage.js";

// Behaviour shared by every engine is in testing/key-value-store-contract.ts.
describe("PluginStorage", () => {
  let database: DatabaseManager;
  let store: KeyValueStore;
  beforeAll(async () => {
    database = await openDatabase({ url: "sqlite::memory:" });
    store = new KeyValueStore({ database });
  });
  afterAll(async () => {
    await database.close();
  });

  it("stores under the namespace plugin:<pluginName>", async () => {
    const storage: PluginStorageApi = new PluginStorage({ store, pluginName: "weather" });
    await storage.set("city", "Lyon");
    expect(await database.executeQuery("select namespace, key, value from kv")).toEqual([
      { namespace: "plugin:weather", key: "city", value: '"Lyon"' },
    ]);
  });

  it("requires a plugin name", () => {
    expect(() => new PluginStorage({ store, pluginName: "" })).toThrow(/needs the plugin's name/);
  });
});
