/** `reminder`: show the text to the user when it comes due. `request`: run the text as a request, as that user. */
export type ScheduleKind = "reminder" | "request";

/** `active` until a one-off has run (`done`) or the user cancels it (`cancelled`). */
export type ScheduleStatus = "active" | "done" | "cancelled";

/**
 * How the last run went: a reminder `delivered`; a request `succeeded`, `failed`, or was `refused`
 * (permissions, the guard, or a confirmation nobody could give); `running` while it runs.
 */
export type ScheduleOutcome = "running" | "delivered" | "succeeded" | "failed" | "refused";

/** A one-off (`runAt`) or recurring (`cron`) schedule belonging to one user. */
export interface Schedule {
  id: string;
  userId: string;
  kind: ScheduleKind;
  text: string;
  /** One-off: when it is due (epoch milliseconds). */
  runAt: number | null;
  /** Recurring: five-field cron expression, read in `timezone`. */
  cron: string | null;
  /** The IANA time zone it was created in. */
  timezone: string;
  /** The request context a scheduled request runs with (its working folder, the user's name). */
  context: Record<string, unknown>;
  status: ScheduleStatus;
  /** When it runs next (epoch milliseconds); null once done or cancelled. */
  nextRunAt: number | null;
  lastRunAt: number | null;
  /** How late the last run was, when it ran late (it came due while nothing was running). */
  lastLateMs: number | null;
  lastOutcome: ScheduleOutcome | null;
  lastMessage: string | null;
  runCount: number;
  createdAt: number;
  updatedAt: number;
}
