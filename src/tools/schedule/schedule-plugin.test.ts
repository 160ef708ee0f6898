import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Response } from "../../core/types/response.js";
import { idOf, type ScheduleAgent, startScheduleAgent } from "./testing/start-schedule-agent.js";

let folder: string;
let test: ScheduleAgent;
/** Wednesday 2026-03-18 10:00 on this machine's clock. */
const now = new Date(2026, 2, 18, 10, 0).getTime();

beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "astros-schedule-plugin-"));
  test = await startScheduleAgent({ folder, now: () => now });
});
afterEach(async () => {
  await test.stop();
  await rm(folder, { recursive: true, force: true });
});

describe("schedule.create", () => {
  it("refuses a request with no time, with both kinds of time, or with a time it cannot read", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ text: "call mom" }, /^Say when: a time \(at, e\.g\. 2026-03-18T17:00\) or a recurring schedule \(cron/],
      [{ text: "call mom", at: " ", cron: "" }, /^Say when/],
      [
        { text: "call mom", at: "2026-03-18T17:00", cron: "0 9 * * 1" },
        /^Give either a time \(at\) or a recurring schedule \(cron\), not both/,
      ],
      [{ text: "call mom", at: "5pm" }, /^"5pm" is not a date-time of the form YYYY-MM-DDTHH:MM/],
      [{ text: "call mom", at: "2026-02-30T10:00" }, /^"2026-02-30T10:00" is not a real date/],
      [{ text: "call mom", at: "2026-03-18T24:00" }, /is not a real time of day/],
    ];
    for (const [args, message] of cases) {
      const response = await test.call("schedule.create", args);
      expect(response.success, JSON.stringify(args)).toBe(false);
      expect(response.message).toMatch(message);
      expect(response.metadata.error?.code).toBe("PLUGIN_ARGUMENTS_INVALID");
    }
    const empty = await test.call("schedule.create", { text: "  ", at: "2026-03-18T17:00" });
    expect(empty.metadata.error?.code).toBe("PLUGIN_ARGUMENTS_INVALID");
    expect((await test.call("schedule.list", {})).data?.schedules).toEqual([]);
  });

  it("says clearly that a time in the past is in the past", async () => {
    const response = await test.call("schedule.create", { text: "call mom", at: "2026-03-18T09:59" });
    expect(response.success).toBe(false);
    expect(response.message).toBe("Wed 2026-03-18 09:59 is in the past (it is now Wed 2026-03-18 10:00).");
    expect(response.metadata.error?.details).toMatchObject({ at: "2026-03-18T09:59" });
    // The current minute, given to the minute, means now.
    expect((await test.call("schedule.create", { text: "now", at: "2026-03-18T10:00" })).success).toBe(true);
  });

  it("refuses a cron expression that is not five valid fields or never comes due", async () => {
    const cases: Array<[string, RegExp]> = [
      ["0 9 * *", /^"0 9 \* \*" is not a cron expression of five fields/],
      ["0 9 * * 1 2026", /is not a cron expression of five fields/],
      ["61 * * * *", /^"61 \* \* \* \*" is not a valid cron expression: .*minute/i],
      ["every monday", /not a cron expression of five fields/],
      ["0 0 30 2 *", /never comes due/],
    ];
    for (const [cron, message] of cases) {
      const response = await test.call("schedule.create", { text: "check disk usage", cron });
      expect(response.success, cron).toBe(false);
      expect(response.message).toMatch(message);
    }
  });

  it("creates a one-off reminder at a local time and says when", async () => {
    const response = await test.call("schedule.create", { text: "call mom", at: "2026-03-18T17:00" });
    expect(response.success).toBe(true);
    const schedule = (response.data?.schedule ?? {}) as Record<string, unknown>;
    expect(schedule).toMatchObject({ kind: "reminder", text: "call mom", status: "active", runCount: 0 });
    expect(schedule.nextRunAt).toBe(new Date(2026, 2, 18, 17, 0).toISOString());
    expect(response.message.split("\n")).toEqual([
      `OK, I'll remind you "call mom" at Wed 2026-03-18 17:00 (id ${String(schedule.id)}).`,
      "Schedules run while `astros worker` or the AstrOS shell is running.",
    ]);
  });

  it("creates a recurring request, naming its next three runs and what happens to risky steps", async () => {
    const response = await test.call("schedule.create", { text: "check disk usage", cron: "0  9 * * 1", kind: "request" });
    expect(response.success).toBe(true);
    const schedule = (response.data?.schedule ?? {}) as Record<string, unknown>;
    expect(schedule).toMatchObject({ kind: "request", cron: "0 9 * * 1" });
    expect(response.data?.nextRuns).toEqual([23, 30, 37].map((day) => new Date(2026, 2, day, 9, 0).toISOString()));
    expect(response.message.split("\n").slice(0, 3)).toEqual([
      `OK, I'll run "check disk usage" for you on the schedule "0 9 * * 1" (id ${String(schedule.id)}).`,
      "Next: Mon 2026-03-23 09:00, Mon 2026-03-30 09:00, Mon 2026-04-06 09:00.",
      "It will run as you with nobody there to confirm: steps that need confirmation will be refused (safety.non_interactive = deny), and each run is audited.",
    ]);
  });
});

function textsOf(response: Response): string[] {
  return ((response.data?.schedules ?? []) as Array<{ text: string }>).map((schedule) => schedule.text);
}

describe("schedule.list and schedule.cancel", () => {
  it("shows each user only their own schedules, soonest first", async () => {
    await test.call("schedule.create", { text: "water the plants", at: "2026-03-19T08:00" }, "ann");
    await test.call("schedule.create", { text: "call mom", at: "2026-03-18T17:00" }, "ann");
    await test.call("schedule.create", { text: "bob's secret", at: "2026-03-18T12:00" }, "bob");
    const ann = await test.call("schedule.list", {}, "ann");
    expect(ann.success).toBe(true);
    expect(textsOf(ann)).toEqual(["call mom", "water the plants"]);
    expect(ann.message).not.toContain("bob");
    const lines = ann.message.split("\n");
    expect(lines[0]).toBe("You have 2 active schedules:");
    expect(lines[1]).toMatch(/^ {2}• [0-9a-f]{12} {2}reminder "call mom" — next Wed 2026-03-18 17:00$/);
    const bob = await test.call("schedule.list", {}, "bob");
    expect(textsOf(bob)).toEqual(["bob's secret"]);
    expect((await test.call("schedule.list", {}, "carol")).message).toMatch(/^You have no schedules/);
  });

  it("cancels a user's own schedule by its id or the start of it, never another user's", async () => {
    const created = await test.call("schedule.create", { text: "call mom", at: "2026-03-18T17:00" }, "ann");
    const id = idOf(created);
    const byBob = await test.call("schedule.cancel", { id }, "bob");
    expect(byBob.success).toBe(false);
    expect(byBob.message).toBe(`You have no schedule with id ${id}.`);
    const cancelled = await test.call("schedule.cancel", { id: id.slice(0, 6) }, "ann");
    expect(cancelled.success).toBe(true);
    expect(cancelled.message).toBe(`Cancelled ${id}: "call mom".`);
    expect((await test.call("schedule.cancel", { id }, "ann")).message).toMatch(/has already been cancelled/);
    // A cancelled reminder is gone from the list; asked for all of them, it is shown as cancelled.
    expect((await test.call("schedule.list", {}, "ann")).message).toMatch(/^You have no schedules/);
    const all = await test.call("schedule.list", { all: true }, "ann");
    expect(all.message.split("\n")[0]).toBe("You have 0 active schedules (and 1 finished):");
    expect(all.message).toContain("cancelled");
  });

  it("cancels the one reminder whose words were given, and leaves the others", async () => {
    await test.call("schedule.create", { text: "call the dentist", at: "2026-03-19T09:00" }, "ann");
    await test.call("schedule.create", { text: "put the bins out", at: "2026-03-19T19:00" }, "ann");
    await test.call("schedule.create", { text: "dentist bill for bob", at: "2026-03-19T10:00" }, "bob");
    const cancelled = await test.call("schedule.cancel", { words: "the dentist" }, "ann");
    expect(cancelled.success, cancelled.message).toBe(true);
    expect(cancelled.message).toMatch(/^Cancelled [0-9a-f]{12}: "call the dentist"\.$/);
    expect(textsOf(await test.call("schedule.list", {}, "ann"))).toEqual(["put the bins out"]);
    expect(textsOf(await test.call("schedule.list", {}, "bob"))).toEqual(["dentist bill for bob"]);
  });

  it("cancels nothing when the words fit several reminders or none, and says which there are", async () => {
    await test.call("schedule.create", { text: "call mom", at: "2026-03-19T09:00" }, "ann");
    await test.call("schedule.create", { text: "call the plumber", at: "2026-03-19T11:00" }, "ann");
    const several = await test.call("schedule.cancel", { words: "call" }, "ann");
    expect(several.success).toBe(false);
    expect(several.message).toMatch(/^2 of your schedules mention "call", so nothing was cancelled/);
    expect(several.message).toContain('"call the plumber"');
    const none = await test.call("schedule.cancel", { words: "gym" }, "ann");
    expect(none.message).toBe('None of your 2 active reminders and schedules mentions "gym", so nothing was cancelled.');
    expect(textsOf(await test.call("schedule.list", {}, "ann"))).toHaveLength(2);
  });
});
