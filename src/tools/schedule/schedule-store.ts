import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { StorageError } from "../../core/errors/storage-error.js";
import { toStorageError } from "../../store/database-failure.js";
import type { DatabaseManager } from "../../store/database-manager.js";
import type { Schedule, ScheduleKind, ScheduleOutcome, ScheduleStatus } from "./schedule.js";

/** The `schedules` table as created by migration 0003. PostgreSQL returns bigint columns as strings. */
interface ScheduleRow {
  id: string;
  user_id: string;
  kind: string;
  text: string;
  run_at: number | string | null;
  cron: string | null;
  timezone: string;
  /** JSON text. */
  context: string;
  status: string;
  next_run_at: number | string | null;
  last_run_at: number | string | null;
  last_late_ms: number | string | null;
  last_outcome: string | null;
  last_message: string | null;
  run_count: number | string;
  created_at: number | string;
  updated_at: number | string;
}

interface ScheduleTables {
  schedules: ScheduleRow;
}

export interface NewSchedule {
  userId: string;
  kind: ScheduleKind;
  text: string;
  runAt?: number;
  cron?: string;
  timezone: string;
  context: Record<string, unknown>;
  nextRunAt: number;
}

export interface ClaimRun {
  id: string;
  /** The due time the caller saw: the claim fails when another process ran it (or it changed) since. */
  expectedNextRunAt: number;
  runAt: number;
  /** The next due time of a recurring schedule; null marks a one-off done. */
  nextRunAt: number | null;
  lateMs: number | null;
}

/** Longest outcome message kept (characters). */
const maximumMessageLength = 2000;

/** Schedules in the AstrOS database (SQLite or PostgreSQL), one row each, private to their user. */
export class ScheduleStore {
  readonly #database: DatabaseManager;
  readonly #kysely: Kysely<ScheduleTables>;
  readonly #now: () => number;

  constructor(options: { database: DatabaseManager; now?: () => number }) {
    this.#database = options.database;
    this.#kysely = options.database.kysely;
    this.#now = options.now ?? Date.now;
  }

  async create(init: NewSchedule): Promise<Schedule> {
    const now = this.#now();
    for (let attempt = 0; ; attempt++) {
      const row: ScheduleRow = {
        id: randomBytes(6).toString("hex"),
        user_id: init.userId,
        kind: init.kind,
        text: init.text,
        run_at: init.runAt ?? null,
        cron: init.cron ?? null,
        timezone: init.timezone,
        context: JSON.stringify(init.context),
        status: "active",
        next_run_at: init.nextRunAt,
        last_run_at: null,
        last_late_ms: null,
        last_outcome: null,
        last_message: null,
        run_count: 0,
        created_at: now,
        updated_at: now,
      };
      const inserted = await this.#run("Saving a schedule", () =>
        this.#kysely
          .insertInto("schedules")
          .values(row)
          .onConflict((conflict) => conflict.column("id").doNothing())
          .returning("id")
          .executeTakeFirst(),
      );
      if (inserted !== undefined) return toSchedule(row);
      if (attempt >= 3) {
        throw new StorageError("Saving a schedule failed: no free id was found.", {
          recovery: "Try again.",
          details: { location: this.#database.location },
        });
      }
    }
  }

  async get(id: string): Promise<Schedule | undefined> {
    const row = await this.#run(`Reading schedule ${id}`, () =>
      this.#kysely.selectFrom("schedules").selectAll().where("id", "=", id).executeTakeFirst(),
    );
    return row === undefined ? undefined : toSchedule(row);
  }

  /** The user's schedules, soonest first: the active ones, and finished ones updated since `finishedSince` (default: none). */
  async listForUser(userId: string, options: { finishedSince?: number } = {}): Promise<Schedule[]> {
    const rows = await this.#run(`Listing the schedules of ${userId}`, () =>
      this.#kysely
        .selectFrom("schedules")
        .selectAll()
        .where("user_id", "=", userId)
        .where((builder) =>
          options.finishedSince === undefined
            ? builder("status", "=", "active")
            : builder.or([builder("status", "=", "active"), builder("updated_at", ">=", options.finishedSince)]),
        )
        .execute(),
    );
    return rows.map(toSchedule).sort(bySchedule);
  }

  /** The user's schedules whose id starts with `idPrefix` (any status). */
  async findForUser(userId: string, idPrefix: string): Promise<Schedule[]> {
    const rows = await this.#run(`Finding schedule ${idPrefix}`, () =>
      this.#kysely
        .selectFrom("schedules")
        .selectAll()
        .where("user_id", "=", userId)
        .where((builder) =>
          builder(builder.fn("substr", [builder.ref("id"), builder.lit(1), builder.val(idPrefix.length)]), "=", idPrefix),
        )
        .execute(),
    );
    return rows.map(toSchedule);
  }

  async countActive(userId: string): Promise<number> {
    const row = await this.#run(`Counting the schedules of ${userId}`, () =>
      this.#kysely
        .selectFrom("schedules")
        .select((builder) => builder.fn.countAll().as("count"))
        .where("user_id", "=", userId)
        .where("status", "=", "active")
        .executeTakeFirst(),
    );
    return Number(row?.count ?? 0);
  }

  /** Every user's active schedules, soonest first: what a scheduler arms. */
  async listActive(): Promise<Schedule[]> {
    const rows = await this.#run("Listing active schedules", () =>
      this.#kysely.selectFrom("schedules").selectAll().where("status", "=", "active").orderBy("next_run_at").execute(),
    );
    return rows.map(toSchedule);
  }

  /**
   * Take one run: move the schedule on (to its next time, or done) only if it is still active and
   * due at the time the caller saw. True when this caller won: two schedulers on one database never
   * both run it.
   */
  async claimRun(claim: ClaimRun): Promise<boolean> {
    const result = await this.#run(`Starting a run of schedule ${claim.id}`, () =>
      this.#kysely
        .updateTable("schedules")
        .set({
          status: claim.nextRunAt === null ? "done" : "active",
          next_run_at: claim.nextRunAt,
          last_run_at: claim.runAt,
          last_late_ms: claim.lateMs,
          last_outcome: "running",
          last_message: null,
          run_count: sql<number>`run_count + 1`,
          updated_at: this.#now(),
        })
        .where("id", "=", claim.id)
        .where("status", "=", "active")
        .where("next_run_at", "=", claim.expectedNextRunAt)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0;
  }

  /** How the run started at `runAt` ended (unless a later run has started since). */
  async recordOutcome(outcome: { id: string; runAt: number; outcome: ScheduleOutcome; message: string }): Promise<void> {
    const message =
      outcome.message.length > maximumMessageLength ? `${outcome.message.slice(0, maximumMessageLength - 1)}…` : outcome.message;
    await this.#run(`Recording the outcome of schedule ${outcome.id}`, () =>
      this.#kysely
        .updateTable("schedules")
        .set({ last_outcome: outcome.outcome, last_message: message, updated_at: this.#now() })
        .where("id", "=", outcome.id)
        .where("last_run_at", "=", outcome.runAt)
        .executeTakeFirst(),
    );
  }

  /** Cancel one of the user's active schedules; true when it was active. */
  async cancel(userId: string, id: string): Promise<boolean> {
    const result = await this.#run(`Cancelling schedule ${id}`, () =>
      this.#kysely
        .updateTable("schedules")
        .set({ status: "cancelled", next_run_at: null, updated_at: this.#now() })
        .where("id", "=", id)
        .where("user_id", "=", userId)
        .where("status", "=", "active")
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0;
  }

  async #run<T>(action: string, query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw toStorageError({ action, error, dialect: this.#database.dialect, location: this.#database.location });
    }
  }
}

/** Active first, soonest first; then the finished ones, most recently run first. */
function bySchedule(left: Schedule, right: Schedule): number {
  if ((left.nextRunAt === null) !== (right.nextRunAt === null)) return left.nextRunAt === null ? 1 : -1;
  if (left.nextRunAt !== null && right.nextRunAt !== null) return left.nextRunAt - right.nextRunAt;
  return (right.lastRunAt ?? right.updatedAt) - (left.lastRunAt ?? left.updatedAt);
}

function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind as ScheduleKind,
    text: row.text,
    runAt: optionalNumber(row.run_at),
    cron: row.cron,
    timezone: row.timezone,
    context: parseContext(row.context),
    status: row.status as ScheduleStatus,
    nextRunAt: optionalNumber(row.next_run_at),
    lastRunAt: optionalNumber(row.last_run_at),
    lastLateMs: optionalNumber(row.last_late_ms),
    lastOutcome: row.last_outcome as ScheduleOutcome | null,
    lastMessage: row.last_message,
    runCount: Number(row.run_count),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function optionalNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function parseContext(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
