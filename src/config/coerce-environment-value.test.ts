import { describe, expect, it } from "vitest";
import { coerceEnvironmentValue } from "./coerce-environment-value.js";

describe("coerceEnvironmentValue", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["yes", true],
    ["false", false],
    ["0", false],
    [" No ", false],
  ])("reads the boolean %j as %j", (text, expected) => {
    expect(coerceEnvironmentValue({ text, kind: "boolean" })).toBe(expected);
  });

  it("parses numbers, integers and decimals alike", () => {
    expect(coerceEnvironmentValue({ text: "45", kind: "number" })).toBe(45);
    expect(coerceEnvironmentValue({ text: " 0.25 ", kind: "number" })).toBe(0.25);
  });

  it("leaves text that is not of the key's kind unchanged, for validation to report", () => {
    expect(coerceEnvironmentValue({ text: "abc", kind: "number" })).toBe("abc");
    expect(coerceEnvironmentValue({ text: "maybe", kind: "boolean" })).toBe("maybe");
    expect(coerceEnvironmentValue({ text: "[broken", kind: "list" })).toBe("[broken");
  });

  it("treats an empty boolean or number as unset", () => {
    expect(coerceEnvironmentValue({ text: "", kind: "boolean" })).toBeUndefined();
    expect(coerceEnvironmentValue({ text: " ", kind: "number" })).toBeUndefined();
  });

  it("splits comma-separated lists and trims their items", () => {
    expect(coerceEnvironmentValue({ text: "a, b ,,c", kind: "list" })).toEqual(["a", "b", "c"]);
    expect(coerceEnvironmentValue({ text: "", kind: "list" })).toEqual([]);
  });

  it("reads a JSON array, so items may contain commas", () => {
    expect(coerceEnvironmentValue({ text: '["/a,b", "/c"]', kind: "list" })).toEqual(["/a,b", "/c"]);
  });

  it("keeps strings exactly as given", () => {
    expect(coerceEnvironmentValue({ text: " postgres://h/db ", kind: "string" })).toBe(" postgres://h/db ");
  });
});
