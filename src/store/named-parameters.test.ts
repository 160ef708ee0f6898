import { describe, expect, it } from "vitest";
import { StorageError } from "../core/errors/storage-error.js";
import { translatePlaceholders } from "./named-parameters.js";

const postgres = (sql: string, parameters?: Record<string, unknown> | unknown[]) =>
  translatePlaceholders({ sql, parameters, dialect: "postgres" });
const sqlite = (sql: string, parameters?: Record<string, unknown> | unknown[]) =>
  translatePlaceholders({ sql, parameters, dialect: "sqlite" });

describe("translatePlaceholders", () => {
  it("numbers named parameters for PostgreSQL, reusing the number of a repeated name", () => {
    expect(postgres("select * from t where a = :a and b = :b_2 or c = :a", { a: 1, b_2: "x", unused: 3 })).toEqual({
      sql: "select * from t where a = $1 and b = $2 or c = $1",
      values: [1, "x"],
    });
  });

  it("turns named parameters into ? for SQLite, repeating the value of a repeated name", () => {
    expect(sqlite("select :a, :b, :a", { a: 1, b: 2 })).toEqual({ sql: "select ?, ?, ?", values: [1, 2, 1] });
  });

  it("numbers positional parameters for PostgreSQL and keeps them for SQLite", () => {
    expect(postgres("insert into t values (?, ?,?)", [1, null, "z"])).toEqual({
      sql: "insert into t values ($1, $2,$3)",
      values: [1, null, "z"],
    });
    expect(sqlite("insert into t values (?, ?)", [1, 2])).toEqual({ sql: "insert into t values (?, ?)", values: [1, 2] });
  });

  it("leaves string literals alone, including doubled quotes", () => {
    const sql = "select ':a ?', 'it''s :a ?', :a";
    expect(postgres(sql, { a: 1 }).sql).toBe("select ':a ?', 'it''s :a ?', $1");
    expect(sqlite("select 'what?', ?", [1]).sql).toBe("select 'what?', ?");
  });

  it("leaves PostgreSQL E-strings with backslash escapes alone", () => {
    expect(postgres("select E'\\' :a ?', e'\\\\', :a", { a: 1 }).sql).toBe("select E'\\' :a ?', e'\\\\', $1");
    // Not an E-string: the E ends an identifier, so the backslash is an ordinary character.
    expect(postgres("select name'\\', :a", { a: 1 }).sql).toBe("select name'\\', $1");
  });

  it("leaves quoted identifiers alone", () => {
    expect(postgres('select 1 as "a:b ?", 2 as "x"":y", :a', { a: 1 }).sql).toBe('select 1 as "a:b ?", 2 as "x"":y", $1');
    expect(sqlite("select [a:b], `c:d ?`, :a", { a: 1 }).sql).toBe("select [a:b], `c:d ?`, ?");
  });

  it("leaves line and block comments alone, nesting block comments on PostgreSQL", () => {
    expect(postgres("select :a -- :b ?\n, :c", { a: 1, c: 3 })).toEqual({ sql: "select $1 -- :b ?\n, $2", values: [1, 3] });
    expect(postgres("select /* outer /* :b */ :c ? */ :a", { a: 1 }).sql).toBe("select /* outer /* :b */ :c ? */ $1");
    expect(sqlite("select /* :b ? */ ?", [1]).sql).toBe("select /* :b ? */ ?");
  });

  it("leaves :: casts alone", () => {
    expect(postgres("select :a::int, '1'::text, x::jsonb", { a: "5" })).toEqual({
      sql: "select $1::int, '1'::text, x::jsonb",
      values: ["5"],
    });
  });

  it("leaves PostgreSQL dollar-quoted strings alone", () => {
    expect(postgres("select $$ :a ? $$, $body$ it's :a $body$, :a", { a: 1 }).sql).toBe(
      "select $$ :a ? $$, $body$ it's :a $body$, $1",
    );
  });

  it("does not treat a colon after a letter or digit as a parameter (array slices)", () => {
    expect(postgres("select arr[1:n], arr[lo:hi], :a", { a: 1 }).sql).toBe("select arr[1:n], arr[lo:hi], $1");
  });

  it("leaves ? alone when parameters are named, and :name alone when they are positional", () => {
    expect(postgres("select doc ? 'k', :a", { a: 1 }).sql).toBe("select doc ? 'k', $1");
    expect(postgres("select ?, :not_a_parameter", [1]).sql).toBe("select $1, :not_a_parameter");
  });

  it("treats no parameters as an empty object", () => {
    expect(postgres("select 1")).toEqual({ sql: "select 1", values: [] });
    expect(() => postgres("select :a")).toThrow(StorageError);
  });

  it("names a missing named parameter", () => {
    expect(() => sqlite("select :present, :absent", { present: 1 })).toThrow(/:absent but no value named "absent"/);
    expect(postgres("select :a", { a: undefined }).values).toEqual([undefined]);
  });

  it("rejects too few or too many positional values", () => {
    expect(() => postgres("select ?, ?", [1])).toThrow(/2 "\?" placeholders but 1 value was given/);
    expect(() => sqlite("select ?", [1, 2])).toThrow(/1 "\?" placeholder but 2 values were given/);
  });

  it("copies an unterminated literal through for the database to report", () => {
    expect(postgres("select ':a", { a: 1 })).toEqual({ sql: "select ':a", values: [] });
  });
});
