import { describe, expect, it } from "vitest";
import { assertIdentifierName } from "./identifier-name.js";

describe("assertIdentifierName", () => {
  it("accepts plain identifiers", () => {
    for (const name of ["notes", "_private", "Table_2", "a".repeat(63)]) {
      expect(() => assertIdentifierName({ name, kind: "table" })).not.toThrow();
    }
  });

  it("rejects anything that would need quoting, or that PostgreSQL would truncate", () => {
    for (const name of ["", "2notes", "notes; drop table x", 'a"b', "a-b", "naïve", "a".repeat(64)]) {
      expect(() => assertIdentifierName({ name, kind: "column" })).toThrow(/Invalid column name/);
    }
  });
});
