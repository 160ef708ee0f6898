import { StorageError } from "../core/errors/storage-error.js";
import type { DatabaseDialect, SqlParameters } from "./database-manager.js";

export interface TranslatePlaceholdersOptions {
  /** One SQL statement written with portable placeholders (`:name` or `?`). */
  sql: string;
  /** An object binds `:name` placeholders, an array binds `?` placeholders; none behaves as an empty object. */
  parameters?: SqlParameters | undefined;
  dialect: DatabaseDialect;
}

export interface TranslatedQuery {
  /** The statement with placeholders in the engine's own syntax (`$1` on PostgreSQL, `?` on SQLite). */
  sql: string;
  /** The values in placeholder order. */
  values: unknown[];
}

const identifierCharacter = /[\p{L}\p{N}_$]/u;
const nameStartCharacter = /[A-Za-z_]/;
const nameCharacter = /[A-Za-z0-9_]/;
const dollarQuoteTag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * Rewrites portable placeholders into the engine's syntax and lists the values in order.
 * String literals, quoted identifiers, comments, PostgreSQL dollar-quoted strings and `::` casts
 * are copied unchanged. With an object only `:name` is a placeholder (so PostgreSQL's `?` JSON
 * operators still work); with an array only `?` is.
 */
export function translatePlaceholders(options: TranslatePlaceholdersOptions): TranslatedQuery {
  const { sql, dialect } = options;
  const positionalValues = isPositional(options.parameters) ? options.parameters : undefined;
  const namedValues = positionalValues === undefined ? ((options.parameters ?? {}) as Record<string, unknown>) : undefined;
  const values: unknown[] = [];
  const postgresNumbers = new Map<string, number>();
  let output = "";
  let copiedUntil = 0;
  let index = 0;

  const replace = (start: number, end: number, placeholder: string) => {
    output += sql.slice(copiedUntil, start) + placeholder;
    copiedUntil = end;
  };

  while (index < sql.length) {
    const character = sql[index];
    const next = sql[index + 1];
    if (character === "'") {
      index = skipStringLiteral(sql, index, dialect === "postgres" && isEscapeStringPrefix(sql, index));
    } else if (character === '"') {
      index = skipQuoted(sql, index, '"');
    } else if (dialect === "sqlite" && character === "`") {
      index = skipQuoted(sql, index, "`");
    } else if (dialect === "sqlite" && character === "[") {
      index = skipUntil(sql, index + 1, "]");
    } else if (character === "-" && next === "-") {
      index = skipUntil(sql, index + 2, "\n");
    } else if (character === "/" && next === "*") {
      index = skipBlockComment(sql, index, dialect === "postgres");
    } else if (dialect === "postgres" && character === "$" && !isIdentifierCharacter(sql[index - 1])) {
      index = skipDollarQuoted(sql, index);
    } else if (character === ":" && next === ":") {
      index += 2;
    } else if (character === ":" && namedValues !== undefined && isNameStart(next) && !isIdentifierCharacter(sql[index - 1])) {
      let end = index + 2;
      while (end < sql.length && nameCharacter.test(sql[end] ?? "")) end += 1;
      const name = sql.slice(index + 1, end);
      if (!Object.hasOwn(namedValues, name)) throw missingParameter(name);
      if (dialect === "postgres") {
        let number = postgresNumbers.get(name);
        if (number === undefined) {
          values.push(namedValues[name]);
          number = values.length;
          postgresNumbers.set(name, number);
        }
        replace(index, end, `$${number}`);
      } else {
        values.push(namedValues[name]);
        replace(index, end, "?");
      }
      index = end;
    } else if (character === "?" && positionalValues !== undefined) {
      values.push(positionalValues[values.length]);
      replace(index, index + 1, dialect === "postgres" ? `$${values.length}` : "?");
      index += 1;
    } else {
      index += 1;
    }
  }

  if (positionalValues !== undefined && values.length !== positionalValues.length) {
    throw wrongPositionalCount(values.length, positionalValues.length);
  }
  return { sql: output + sql.slice(copiedUntil), values };
}

function isPositional(parameters: SqlParameters | undefined): parameters is readonly unknown[] {
  return Array.isArray(parameters);
}

function isIdentifierCharacter(character: string | undefined): boolean {
  return character !== undefined && identifierCharacter.test(character);
}

function isNameStart(character: string | undefined): boolean {
  return character !== undefined && nameStartCharacter.test(character);
}

/** PostgreSQL `E'...'` strings take backslash escapes such as `\'`. */
function isEscapeStringPrefix(sql: string, quoteIndex: number): boolean {
  const previous = sql[quoteIndex - 1];
  return (previous === "E" || previous === "e") && !isIdentifierCharacter(sql[quoteIndex - 2]);
}

/** Returns the index just past a '...' literal (a doubled quote is an escaped quote). */
function skipStringLiteral(sql: string, start: number, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < sql.length) {
    const character = sql[index];
    if (backslashEscapes && character === "\\") {
      index += 2;
    } else if (character === "'") {
      if (sql[index + 1] !== "'") return index + 1;
      index += 2;
    } else {
      index += 1;
    }
  }
  return sql.length;
}

/** Returns the index just past a quoted identifier such as "..." (a doubled quote is an escaped quote). */
function skipQuoted(sql: string, start: number, quote: string): number {
  let index = start + 1;
  while (index < sql.length) {
    if (sql[index] === quote) {
      if (sql[index + 1] !== quote) return index + 1;
      index += 2;
    } else {
      index += 1;
    }
  }
  return sql.length;
}

function skipUntil(sql: string, from: number, terminator: string): number {
  const end = sql.indexOf(terminator, from);
  return end === -1 ? sql.length : end + terminator.length;
}

/** PostgreSQL block comments nest; SQLite ones do not. */
function skipBlockComment(sql: string, start: number, nested: boolean): number {
  let depth = 1;
  let index = start + 2;
  while (index < sql.length) {
    if (nested && sql[index] === "/" && sql[index + 1] === "*") {
      depth += 1;
      index += 2;
    } else if (sql[index] === "*" && sql[index + 1] === "/") {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else {
      index += 1;
    }
  }
  return sql.length;
}

/** `$$...$$` or `$tag$...$tag$`; a lone `$` (as in `$1`) is skipped as one character. */
function skipDollarQuoted(sql: string, start: number): number {
  const tag = dollarQuoteTag.exec(sql.slice(start, start + 65))?.[0];
  if (tag === undefined) return start + 1;
  return skipUntil(sql, start + tag.length, tag);
}

function missingParameter(name: string): StorageError {
  return new StorageError(`The query uses the parameter :${name} but no value named "${name}" was given.`, {
    recovery: `Add "${name}" to the parameters object (the key is written without the colon).`,
    details: { parameter: name },
  });
}

function wrongPositionalCount(placeholders: number, given: number): StorageError {
  return new StorageError(
    `The query has ${placeholders} "?" placeholder${placeholders === 1 ? "" : "s"} but ${given} value${given === 1 ? " was" : "s were"} given.`,
    {
      recovery: "Pass exactly one value per ? placeholder, in order.",
      details: { placeholders, given },
    },
  );
}
