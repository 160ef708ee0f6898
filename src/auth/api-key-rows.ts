import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { apiKeyHash, newApiKeySecret } from "./api-key-secret.js";
import type { ApiKeyRow, AuthTables } from "./auth-records.js";
import { apiKeyNameInvalidError } from "./user-errors.js";

// The api_keys table's queries, for AuthenticationManager (which checks users and turns driver errors into
// StorageErrors). Only a key's SHA-256 is ever written.

/** last_used_at moves at most this often, so a busy program's key rarely writes. */
const lastUsedGranularityMilliseconds = 60_000;

/** The name trimmed; API_KEY_NAME_INVALID when empty, over 100 characters or holding control characters. */
export function normaliseApiKeyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || [...trimmed].length > 100 || hasControlCharacters(trimmed)) throw apiKeyNameInvalidError();
  return trimmed;
}

/** Store a new key's hash; returns the key itself (for its owner, once) and the row. */
export async function insertApiKey(
  kysely: Kysely<AuthTables>,
  options: { userId: string; name: string; now: number },
): Promise<{ key: string; row: ApiKeyRow }> {
  const secret = newApiKeySecret();
  const row: ApiKeyRow = {
    id: randomUUID(),
    user_id: options.userId,
    name: options.name,
    key_hash: secret.hash,
    prefix: secret.prefix,
    created_at: options.now,
    last_used_at: null,
    revoked_at: null,
  };
  await kysely.insertInto("api_keys").values(row).execute();
  return { key: secret.key, row };
}

/** The row of a key, found by its hash (revoked or not), or undefined. */
export function findApiKeyRow(kysely: Kysely<AuthTables>, key: string): Promise<ApiKeyRow | undefined> {
  return kysely.selectFrom("api_keys").selectAll().where("key_hash", "=", apiKeyHash(key)).executeTakeFirst();
}

/** Record a use when the last one is a minute old or more; returns the row as it is afterwards. */
export async function touchApiKey(kysely: Kysely<AuthTables>, row: ApiKeyRow, now: number): Promise<ApiKeyRow> {
  if (row.last_used_at !== null && now - Number(row.last_used_at) < lastUsedGranularityMilliseconds) return row;
  await kysely.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", row.id).execute();
  return { ...row, last_used_at: now };
}

/** The user's unrevoked keys, oldest first. */
export function activeApiKeyRows(kysely: Kysely<AuthTables>, userId: string): Promise<ApiKeyRow[]> {
  return kysely
    .selectFrom("api_keys")
    .selectAll()
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Revoke the user's unrevoked keys, or only the one with `id`; returns how many. */
export async function revokeApiKeyRows(
  kysely: Kysely<AuthTables>,
  options: { userId: string; id?: string; now: number },
): Promise<number> {
  let query = kysely
    .updateTable("api_keys")
    .set({ revoked_at: options.now })
    .where("user_id", "=", options.userId)
    .where("revoked_at", "is", null);
  if (options.id !== undefined) query = query.where("id", "=", options.id);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

function hasControlCharacters(text: string): boolean {
  for (const character of text) {
    const point = character.codePointAt(0) ?? 0;
    if (point < 0x20 || (point >= 0x7f && point < 0xa0)) return true;
  }
  return false;
}
