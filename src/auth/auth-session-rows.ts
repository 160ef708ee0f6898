import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuthSessionRow, AuthTables } from "./auth-records.js";
import type { AuthenticationFailureReason } from "./user-errors.js";

// The auth_sessions table's queries, for AuthenticationManager (which signs the tokens and turns driver
// errors into StorageErrors).

/** last_seen_at moves at most this often, so validating a token rarely writes. */
const lastSeenGranularityMilliseconds = 60_000;

export interface InsertSessionOptions {
  userId: string;
  now: number;
  ttlMilliseconds: number;
  userAgent?: string | undefined;
  ip?: string | undefined;
}

/** Store a new session, valid for `ttlMilliseconds` from now; the user agent and IP are cut to sane lengths. */
export async function insertSession(kysely: Kysely<AuthTables>, options: InsertSessionOptions): Promise<AuthSessionRow> {
  const row: AuthSessionRow = {
    id: randomUUID(),
    user_id: options.userId,
    created_at: options.now,
    expires_at: options.now + options.ttlMilliseconds,
    last_seen_at: options.now,
    revoked_at: null,
    user_agent: clip(options.userAgent, 512),
    ip: clip(options.ip, 64),
  };
  await kysely.insertInto("auth_sessions").values(row).execute();
  return row;
}

export function findSessionRow(kysely: Kysely<AuthTables>, id: string): Promise<AuthSessionRow | undefined> {
  return kysely.selectFrom("auth_sessions").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Why a session does not stand (missing, revoked, expired), or undefined when it does. */
export function sessionFailure(row: AuthSessionRow | undefined, now: number): AuthenticationFailureReason | undefined {
  if (row === undefined) return "invalid";
  if (row.revoked_at !== null) return "revoked";
  if (Number(row.expires_at) <= now) return "expired";
  return undefined;
}

/** Record a use when the last one is a minute old or more; returns the row as it is afterwards. */
export async function touchSession(kysely: Kysely<AuthTables>, row: AuthSessionRow, now: number): Promise<AuthSessionRow> {
  const cutoff = now - lastSeenGranularityMilliseconds;
  if (Number(row.last_seen_at) > cutoff) return row;
  await kysely
    .updateTable("auth_sessions")
    .set({ last_seen_at: now })
    .where("id", "=", row.id)
    .where("last_seen_at", "<=", cutoff)
    .execute();
  return { ...row, last_seen_at: now };
}

/** Revoke the user's live sessions, or only the one with `id`; returns how many. */
export async function revokeSessionRows(
  kysely: Kysely<AuthTables>,
  options: { userId?: string; id?: string; now: number },
): Promise<number> {
  let query = kysely.updateTable("auth_sessions").set({ revoked_at: options.now }).where("revoked_at", "is", null);
  if (options.userId !== undefined) query = query.where("user_id", "=", options.userId);
  if (options.id !== undefined) query = query.where("id", "=", options.id);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

function clip(text: string | undefined, length: number): string | null {
  if (text === undefined || text === "") return null;
  return text.length > length ? text.slice(0, length) : text;
}
