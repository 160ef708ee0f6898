import type { ConfigLeafKind } from "./schema-shape.js";

const trueWords = new Set(["true", "1", "yes"]);
const falseWords = new Set(["false", "0", "no"]);

export interface CoerceEnvironmentValueOptions {
  /** The variable's text. */
  text: string;
  /** The kind of the configuration key it sets. */
  kind: ConfigLeafKind;
}

/**
 * Turn an environment variable's text into a value of the key's kind. Text that cannot be coerced is
 * returned unchanged so that validation reports it with the variable's name (`expected a number, got "abc"`).
 * Returns undefined for an empty boolean or number, which counts as unset.
 *
 * - boolean: true/false, 1/0, yes/no (any case)
 * - number: anything `Number()` reads as a finite number
 * - list: a JSON array (`["a","b"]`) or comma-separated items (`a, b`); empty text is an empty list
 * - string: the text as is
 */
export function coerceEnvironmentValue({ text, kind }: CoerceEnvironmentValueOptions): unknown {
  const trimmed = text.trim();
  switch (kind) {
    case "boolean": {
      if (trimmed === "") return undefined;
      const word = trimmed.toLowerCase();
      if (trueWords.has(word)) return true;
      if (falseWords.has(word)) return false;
      return text;
    }
    case "number": {
      if (trimmed === "") return undefined;
      const number = Number(trimmed);
      return Number.isFinite(number) ? number : text;
    }
    case "list":
      return coerceList(text, trimmed);
    case "string":
      return text;
  }
}

function coerceList(text: string, trimmed: string): unknown {
  if (trimmed.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      return Array.isArray(parsed) ? parsed : text;
    } catch {
      return text;
    }
  }
  return trimmed
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}
