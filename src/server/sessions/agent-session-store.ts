import type { Kysely } from "kysely";
import { toStorageError } from "../../store/database-failure.js";
import type { DatabaseManager } from "../../store/database-manager.js";

/** An agent session as stored: whose it is, where its workspace is, what it was last asked. */
export interface AgentSession {
  id: string;
  userId: string;
  /** The workspace folder (absolute). */
  workdir: string;
  /** Epoch milliseconds. */
  createdAt: number;
  lastTask: string | null;
  status: AgentSessionStatus;
}

/** Every stored session is active until it is deleted (the row goes with it). */
export type AgentSessionStatus = "active";

/** The `agent_sessions` table as created by migration 0005. PostgreSQL returns bigint columns as strings. */
interface AgentSessionRow {
  id: string;
  user_id: string;
  workdir: string;
  created_at: number | string;
  updated_at: number | string;
  last_task: string | null;
  status: string;
}

interface AgentSessionTables {
  agent_sessions: AgentSessionRow;
}

/** Longest task text kept as `last_task` (characters). */
const maximumTaskLength = 4000;

/**
 * Agent sessions in the AstrOS database (SQLite or PostgreSQL). Every read and change names the
 * user: a session of someone else is exactly as absent as one that never existed.
 */
export class AgentSessionStore {
  readonly #database: DatabaseManager;
  readonly #kysely: Kysely<AgentSessionTables>;
  readonly #now: () => number;

  constructor(options: { database: DatabaseManager; now?: () => number }) {
    this.#database = options.database;
    this.#kysely = options.database.kysely;
    this.#now = options.now ?? Date.now;
  }

  async create(init: { id: string; userId: string; workdir: string; lastTask?: string }): Promise<AgentSession> {
    const now = this.#now();
    const row: AgentSessionRow = {
      id: init.id,
      user_id: init.userId,
      workdir: init.workdir,
      created_at: now,
      updated_at: now,
      last_task: init.lastTask === undefined ? null : shorten(init.lastTask),
      status: "active",
    };
    await this.#run("Saving a session", () => this.#kysely.insertInto("agent_sessions").values(row).execute());
    return toSession(row);
  }

  /** The user's session with this id, or undefined (also when it is someone else's). */
  async get(userId: string, id: string): Promise<AgentSession | undefined> {
    const row = await this.#run(`Reading session ${id}`, () =>
      this.#kysely.selectFrom("agent_sessions").selectAll().where("id", "=", id).where("user_id", "=", userId).executeTakeFirst(),
    );
    return row === undefined ? undefined : toSession(row);
  }

  /** The user's sessions, oldest first. */
  async list(userId: string): Promise<AgentSession[]> {
    const rows = await this.#run(`Listing the sessions of ${userId}`, () =>
      this.#kysely.selectFrom("agent_sessions").selectAll().where("user_id", "=", userId).orderBy("created_at").execute(),
    );
    return rows.map(toSession);
  }

  async setLastTask(userId: string, id: string, task: string): Promise<void> {
    await this.#run(`Updating session ${id}`, () =>
      this.#kysely
        .updateTable("agent_sessions")
        .set({ last_task: shorten(task), updated_at: this.#now() })
        .where("id", "=", id)
        .where("user_id", "=", userId)
        .execute(),
    );
  }

  /** True when the user's session was there and is gone now. */
  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.#run(`Deleting session ${id}`, () =>
      this.#kysely.deleteFrom("agent_sessions").where("id", "=", id).where("user_id", "=", userId).executeTakeFirst(),
    );
    return Number(result.numDeletedRows) > 0;
  }

  /** Every user's active sessions. */
  async countActive(): Promise<number> {
    const row = await this.#run("Counting sessions", () =>
      this.#kysely
        .selectFrom("agent_sessions")
        .select((builder) => builder.fn.countAll().as("count"))
        .where("status", "=", "active")
        .executeTakeFirst(),
    );
    return Number(row?.count ?? 0);
  }

  async #run<T>(action: string, query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw toStorageError({ action, error, dialect: this.#database.dialect, location: this.#database.location });
    }
  }
}

function shorten(task: string): string {
  return task.length > maximumTaskLength ? `${task.slice(0, maximumTaskLength - 1)}…` : task;
}

function toSession(row: AgentSessionRow): AgentSession {
  return {
    id: row.id,
    userId: row.user_id,
    workdir: row.workdir,
    createdAt: Number(row.created_at),
    lastTask: row.last_task,
    status: "active",
  };
}
