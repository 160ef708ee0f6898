import { StorageError } from "../core/errors/storage-error.js";

const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** PostgreSQL silently truncates longer identifiers, so two long names could end up the same. */
const maximumIdentifierLength = 63;

export interface AssertIdentifierNameOptions {
  name: string;
  /** What the name is for, used in the error message. */
  kind: "table" | "column" | "schema";
}

/** Rejects a table, column or schema name that is not a plain SQL identifier. */
export function assertIdentifierName(options: AssertIdentifierNameOptions): void {
  const { name, kind } = options;
  if (typeof name === "string" && identifierPattern.test(name) && name.length <= maximumIdentifierLength) return;
  throw new StorageError(`Invalid ${kind} name ${JSON.stringify(name)}.`, {
    recovery: `Use a ${kind} name of at most ${maximumIdentifierLength} letters, digits and underscores that does not start with a digit.`,
    details: { kind, name: String(name) },
  });
}
