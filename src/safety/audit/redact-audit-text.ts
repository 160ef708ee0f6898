import { redactSecrets } from "../../config/redact-secrets.js";

const secretText: [RegExp, string][] = [
  [
    /\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|gh[pousr]_[A-Za-z0-9]{16,}|xox[abprs]-[A-Za-z0-9-]{8,}|AKIA[A-Z0-9]{12,}|AIza[A-Za-z0-9_-]{20,})/g,
    "***",
  ],
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 ***"],
  [
    /\b([A-Za-z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY)[A-Za-z0-9_]*)\s*([=:])\s*("[^"]*"|'[^']*'|\S+)/gi,
    "$1$2***",
  ],
  [/(--(?:password|token|api-key|secret)[= ])\S+/gi, "$1***"],
];

/** Redact secrets from anything bound for the audit log: secret-named fields, URL passwords, and tokens inside free text. */
export function redactForAudit<Value>(value: Value): Value {
  return scrub(redactSecrets(value)) as Value;
}

function scrub(value: unknown): unknown {
  if (typeof value === "string")
    return secretText.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), value);
  if (Array.isArray(value)) return value.map(scrub);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, scrub(inner)]));
  }
  return value;
}
