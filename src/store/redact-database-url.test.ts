import { describe, expect, it } from "vitest";
import { redactDatabaseUrl } from "./redact-database-url.js";

describe("redactDatabaseUrl", () => {
  it("replaces the password of a URL", () => {
    expect(redactDatabaseUrl("postgres://astros:s3cret@db.example:5432/astros")).toBe(
      "postgres://astros:***@db.example:5432/astros",
    );
  });

  it("replaces password-like query parameters", () => {
    const redacted = redactDatabaseUrl("postgresql://db/astros?sslmode=require&password=s3cret");
    expect(redacted).toBe("postgresql://db/astros?sslmode=require&password=***");
  });

  it("returns a URL without a password unchanged", () => {
    expect(redactDatabaseUrl("postgres://postgres@127.0.0.1:5432/postgres")).toBe("postgres://postgres@127.0.0.1:5432/postgres");
    expect(redactDatabaseUrl("/home/me/astros.db")).toBe("/home/me/astros.db");
  });

  it("redacts the password of text that does not parse as a URL", () => {
    expect(redactDatabaseUrl("postgres://user:p@ss word@host:99999/db")).toBe("postgres://user:***@host:99999/db");
  });
});
