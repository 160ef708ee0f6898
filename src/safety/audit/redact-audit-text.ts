import { isSecretKeyName, redactedText, redactSecretText } from "../../config/redact-secrets.js";

/**
 * Redact secrets from anything bound for the audit log: values under secret-named fields (`password`,
 * `api_key`, …), and secrets of known shapes inside any text (see `redactSecretText`).
 */
export function redactForAudit<Value>(value: Value): Value {
  return scrub(value) as Value;
}

function scrub(value: unknown): unknown {
  if (typeof value === "string") return redactSecretText(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, scrubField(key, inner)]),
    );
  }
  return value;
}

/** A field's value, or `***` when the field's name says it holds a secret (an empty or unset one stays as it is). */
export function scrubField(key: string, value: unknown): unknown {
  const hidden =
    isSecretKeyName(key) &&
    value !== "" &&
    value !== undefined &&
    value !== null &&
    (typeof value !== "object" || Array.isArray(value));
  return hidden ? redactedText : scrub(value);
}
