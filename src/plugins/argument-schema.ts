import type { StandardSchemaV1 } from "./standard-schema.js";

/**
 * A handler's argument schema: any Standard Schema validator (zod 4, valibot, arktype...).
 * With zod (re-exported by the SDK as `z`) AstrOS can also derive a JSON Schema to offer the
 * handler to an LLM as a tool.
 */
export type ArgumentSchema = StandardSchemaV1<unknown, Record<string, unknown>>;

export interface ArgumentIssue {
  path: string;
  message: string;
}

export type ArgumentValidation = { ok: true; value: Record<string, unknown> } | { ok: false; issues: ArgumentIssue[] };

/** Validate arguments against a schema; no schema means the arguments pass through. */
export async function validateArguments(
  schema: ArgumentSchema | undefined,
  input: Record<string, unknown>,
): Promise<ArgumentValidation> {
  if (schema === undefined) return { ok: true, value: input };
  const result = await schema["~standard"].validate(input);
  if (result.issues === undefined) return { ok: true, value: result.value };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({
      path: (issue.path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment)).join("."),
      message: issue.message,
    })),
  };
}
