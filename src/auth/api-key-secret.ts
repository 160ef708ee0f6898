import { createHash, randomBytes } from "node:crypto";

/** What every AstrOS API key starts with, so secret scanners and people recognise one. */
export const apiKeyPrefix = "astros_";

const apiKeyPattern = /^astros_[A-Za-z0-9_-]{43}$/;

/** A new API key, its SHA-256 (the only form stored) and the part shown to people to tell keys apart. */
export interface NewApiKeySecret {
  /** `astros_` and 32 random bytes in base64url: shown once, never stored. */
  key: string;
  /** Lower-case hex SHA-256 of the whole key. */
  hash: string;
  /** The first 8 characters after `astros_`. */
  prefix: string;
}

export function newApiKeySecret(): NewApiKeySecret {
  const key = `${apiKeyPrefix}${randomBytes(32).toString("base64url")}`;
  return { key, hash: apiKeyHash(key), prefix: key.slice(apiKeyPrefix.length, apiKeyPrefix.length + 8) };
}

/**
 * SHA-256 is enough for a key of 256 random bits (nothing to guess, unlike a password), and lets a key be
 * found by its hash in one indexed lookup.
 */
export function apiKeyHash(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Has the key the shape newApiKeySecret makes? Anything else is refused before touching the database. */
export function isWellFormedApiKey(key: string): boolean {
  return apiKeyPattern.test(key);
}
