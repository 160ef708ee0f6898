import { describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "./database-url.js";

const parse = (url: string) => parseDatabaseUrl({ url, workingDirectory: "/work", homeDirectory: "/home/me" });

describe("parseDatabaseUrl", () => {
  it("reads sqlite:/// URLs as absolute paths", () => {
    expect(parse("sqlite:///var/lib/astros/astros.db")).toEqual({ kind: "sqlite", filePath: "/var/lib/astros/astros.db" });
    expect(parse("sqlite:/var/lib/astros.db")).toEqual({ kind: "sqlite", filePath: "/var/lib/astros.db" });
  });

  it("reads sqlite::memory: and :memory: as an in-memory database", () => {
    expect(parse("sqlite::memory:")).toEqual({ kind: "sqlite", filePath: ":memory:" });
    expect(parse(":memory:")).toEqual({ kind: "sqlite", filePath: ":memory:" });
  });

  it("reads a plain path as a SQLite file, resolving relative paths and ~", () => {
    expect(parse("/data/astros.db")).toEqual({ kind: "sqlite", filePath: "/data/astros.db" });
    expect(parse("data/astros.db")).toEqual({ kind: "sqlite", filePath: "/work/data/astros.db" });
    expect(parse("~/astros.db")).toEqual({ kind: "sqlite", filePath: "/home/me/astros.db" });
  });

  it("reads postgres:// and postgresql:// URLs as PostgreSQL", () => {
    expect(parse("postgres://u:p@h/db")).toEqual({ kind: "postgres", url: "postgres://u:p@h/db" });
    expect(parse("PostgreSQL://h/db")).toEqual({ kind: "postgres", url: "PostgreSQL://h/db" });
  });

  it("rejects an unknown scheme, listing the accepted forms without the password", () => {
    let thrown: unknown;
    try {
      parse("mysql://root:hunter2@localhost/astros");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "StorageError", code: "STORAGE_ERROR" });
    const error = thrown as Error & { recovery: string };
    expect(error.message).toContain('Unsupported database URL scheme "mysql:"');
    expect(error.message).not.toContain("hunter2");
    expect(error.recovery).toContain("sqlite:///absolute/path/astros.db");
    expect(error.recovery).toContain("sqlite::memory:");
    expect(error.recovery).toContain("postgres://");
  });

  it("rejects sqlite:// with two slashes and an empty URL", () => {
    expect(() => parse("sqlite://relative.db")).toThrow(/three slashes/);
    expect(() => parse("  ")).toThrow(/empty/);
  });
});
