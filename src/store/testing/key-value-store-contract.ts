import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageError } from "../../core/errors/storage-error.js";
import { KeyValueStore } from "../key-value-store.js";
import { PluginStorage } from "../plugin-storage.js";
import type { DescribeStorageContractOptions } from "./database-manager-contract.js";
import type { TestDatabase } from "./test-databases.js";

/** A clock the test moves by hand, in epoch milliseconds. */
interface ManualClock {
  time: number;
  now: () => number;
}

function createManualClock(time: number): ManualClock {
  const clock: ManualClock = { time, now: () => clock.time };
  return clock;
}

/** Behaviour KeyValueStore and PluginStorage must show on every engine. Registers a vitest describe block. */
export function describeKeyValueStoreContract(options: DescribeStorageContractOptions): void {
  describe(`KeyValueStore and PluginStorage (${options.name})`, () => {
    let testDatabase: TestDatabase | undefined;
    let namespaceCount = 0;

    beforeAll(async () => {
      testDatabase = await options.openTestDatabase();
    });
    afterAll(async () => {
      await testDatabase?.cleanup();
    });

    const createStore = (clock?: ManualClock): KeyValueStore => {
      if (testDatabase === undefined) throw new Error("The test database did not open.");
      return new KeyValueStore({ database: testDatabase.database, ...(clock ? { now: clock.now } : {}) });
    };
    /** Each test writes to its own namespace, so tests sharing the database cannot see each other. */
    const freshNamespace = (): string => {
      namespaceCount += 1;
      return `test-${namespaceCount}`;
    };

    it("returns undefined for a key that was never set", async () => {
      expect(await createStore().get(freshNamespace(), "absent")).toBeUndefined();
    });

    it("round-trips values of every JSON type", async () => {
      const store = createStore();
      const namespace = freshNamespace();
      const values: Record<string, unknown> = {
        null: null,
        true: true,
        false: false,
        zero: 0,
        negativeFraction: -1.5,
        large: 1e300,
        emptyString: "",
        awkwardString: 'it\'s "quoted" :name ? % _ \\ \n héllo 🌍',
        emptyArray: [],
        mixedArray: [1, "two", null, false, { three: 3 }],
        emptyObject: {},
        nestedObject: { a: { b: [1, { c: "d" }] }, e: null },
      };
      for (const [key, value] of Object.entries(values)) await store.set(namespace, key, value);
      for (const [key, value] of Object.entries(values)) expect(await store.get(namespace, key)).toEqual(value);
      expect(await store.exists(namespace, "null")).toBe(true);
    });

    it("overwrites a value, and dropping the TTL makes it permanent", async () => {
      const clock = createManualClock(1_000_000);
      const store = createStore(clock);
      const namespace = freshNamespace();
      await store.set(namespace, "key", "first", { ttlSeconds: 10 });
      await store.set(namespace, "key", { second: true });
      clock.time += 60_000;
      expect(await store.get(namespace, "key")).toEqual({ second: true });
    });

    it("deletes a key, answering whether it existed", async () => {
      const store = createStore();
      const namespace = freshNamespace();
      await store.set(namespace, "key", 1);
      expect(await store.delete(namespace, "key")).toBe(true);
      expect(await store.delete(namespace, "key")).toBe(false);
      expect(await store.get(namespace, "key")).toBeUndefined();
      expect(await store.exists(namespace, "key")).toBe(false);
    });

    it("keeps namespaces apart", async () => {
      const store = createStore();
      const [first, second] = [freshNamespace(), freshNamespace()];
      await store.set(first, "shared", "one");
      await store.set(second, "shared", "two");
      expect(await store.get(first, "shared")).toBe("one");
      expect(await store.get(second, "shared")).toBe("two");
      expect(await store.delete(first, "shared")).toBe(true);
      expect(await store.exists(second, "shared")).toBe(true);
    });

    it("lists keys sorted, matching the prefix literally even with % and _", async () => {
      const store = createStore();
      const namespace = freshNamespace();
      for (const key of ["b", "a%b1", "axb2", "a_c", "abc", "a%", "A%z", "a\\%"]) await store.set(namespace, key, key);
      await store.set(freshNamespace(), "a%other-namespace", 1);
      expect(await store.listKeys(namespace)).toEqual(["A%z", "a%", "a%b1", "a\\%", "a_c", "abc", "axb2", "b"]);
      expect(await store.listKeys(namespace, "a%")).toEqual(["a%", "a%b1"]);
      expect(await store.listKeys(namespace, "a_")).toEqual(["a_c"]);
      expect(await store.listKeys(namespace, "a\\")).toEqual(["a\\%"]);
      expect(await store.listKeys(namespace, "zzz")).toEqual([]);
    });

    it("hides an entry once its TTL has passed, before any purge", async () => {
      const clock = createManualClock(2_000_000);
      const store = createStore(clock);
      const namespace = freshNamespace();
      await store.set(namespace, "short", "value", { ttlSeconds: 10 });
      await store.set(namespace, "forever", "value");
      clock.time += 9_999;
      expect(await store.get(namespace, "short")).toBe("value");
      expect(await store.exists(namespace, "short")).toBe(true);
      clock.time += 1;
      expect(await store.get(namespace, "short")).toBeUndefined();
      expect(await store.exists(namespace, "short")).toBe(false);
      expect(await store.listKeys(namespace)).toEqual(["forever"]);
      expect(await store.delete(namespace, "short")).toBe(false);
    });

    it("expires an entry in real time (ttl 0.2 s)", async () => {
      const store = createStore();
      const namespace = freshNamespace();
      await store.set(namespace, "fleeting", "value", { ttlSeconds: 0.2 });
      expect(await store.get(namespace, "fleeting")).toBe("value");
      await sleep(400);
      expect(await store.get(namespace, "fleeting")).toBeUndefined();
    });

    it("purges expired entries and counts them", async () => {
      const clock = createManualClock(Number.MAX_SAFE_INTEGER);
      const store = createStore(clock);
      await store.purgeExpired(); // clears what earlier tests left behind
      clock.time = 1_000;
      const namespace = freshNamespace();
      await store.set(namespace, "one", 1, { ttlSeconds: 1 });
      await store.set(namespace, "two", 2, { ttlSeconds: 2 });
      await store.set(namespace, "later", 3, { ttlSeconds: 100 });
      await store.set(namespace, "forever", 4);
      clock.time = 3_000;
      expect(await store.purgeExpired()).toBe(2);
      expect(await store.purgeExpired()).toBe(0);
      expect(await store.listKeys(namespace)).toEqual(["forever", "later"]);
    });

    it("rejects a TTL that is not a positive, finite number", async () => {
      const store = createStore();
      const namespace = freshNamespace();
      for (const ttlSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.set(namespace, "key", 1, { ttlSeconds })).rejects.toThrow(
          /ttlSeconds must be a positive, finite number/,
        );
      }
      expect(await store.exists(namespace, "key")).toBe(false);
    });

    it("rejects a value that has no JSON form", async () => {
      const store = createStore();
      const namespace = freshNamespace();
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      for (const value of [undefined, 10n, cycle, () => 1, Symbol("s")]) {
        const attempt = store.set(namespace, "key", value);
        await expect(attempt).rejects.toBeInstanceOf(StorageError);
        await expect(attempt).rejects.toThrow(/cannot be stored as JSON/);
      }
    });

    it("gives each plugin its own keys", async () => {
      const store = createStore();
      const suffix = freshNamespace();
      const alpha = new PluginStorage({ store, pluginName: `alpha-${suffix}` });
      const beta = new PluginStorage({ store, pluginName: `beta-${suffix}` });
      await alpha.set("greeting", "hello");
      await beta.set("greeting", "bonjour");
      await alpha.set("greeting-count", 2);
      expect(await alpha.get("greeting")).toBe("hello");
      expect(await beta.get("greeting")).toBe("bonjour");
      expect(await alpha.listKeys("greeting")).toEqual(["greeting", "greeting-count"]);
      expect(await beta.listKeys()).toEqual(["greeting"]);
      expect(await store.get(`plugin:alpha-${suffix}`, "greeting")).toBe("hello");
      expect(await alpha.delete("greeting")).toBe(true);
      expect(await alpha.exists("greeting")).toBe(false);
      expect(await beta.exists("greeting")).toBe(true);
    });

    it("returns the default value for a missing plugin key, and honours the TTL", async () => {
      const clock = createManualClock(5_000_000);
      const storage = new PluginStorage({ store: createStore(clock), pluginName: `gamma-${freshNamespace()}` });
      expect(await storage.get("missing")).toBeUndefined();
      expect(await storage.get("missing", { fallback: true })).toEqual({ fallback: true });
      await storage.set("cached", [1, 2], 30);
      expect(await storage.get("cached", [])).toEqual([1, 2]);
      clock.time += 30_000;
      expect(await storage.get("cached", [])).toEqual([]);
    });
  });
}
