import { createHash } from "node:crypto";
import type { AuditEntry } from "../../agent/pipeline-seams.js";
import { isSecretKeyName, redactedText } from "../../config/redact-secrets.js";
import { redactForAudit } from "./redact-audit-text.js";

/** What a piece of data becomes in the audit log: its size and hash, never the data. */
export interface DataSummary {
  bytes: number;
  sha256: string;
}

/** What a long list becomes: how many, and the first few (each summarized in turn). */
export interface ListSummary {
  count: number;
  first: unknown[];
}

/** Fields whose string value is data a tool read, wrote or produced: always summarized, however short. */
const contentKeys = new Set([
  "base64",
  "body",
  "content",
  "contents",
  "data",
  "html",
  "markdown",
  "message",
  "output",
  "payload",
  "raw",
  "result",
  "stderr",
  "stdout",
]);

/** Fields that say what was asked (a request, a command line): kept longer than other text. */
const requestKeys = new Set(["text", "command", "commands"]);

/** Longest text kept as written (after redaction); longer text is summarized. */
export const auditTextLimits = { ordinary: 512, request: 2_000 } as const;
/** Lists longer than this are counted; the first `listPreview` items are kept. */
export const auditListLimit = 10;
const listPreview = 5;
const depthLimit = 6;
/** Largest detail kept once summarized (JSON characters); a larger one is summarized whole. */
export const auditDetailLimit = 8_192;

/** The fields every entry has, recorded as they are (AstrOS makes them; they hold no user data). */
const identityKeys = new Set(["type", "requestId", "userId", "sessionId", "time", "outcome", "seq", "prev", "hash"]);

function isTable(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

export function summarizeData(data: string | Uint8Array): DataSummary {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return { bytes: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
}

function summarizeValue(value: unknown, key: string | undefined, depth: number, textLimit: number): unknown {
  if (typeof value === "string") {
    if (key !== undefined && contentKeys.has(key.toLowerCase())) return summarizeData(value);
    const redacted = redactForAudit(value);
    return redacted.length > textLimit ? summarizeData(value) : redacted;
  }
  if (value instanceof Uint8Array) return summarizeData(value);
  if (value === null || typeof value !== "object") return typeof value === "function" ? undefined : value;
  if (depth >= depthLimit) return { omitted: "nested too deep" };
  if (Array.isArray(value)) {
    const items = value.length > auditListLimit ? value.slice(0, listPreview) : value;
    const summarized = items.map((item) => summarizeValue(item, key, depth + 1, textLimit));
    return value.length > auditListLimit ? ({ count: value.length, first: summarized } satisfies ListSummary) : summarized;
  }
  if (value instanceof Error) return { error: summarizeValue(value.message, "error", depth + 1, auditTextLimits.ordinary) };
  const summarized: Record<string, unknown> = {};
  for (const [innerKey, inner] of Object.entries(value as Record<string, unknown>)) {
    if (isSecretKeyName(innerKey) && inner !== "" && inner !== undefined && inner !== null && !isTable(inner)) {
      summarized[innerKey] = redactedText;
      continue;
    }
    const limit = requestKeys.has(innerKey) ? auditTextLimits.request : auditTextLimits.ordinary;
    const result = summarizeValue(inner, innerKey, depth + 1, limit);
    if (result !== undefined) summarized[innerKey] = result;
  }
  return summarized;
}

/**
 * The entry as the audit log keeps it: a record of what was decided, not of the data. Every field
 * but the identity fields passes through here, whoever built the entry, so a new tool cannot leak by
 * forgetting: data fields (`content`, `message`, `stdout`, …) become `{bytes, sha256}`, text longer
 * than 512 characters (2,000 for a request or command) too, lists longer than 10 become
 * `{count, first}`, secrets are redacted (see `redactSecretText`), and a detail still over 8 KiB is
 * summarized whole. Fields the log does not know (a `taint` another layer adds) are kept, summarized alike.
 */
export function summarizeAuditEntry(entry: AuditEntry): AuditEntry {
  const summarized: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined) continue;
    if (identityKeys.has(key)) summarized[key] = typeof value === "string" ? redactIdentity(value) : value;
    else summarized[key] = summarizeValue(value, key === "detail" ? undefined : key, 0, auditTextLimits.ordinary);
  }
  const detail = (summarized.detail ?? {}) as Record<string, unknown>;
  const size = JSON.stringify(detail).length;
  if (size > auditDetailLimit) {
    summarized.detail = { summarized: summarizeData(JSON.stringify(detail)), keys: Object.keys(detail).slice(0, 20) };
  }
  return summarized as unknown as AuditEntry;
}

/** Identity fields are AstrOS's own names, but a client chooses its session name: keep it short and free of secrets. */
function redactIdentity(value: string): string {
  const redacted = redactForAudit(value);
  return redacted.length > 200 ? `${redacted.slice(0, 200)}…` : redacted;
}
