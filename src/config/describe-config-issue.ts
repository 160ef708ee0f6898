import type * as z from "zod";
import { findClosestKey } from "./closest-key.js";
import { type ConfigTable, getAtPath, isConfigTable } from "./config-table.js";
import { isSecretKeyName, redactedText, redactUrlPassword } from "./redact-secrets.js";
import { knownKeysAt } from "./schema-shape.js";

/** One thing wrong with one key, in words. */
export interface ConfigProblem {
  keyPath: readonly PropertyKey[];
  /** What is wrong, e.g. `expected a number, got "abc"`. */
  message: string;
  /** True when the key itself is not allowed (as opposed to its value being wrong). */
  unknownKey: boolean;
}

export interface DescribeConfigIssueOptions {
  issue: z.core.$ZodIssue;
  /** The values that were validated, to quote what was received. */
  values: ConfigTable;
  /** The schema, to suggest known keys for unknown ones. */
  schema: z.core.$ZodType;
}

const expectedNames: Record<string, string> = {
  number: "a number",
  int: "an integer",
  boolean: "a boolean (true or false)",
  string: "a string",
  array: "a list",
  object: "a table",
  record: "a table",
};

/** Turn a zod issue into problems a person can act on (one per unknown key). */
export function describeConfigIssue({ issue, values, schema }: DescribeConfigIssueOptions): ConfigProblem[] {
  const keyPath = issue.path;
  if (issue.code === "unrecognized_keys") {
    const knownKeys = knownKeysAt({ schema, keyPath }) ?? [];
    return issue.keys.map((key) => {
      const suggestion = findClosestKey({ key, knownKeys });
      const hint = suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
      return { keyPath: [...keyPath, key], message: `unknown key${hint}`, unknownKey: true };
    });
  }
  const received = describeValue(getAtPath(values, keyPath), keyPath);
  return [{ keyPath, message: describeValueProblem(issue, received), unknownKey: false }];
}

function describeValueProblem(issue: z.core.$ZodIssue, received: string): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${expectedNames[issue.expected] ?? issue.expected}, got ${received}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}, got ${received}`;
    case "too_small":
      if (issue.origin === "number") {
        return `must be ${issue.inclusive === false ? "greater than" : "at least"} ${issue.minimum}, got ${received}`;
      }
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
      return `${issue.message}, got ${received}`;
    case "too_big":
      if (issue.origin === "number") {
        return `must be ${issue.inclusive === false ? "less than" : "at most"} ${issue.maximum}, got ${received}`;
      }
      return `${issue.message}, got ${received}`;
    default:
      return `${issue.message}, got ${received}`;
  }
}

const longestQuote = 80;

/** A received value as quoted in a message; values of secret-named keys are hidden. */
function describeValue(value: unknown, keyPath: readonly PropertyKey[]): string {
  const lastKey = keyPath.at(-1);
  if (typeof lastKey === "string" && isSecretKeyName(lastKey) && value !== undefined) return `"${redactedText}"`;
  if (value === undefined) return "nothing";
  if (isConfigTable(value)) return "a table";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "a date" : value.toISOString();
  // A URL's password never appears in a message (database.url, rate_limits.store).
  const shown = typeof value === "string" ? redactUrlPassword(value) : value;
  const text = typeof shown === "bigint" ? String(shown) : (JSON.stringify(shown) ?? String(shown));
  return text.length > longestQuote ? `${text.slice(0, longestQuote - 3)}...` : text;
}
