import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPostgresTestTarget } from "../../store/testing/postgres-test-url.js";
import {
  type OpenTestDatabase,
  openPostgresTestDatabase,
  openSqliteMemoryTestDatabase,
  type TestDatabase,
} from "../../store/testing/test-databases.js";
import { AgentSessionStore } from "./agent-session-store.js";

const target = await findPostgresTestTarget();

const engines: { name: string; open: OpenTestDatabase; skip: boolean }[] = [
  { name: "SQLite", open: openSqliteMemoryTestDatabase, skip: false },
  {
    name: `PostgreSQL at ${target.redactedUrl}`,
    open: () => openPostgresTestDatabase({ url: target.url }),
    skip: !target.reachable,
  },
];

for (const engine of engines) {
  describe.skipIf(engine.skip)(`AgentSessionStore on ${engine.name}`, () => {
    let testDatabase: TestDatabase | undefined;
    let now = 1_700_000_000_000;
    let store: AgentSessionStore;
    beforeAll(async () => {
      testDatabase = await engine.open();
      store = new AgentSessionStore({ database: testDatabase.database, now: () => now });
    });
    afterAll(async () => {
      await testDatabase?.cleanup();
    });

    it("keeps each user's sessions to that user", async () => {
      const mine = await store.create({ id: "s1", userId: "alice", workdir: "/w/alice/sessions/s1", lastTask: "build it" });
      now += 1000;
      await store.create({ id: "s2", userId: "alice", workdir: "/w/alice/sessions/s2" });
      await store.create({ id: "s3", userId: "bob", workdir: "/w/bob/sessions/s3" });
      expect(await store.get("alice", "s1")).toEqual(mine);
      expect(mine).toEqual({
        id: "s1",
        userId: "alice",
        workdir: "/w/alice/sessions/s1",
        createdAt: 1_700_000_000_000,
        lastTask: "build it",
        status: "active",
      });
      expect(await store.get("bob", "s1")).toBeUndefined();
      expect((await store.list("alice")).map((session) => session.id)).toEqual(["s1", "s2"]);
      expect(await store.countActive()).toBe(3);
    });

    it("records the last task, and deletes only the user's own", async () => {
      await store.setLastTask("bob", "s2", "not bob's");
      await store.setLastTask("alice", "s2", "test it");
      expect((await store.get("alice", "s2"))?.lastTask).toBe("test it");
      expect(await store.delete("bob", "s2")).toBe(false);
      expect(await store.delete("alice", "s2")).toBe(true);
      expect(await store.get("alice", "s2")).toBeUndefined();
      expect(await store.countActive()).toBe(2);
    });
  });
}
