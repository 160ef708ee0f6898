import { type Logger, silentLogger } from "../../core/logging/logger.js";
import { cronRunTimes } from "./cron-times.js";
import type { Schedule, ScheduleOutcome } from "./schedule.js";
import type { ScheduleStore } from "./schedule-store.js";

/** The longest delay setTimeout takes (about 24.8 days); longer waits are re-armed when it passes. */
const maximumTimerDelay = 2 ** 31 - 1;

/** One run of a schedule that came due. */
export interface DueRun {
  schedule: Schedule;
  /** When it was due (epoch milliseconds). */
  dueAt: number;
  /** When it ran. */
  runAt: number;
  /** How late it ran, when it ran late (it came due while no scheduler was running, or the machine slept); else null. */
  lateMs: number | null;
}

/** How a run went, recorded with the schedule. */
export interface RunResult {
  outcome: Exclude<ScheduleOutcome, "running">;
  message: string;
}

/** Carries out a run: delivers the reminder, or runs the request. */
export type RunSchedule = (run: DueRun) => Promise<RunResult>;

export interface SchedulerOptions {
  store: ScheduleStore;
  run: RunSchedule;
  logger?: Logger;
  /** The clock, in epoch milliseconds (default Date.now). */
  now?: () => number;
  /** How often to pick up schedules other processes created or cancelled (default 30 s). */
  refreshIntervalMs?: number;
  /** A run this long after its time counts as late even while running (the machine slept; default 60 s). */
  lateAfterMs?: number;
}

/**
 * Runs the schedules in the database when they come due: one timer per active schedule (unref'd, so
 * it never keeps the process alive). At start, what came due while nothing was running runs once,
 * late: a one-off is delivered, a recurring schedule runs once and then keeps its cadence. Each run is
 * claimed in the database first, so several schedulers on one database never run it twice.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #timers = new Map<string, { dueAt: number; timer: NodeJS.Timeout }>();
  readonly #firing = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  #running = false;
  #startedAt = 0;
  #refreshTimer: NodeJS.Timeout | undefined;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
  }

  /** True between start() and stop(). */
  get running(): boolean {
    return this.#running;
  }

  /** Load the active schedules and arm their timers; overdue ones run at once, late. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#startedAt = this.#now();
    try {
      await this.refresh();
    } catch (error) {
      this.#running = false;
      throw error;
    }
    this.#refreshTimer = setInterval(
      () => {
        this.refresh().catch((error: unknown) =>
          this.#logger.warn("could not reload schedules", { error: (error as Error)?.message ?? String(error) }),
        );
      },
      Math.min(this.#options.refreshIntervalMs ?? 30_000, maximumTimerDelay),
    );
    this.#refreshTimer.unref();
  }

  /** Disarm every timer and wait for runs in progress to finish. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#refreshTimer !== undefined) clearInterval(this.#refreshTimer);
    this.#refreshTimer = undefined;
    for (const id of [...this.#timers.keys()]) this.#disarm(id);
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Arm (or disarm) a schedule created or changed in this process, without waiting for the next reload. */
  track(schedule: Schedule): void {
    if (!this.#running || this.#firing.has(schedule.id)) return;
    if (schedule.status === "active" && schedule.nextRunAt !== null) this.#arm(schedule.id, schedule.nextRunAt);
    else this.#disarm(schedule.id);
  }

  /** Re-read the active schedules: arm new or moved ones, disarm those cancelled or run elsewhere. */
  async refresh(): Promise<void> {
    const active = await this.#options.store.listActive();
    if (!this.#running) return;
    const seen = new Set<string>();
    for (const schedule of active) {
      seen.add(schedule.id);
      if (schedule.nextRunAt === null || this.#firing.has(schedule.id)) continue;
      if (this.#timers.get(schedule.id)?.dueAt !== schedule.nextRunAt) this.#arm(schedule.id, schedule.nextRunAt);
    }
    for (const id of [...this.#timers.keys()]) if (!seen.has(id)) this.#disarm(id);
  }

  #arm(id: string, dueAt: number): void {
    this.#disarm(id);
    const delay = Math.min(Math.max(0, dueAt - this.#now()), maximumTimerDelay);
    const timer = setTimeout(() => this.#fire(id, dueAt), delay);
    timer.unref();
    this.#timers.set(id, { dueAt, timer });
  }

  #disarm(id: string): void {
    const armed = this.#timers.get(id);
    if (armed === undefined) return;
    clearTimeout(armed.timer);
    this.#timers.delete(id);
  }

  #fire(id: string, dueAt: number): void {
    if (this.#timers.get(id)?.dueAt === dueAt) this.#timers.delete(id);
    if (!this.#running || this.#firing.has(id)) return;
    this.#firing.add(id);
    const work = this.#runOnce(id, dueAt)
      .catch((error: unknown) => {
        this.#logger.error("a scheduled run failed", { schedule: id, error: (error as Error)?.message ?? String(error) });
        return undefined;
      })
      .then((next) => {
        this.#firing.delete(id);
        if (next !== undefined && this.#running) this.#arm(id, next);
      })
      .finally(() => this.#inFlight.delete(work));
    this.#inFlight.add(work);
  }

  /** Runs the schedule if it is still due at `expectedDueAt`; returns when to wake next for it, if ever. */
  async #runOnce(id: string, expectedDueAt: number): Promise<number | undefined> {
    const { store } = this.#options;
    const schedule = await store.get(id);
    if (schedule === undefined || schedule.status !== "active" || schedule.nextRunAt === null) return undefined;
    const dueAt = schedule.nextRunAt;
    const runAt = this.#now();
    // Moved meanwhile, or woken early (a long wait is cut into pieces setTimeout can take): wait again.
    if (dueAt !== expectedDueAt || runAt < dueAt) return dueAt;
    const lateAfter = this.#options.lateAfterMs ?? 60_000;
    const lateMs = dueAt < this.#startedAt || runAt - dueAt > lateAfter ? runAt - dueAt : null;
    const next = schedule.cron === null ? null : await this.#nextCronRun(schedule, runAt);
    if (!this.#running) return undefined;
    if (!(await store.claimRun({ id, expectedNextRunAt: dueAt, runAt, nextRunAt: next, lateMs }))) {
      // Another scheduler ran it, or it was cancelled: follow what the database says now.
      const current = await store.get(id);
      return current?.status === "active" && current.nextRunAt !== null && current.nextRunAt !== dueAt
        ? current.nextRunAt
        : undefined;
    }
    let result: RunResult;
    try {
      result = await this.#options.run({ schedule, dueAt, runAt, lateMs });
    } catch (error) {
      result = { outcome: "failed", message: (error as Error)?.message ?? String(error) };
    }
    await store.recordOutcome({ id, runAt, ...result });
    return next ?? undefined;
  }

  /** The next time after `after`, or null when the expression no longer comes due (the schedule then ends). */
  async #nextCronRun(schedule: Schedule, after: number): Promise<number | null> {
    const check = await cronRunTimes({ expression: schedule.cron ?? "", timezone: schedule.timezone, after, count: 1 });
    if (check.ok) return check.nextRuns[0] ?? null;
    this.#logger.warn("a recurring schedule has no next run and ends", { schedule: schedule.id, reason: check.reason });
    return null;
  }
}
