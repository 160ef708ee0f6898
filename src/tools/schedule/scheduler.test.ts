import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { ReminderEvent } from "../../core/events/agent-event.js";
import { defineHandler, definePlugin } from "../../plugins/define-plugin.js";
import { openSqliteFileTestDatabase, type TestDatabase } from "../../store/testing/test-databases.js";
import { ScheduleStore } from "./schedule-store.js";
import { type DueRun, type RunSchedule, Scheduler } from "./scheduler.js";
import { idOf, localDateTime, type ScheduleAgent, startScheduleAgent, waitFor } from "./testing/start-schedule-agent.js";

let folder: string;
const agents: ScheduleAgent[] = [];

beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "astros-scheduler-"));
});
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await rm(folder, { recursive: true, force: true });
});

async function start(options: Omit<Parameters<typeof startScheduleAgent>[0], "folder"> = {}) {
  const agent = await startScheduleAgent({ folder, ...options });
  agents.push(agent);
  return agent;
}

const reminders = (agent: ScheduleAgent) => agent.events.filter((event): event is ReminderEvent => event.type === "reminder");

/** A run function that records `pick(run)` and reports the reminder delivered. */
function recordInto<T>(list: T[], pick: (run: DueRun) => T): RunSchedule {
  return async (run) => {
    list.push(pick(run));
    return { outcome: "delivered", message: "ok" };
  };
}

async function listed(agent: ScheduleAgent, userId = "ann") {
  const response = await agent.call("schedule.list", { all: true }, userId);
  return response.data?.schedules as Array<Record<string, unknown>>;
}

describe("running schedules", () => {
  it("delivers a one-off reminder when it comes due, as an event and an audit entry, then marks it done", async () => {
    const test = await start({ runSchedules: true });
    const dueAt = Date.now() + 300;
    const created = await test.call("schedule.create", { text: "stretch your legs", at: localDateTime(dueAt) });
    expect(created.success).toBe(true);
    expect(created.message).not.toContain("astros worker");
    const id = idOf(created);

    await waitFor(() => reminders(test).length > 0, 1500);
    const delivered = Date.now();
    expect(delivered - dueAt).toBeLessThan(1000);
    expect(delivered).toBeGreaterThanOrEqual(dueAt);
    expect(reminders(test)).toEqual([
      expect.objectContaining({
        type: "reminder",
        scheduleId: id,
        userId: "ann",
        text: "stretch your legs",
        dueAt,
        late: false,
        sessionId: `schedule-${id}`,
      }),
    ]);
    await waitFor(() => test.audit.entries.some((entry) => entry.type === "reminder-delivered"));
    expect(test.audit.entries.find((entry) => entry.type === "reminder-delivered")).toMatchObject({
      userId: "ann",
      outcome: "on-time",
      detail: { scheduleId: id, text: "stretch your legs", dueAt, lateMs: null },
    });
    await vi.waitFor(async () => expect((await listed(test))[0]).toMatchObject({ status: "done", lastOutcome: "delivered" }));
    expect((await listed(test))[0]).toMatchObject({ id, nextRunAt: null, runCount: 1, lastLateMs: null });
  });

  it("delivers a reminder that came due while nothing was running at the next start, marked late", async () => {
    const first = await start();
    const dueAt = Date.now() + 200;
    await first.call("schedule.create", { text: "call mom", at: localDateTime(dueAt) });
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(reminders(first)).toEqual([]);

    const second = await start({ runSchedules: true });
    await waitFor(() => reminders(second).length > 0, 1000);
    expect(reminders(second)[0]).toMatchObject({ text: "call mom", userId: "ann", dueAt, late: true });
    await waitFor(() => second.audit.entries.some((entry) => entry.type === "reminder-delivered"));
    expect(second.audit.entries.find((entry) => entry.type === "reminder-delivered")?.outcome).toBe("late");
    await vi.waitFor(async () => expect((await listed(second))[0]).toMatchObject({ status: "done", lastOutcome: "delivered" }));
    const [schedule] = await listed(second);
    expect(schedule?.lastLateMs).toBeGreaterThanOrEqual(200);
    expect((await second.call("schedule.list", { all: true })).message).toMatch(/ran .*: delivered, \d+ s late/);

    // Delivered once: a third start finds nothing to do.
    await second.stop();
    const third = await start({ runSchedules: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reminders(third)).toEqual([]);
  });

  it("runs a request schedule's text through the agent as its user, on the schedule channel, and records the outcome", async () => {
    const calls: Array<{ userId: string; cwd: unknown; channel: unknown }> = [];
    const disk = definePlugin({
      name: "disk-test",
      version: "1.0.0",
      handlers: {
        check: defineHandler({
          intent: "disk.check",
          run: (_args, context) => {
            calls.push({
              userId: context.userId,
              cwd: context.intent.context.cwd,
              channel: context.intent.originalRequest.metadata.channel,
            });
            return { success: true, message: "disk is 42% full" };
          },
        }),
      },
    });
    const test = await start({ runSchedules: true, plugins: [disk] });
    test.agent.recognizer.registerIntentHandler("disk.check", (request) =>
      request.text === "check disk usage" ? { confidence: 1 } : undefined,
    );
    const created = await test.call("schedule.create", {
      text: "check disk usage",
      at: localDateTime(Date.now() + 200),
      kind: "request",
    });
    expect(created.message).toContain("steps that need confirmation will be refused");
    const id = idOf(created);
    await waitFor(() => calls.length > 0, 1500);
    expect(calls).toEqual([{ userId: "ann", cwd: folder, channel: "schedule" }]);
    await vi.waitFor(async () => expect((await listed(test))[0]).toMatchObject({ lastOutcome: "succeeded" }));
    expect((await listed(test))[0]).toMatchObject({ id, status: "done", lastMessage: "disk is 42% full" });
    const received = test.audit.entries.find(
      (entry) => entry.type === "request-received" && entry.sessionId === `schedule-${id}`,
    );
    expect(received).toMatchObject({ userId: "ann", detail: { text: "check disk usage", channel: "schedule" } });
  });

  it("refuses a scheduled request's risky step (nobody can confirm) and records it as refused", async () => {
    const target = path.join(folder, "old");
    await mkdir(target);
    let ran = false;
    const cleaner = definePlugin({
      name: "cleaner-test",
      version: "1.0.0",
      handlers: {
        clean: defineHandler({
          intent: "cleaner.clean",
          args: z.object({ command: z.string() }),
          commandArgs: ["command"],
          run: () => {
            ran = true;
            return { success: true, message: "cleaned" };
          },
        }),
      },
    });
    const test = await start({ runSchedules: true, plugins: [cleaner] });
    test.agent.recognizer.registerIntentHandler("cleaner.clean", (request) =>
      request.text === "clean up old" ? { confidence: 1, entities: { command: `rm -r ${target}` } } : undefined,
    );
    await test.call("schedule.create", { text: "clean up old", at: localDateTime(Date.now() + 200), kind: "request" });
    await vi.waitFor(async () => expect((await listed(test))[0]).toMatchObject({ lastOutcome: "refused" }), { timeout: 2000 });
    expect(ran).toBe(false);
    expect(existsSync(target)).toBe(true);
    expect(test.audit.entries.find((entry) => entry.type === "confirmation-answered")?.detail.via).toMatch(
      /non_interactive = deny/,
    );
  });
});

describe("Scheduler", () => {
  let testDatabase: TestDatabase;
  let store: ScheduleStore;
  beforeEach(async () => {
    testDatabase = await openSqliteFileTestDatabase();
    store = new ScheduleStore({ database: testDatabase.database });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await testDatabase.cleanup();
  });

  const reminder = (nextRunAt: number, extra: { cron?: string } = {}) =>
    store.create({ userId: "ann", kind: "reminder", text: "hi", timezone: "UTC", context: {}, nextRunAt, ...extra });

  it("runs a cron schedule that missed many runs once, late, then keeps its cadence", async () => {
    const now = Date.now();
    const schedule = await reminder(now - 3 * 24 * 3600_000, { cron: "0 * * * *" });
    const runs: DueRun[] = [];
    const scheduler = new Scheduler({ store, run: recordInto(runs, (run) => run) });
    await scheduler.start();
    await vi.waitFor(async () => expect((await store.get(schedule.id))?.lastOutcome).toBe("delivered"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await scheduler.stop();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.lateMs).toBeGreaterThanOrEqual(3 * 24 * 3600_000);
    const after = await store.get(schedule.id);
    expect(after).toMatchObject({ status: "active", runCount: 1 });
    // The next run is the next full hour, not one of the missed ones.
    const nextHour = Math.floor(Date.now() / 3600_000 + 1) * 3600_000;
    expect(after?.nextRunAt).toBe(nextHour);
  });

  it("runs an overdue schedule once when two schedulers share the database", async () => {
    const schedule = await reminder(Date.now() - 1000);
    const runs: string[] = [];
    const make = (name: string) => new Scheduler({ store, run: recordInto(runs, () => name) });
    const [one, two] = [make("one"), make("two")];
    await Promise.all([one.start(), two.start()]);
    await vi.waitFor(async () => expect((await store.get(schedule.id))?.lastOutcome).toBe("delivered"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([one.stop(), two.stop()]);
    expect(runs).toHaveLength(1);
  });

  it("picks up schedules created and cancelled by other processes when it reloads", async () => {
    const runs: string[] = [];
    const scheduler = new Scheduler({
      store,
      refreshIntervalMs: 50,
      run: recordInto(runs, (run) => run.schedule.text),
    });
    await scheduler.start();
    const cancelled = await store.create({
      userId: "ann",
      kind: "reminder",
      text: "cancelled elsewhere",
      timezone: "UTC",
      context: {},
      nextRunAt: Date.now() + 400,
    });
    await store.create({
      userId: "ann",
      kind: "reminder",
      text: "made elsewhere",
      timezone: "UTC",
      context: {},
      nextRunAt: Date.now() + 200,
    });
    await new Promise((resolve) => setTimeout(resolve, 120));
    await store.cancel("ann", cancelled.id);
    await waitFor(() => runs.length > 0, 1000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await scheduler.stop();
    expect(runs).toEqual(["made elsewhere"]);
  });

  it("waits longer than setTimeout can in pieces, and runs on time", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    const start = Date.now();
    const fortyDays = 40 * 24 * 3600_000;
    const schedule = await reminder(start + fortyDays);
    const runs: number[] = [];
    const scheduler = new Scheduler({
      store,
      refreshIntervalMs: 10 * 24 * 3600_000,
      run: recordInto(runs, (run) => run.runAt),
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(fortyDays - (2 ** 31 - 1) - 1);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(runs).toEqual([start + fortyDays]));
    await scheduler.stop();
    expect((await store.get(schedule.id))?.status).toBe("done");
  });
});
