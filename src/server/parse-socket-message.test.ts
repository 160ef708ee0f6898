import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseSocketMessage } from "./parse-socket-message.js";

const schema = z.object({ type: z.literal("ping"), id: z.string() });

describe("parseSocketMessage", () => {
  it("accepts JSON text that fits the protocol", () => {
    expect(parseSocketMessage(Buffer.from('{"type":"ping","id":"a"}'), false, schema)).toEqual({
      ok: true,
      data: { type: "ping", id: "a" },
    });
  });

  it("refuses binary frames, text that is not JSON, and JSON that breaks the schema, saying which field", () => {
    expect(parseSocketMessage(Buffer.from("{}"), true, schema)).toEqual({ ok: false, problem: "Send JSON text messages" });
    expect(parseSocketMessage(Buffer.from("{nope"), false, schema)).toEqual({ ok: false, problem: "That message is not JSON" });
    const wrong = parseSocketMessage(Buffer.from('{"type":"ping"}'), false, schema);
    expect(wrong.ok).toBe(false);
    expect(wrong.ok ? "" : wrong.problem).toMatch(/^Invalid message: id: /);
  });
});
