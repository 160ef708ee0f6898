import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findPostgresTestTarget } from "../../store/testing/postgres-test-url.js";
import {
  type OpenTestDatabase,
  openPostgresTestDatabase,
  openSqliteFileTestDatabase,
  type TestDatabase,
} from "../../store/testing/test-databases.js";
import { type NewSchedule, ScheduleStore } from "./schedule-store.js";

const target = await findPostgresTestTarget();

function describeScheduleStore(name: string, openTestDatabase: OpenTestDatabase) {
  describe(`ScheduleStore on ${name}`, () => {
    let testDatabase: TestDatabase;
    let store: ScheduleStore;
    let now: number;
    beforeEach(async () => {
      testDatabase = await openTestDatabase();
      now = 1_773_828_000_000;
      store = new ScheduleStore({ database: testDatabase.database, now: () => now });
    });
    afterEach(async () => {
      await testDatabase.cleanup();
    });

    const base: NewSchedule = {
      userId: "ann",
      kind: "reminder",
      text: "call mom",
      runAt: 1_773_853_200_000,
      timezone: "Europe/Paris",
      context: { cwd: "/home/ann" },
      nextRunAt: 1_773_853_200_000,
    };

    it("keeps a schedule with its times as numbers and its context", async () => {
      const created = await store.create(base);
      expect(created.id).toMatch(/^[0-9a-f]{12}$/);
      expect(await store.get(created.id)).toEqual({
        id: created.id,
        userId: "ann",
        kind: "reminder",
        text: "call mom",
        runAt: 1_773_853_200_000,
        cron: null,
        timezone: "Europe/Paris",
        context: { cwd: "/home/ann" },
        status: "active",
        nextRunAt: 1_773_853_200_000,
        lastRunAt: null,
        lastLateMs: null,
        lastOutcome: null,
        lastMessage: null,
        runCount: 0,
        createdAt: now,
        updatedAt: now,
      });
      expect(await store.get("nope")).toBeUndefined();
    });

    it("lists a user's own schedules only, soonest first, and finds them by id prefix", async () => {
      const later = await store.create({ ...base, text: "later", nextRunAt: base.nextRunAt + 1000 });
      const sooner = await store.create({ ...base, text: "sooner", nextRunAt: base.nextRunAt - 1000 });
      await store.create({ ...base, userId: "bob", text: "bob's" });
      expect((await store.listForUser("ann")).map((schedule) => schedule.text)).toEqual(["sooner", "later"]);
      expect(await store.countActive("ann")).toBe(2);
      expect((await store.findForUser("ann", later.id.slice(0, 8))).map((schedule) => schedule.id)).toEqual([later.id]);
      expect(await store.findForUser("bob", sooner.id)).toEqual([]);
      expect((await store.listActive()).map((schedule) => schedule.text)).toEqual(["sooner", "bob's", "later"]);
    });

    it("lets only one caller claim a run, moves a recurring one on and marks a one-off done", async () => {
      const oneOff = await store.create(base);
      const claim = {
        id: oneOff.id,
        expectedNextRunAt: base.nextRunAt,
        runAt: base.nextRunAt + 5,
        nextRunAt: null,
        lateMs: null,
      };
      const results = await Promise.all([store.claimRun(claim), store.claimRun(claim)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(oneOff.id)).toMatchObject({ status: "done", nextRunAt: null, lastOutcome: "running", runCount: 1 });
      await store.recordOutcome({ id: oneOff.id, runAt: claim.runAt, outcome: "delivered", message: "ok" });
      // An outcome for another run never overwrites the last one.
      await store.recordOutcome({ id: oneOff.id, runAt: 1, outcome: "failed", message: "stale" });
      expect(await store.get(oneOff.id)).toMatchObject({ lastOutcome: "delivered", lastMessage: "ok", lastRunAt: claim.runAt });

      const recurring = await store.create({ ...base, runAt: undefined, cron: "0 * * * *" });
      const moved = await store.claimRun({ ...claim, id: recurring.id, nextRunAt: base.nextRunAt + 3600_000, lateMs: 7 });
      expect(moved).toBe(true);
      expect(await store.get(recurring.id)).toMatchObject({
        status: "active",
        nextRunAt: base.nextRunAt + 3600_000,
        lastLateMs: 7,
        runCount: 1,
      });
      // The caller saw an old due time: someone else already ran it.
      expect(await store.claimRun({ ...claim, id: recurring.id })).toBe(false);
    });

    it("cancels only the owner's active schedule, and lists finished ones only when asked", async () => {
      const schedule = await store.create(base);
      expect(await store.cancel("bob", schedule.id)).toBe(false);
      now += 1000;
      expect(await store.cancel("ann", schedule.id)).toBe(true);
      expect(await store.cancel("ann", schedule.id)).toBe(false);
      expect(await store.listForUser("ann")).toEqual([]);
      expect(await store.listForUser("ann", { finishedSince: now })).toEqual([
        expect.objectContaining({ id: schedule.id, status: "cancelled", nextRunAt: null }),
      ]);
      expect(await store.listForUser("ann", { finishedSince: now + 1 })).toEqual([]);
      expect(await store.listActive()).toEqual([]);
    });
  });
}

describeScheduleStore("SQLite", openSqliteFileTestDatabase);
describe.skipIf(!target.reachable)(`on PostgreSQL at ${target.redactedUrl}`, () => {
  describeScheduleStore("PostgreSQL", () => openPostgresTestDatabase({ url: target.url }));
});
