import { formatDuration, formatLocalTime } from "./format-local-time.js";
import type { Schedule } from "./schedule.js";

/** A schedule as programs see it in a response's data: times in ISO 8601. */
export function scheduleView(schedule: Schedule): Record<string, unknown> {
  const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());
  return {
    id: schedule.id,
    kind: schedule.kind,
    text: schedule.text,
    ...(schedule.runAt === null ? {} : { at: iso(schedule.runAt) }),
    ...(schedule.cron === null ? {} : { cron: schedule.cron }),
    timezone: schedule.timezone,
    status: schedule.status,
    nextRunAt: iso(schedule.nextRunAt),
    lastRunAt: iso(schedule.lastRunAt),
    lastOutcome: schedule.lastOutcome,
    lastMessage: schedule.lastMessage,
    lastLateMs: schedule.lastLateMs,
    runCount: schedule.runCount,
    createdAt: iso(schedule.createdAt),
  };
}

/** One line of `schedule.list`: id, kind, what, when next, and how the last run went. */
export function describeSchedule(schedule: Schedule): string {
  const when = schedule.cron === null ? "" : ` every "${schedule.cron}"`;
  const parts: string[] = [];
  if (schedule.status === "active" && schedule.nextRunAt !== null) parts.push(`next ${formatLocalTime(schedule.nextRunAt)}`);
  if (schedule.status === "cancelled") parts.push("cancelled");
  if (schedule.lastRunAt !== null) {
    const late = schedule.lastLateMs === null ? "" : `, ${formatDuration(schedule.lastLateMs)} late`;
    const outcome = schedule.lastOutcome === null ? "" : `: ${schedule.lastOutcome}${late}`;
    parts.push(`${schedule.status === "done" ? "ran" : "last"} ${formatLocalTime(schedule.lastRunAt)}${outcome}`);
    if (schedule.kind === "request" && schedule.lastMessage && schedule.lastOutcome !== "succeeded") {
      parts.push(`"${firstLine(schedule.lastMessage)}"`);
    }
  }
  return `  • ${schedule.id}  ${schedule.kind.padEnd(8)} "${schedule.text}"${when} — ${parts.join("; ")}`;
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
