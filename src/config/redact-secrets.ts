import { isConfigTable } from "./config-table.js";

/** What a redacted value is replaced with. */
export const redactedText = "***";

const secretWords = new Set(["password", "passwd", "passphrase", "secret", "token", "credential", "credentials"]);
const secretWordPairs = new Set(["api key", "private key", "access key"]);

function splitKeyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}

/**
 * Whether a key names a secret: `api_key`, `apiKey`, `password`, `token`, `access_token`, `client_secret`, ...
 * Whole words are compared, so `max_tokens` is not a secret.
 */
export function isSecretKeyName(key: string): boolean {
  const words = splitKeyWords(key);
  return words.some((word, index) => secretWords.has(word) || secretWordPairs.has(`${word} ${words[index + 1] ?? ""}`));
}

/** Hide the password of a URL such as `postgres://user:password@host/db`; other text is returned as is. */
export function redactUrlPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#@]+@/i, `$1${redactedText}@`);
}

/**
 * A deep copy with secret values replaced by `***`: values under secret-named keys (see `isSecretKeyName`)
 * and passwords inside URLs. Empty strings stay empty, so an unset secret still reads as unset.
 */
export function redactSecrets<Value>(value: Value): Value {
  return redactValue(value) as Value;
}

function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactUrlPassword(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (!isConfigTable(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const hidden = isSecretKeyName(key) && !isConfigTable(child) && child !== "" && child !== undefined;
    copy[key] = hidden ? redactedText : redactValue(child);
  }
  return copy;
}
