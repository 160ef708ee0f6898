import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeConfigIssue } from "./describe-config-issue.js";

describe("describeConfigIssue", () => {
  it("never quotes the value of a secret-named key", () => {
    const schema = z.strictObject({ api_key: z.number() });
    const values = { api_key: "sk-live-123" };
    const [issue] = schema.safeParse(values).error?.issues ?? [];
    if (issue === undefined) throw new Error("expected an issue");
    const [problem] = describeConfigIssue({ issue, values, schema });
    expect(problem?.message).toBe('expected a number, got "***"');
  });

  it("shortens long values", () => {
    const schema = z.strictObject({ count: z.number() });
    const values = { count: "x".repeat(500) };
    const [issue] = schema.safeParse(values).error?.issues ?? [];
    if (issue === undefined) throw new Error("expected an issue");
    const [problem] = describeConfigIssue({ issue, values, schema });
    expect(problem?.message.length).toBeLessThan(120);
    expect(problem?.message).toMatch(/\.\.\.$/);
  });
});
