import type { RawData } from "ws";
import type { z } from "zod";

/** A client's WebSocket message, checked against the protocol's schema; or why it was refused, in words. */
export type ParsedSocketMessage<T> = { ok: true; data: T } | { ok: false; problem: string };

/** JSON text only, valid for `schema`: the same rules and wording on every socket AstrOS serves. */
export function parseSocketMessage<T>(raw: RawData, isBinary: boolean, schema: z.ZodType<T>): ParsedSocketMessage<T> {
  if (isBinary) return { ok: false, problem: "Send JSON text messages" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString());
  } catch {
    return { ok: false, problem: "That message is not JSON" };
  }
  const message = schema.safeParse(parsed);
  if (message.success) return { ok: true, data: message.data };
  const problems = message.error.issues.map((issue) => `${issue.path.join(".") || "(message)"}: ${issue.message}`);
  return { ok: false, problem: `Invalid message: ${problems.join("; ")}` };
}
