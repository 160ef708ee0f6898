import { afterEach, describe, expect, it, vi } from "vitest";
import { findPostgresTestTarget } from "./postgres-test-url.js";

const unreachable = "postgres://tester:Hidden-Pass@127.0.0.1:1/postgres";

describe("findPostgresTestTarget", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("fails the run when the server is unreachable and ASTROS_REQUIRE_SERVICES=1", async () => {
    const attempt = findPostgresTestTarget({
      environment: { ASTROS_TEST_POSTGRES_URL: unreachable, ASTROS_REQUIRE_SERVICES: "1" },
    });
    await expect(attempt).rejects.toThrow(/PostgreSQL not reachable at postgres:\/\/tester:\*\*\*@127\.0\.0\.1:1\/postgres/);
  });

  it("warns and reports unreachable otherwise, without the password", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const target = await findPostgresTestTarget({ environment: { ASTROS_TEST_POSTGRES_URL: unreachable } });
    expect(target).toMatchObject({ reachable: false, redactedUrl: "postgres://tester:***@127.0.0.1:1/postgres" });
    expect(warn).toHaveBeenCalledWith(
      "PostgreSQL not reachable at postgres://tester:***@127.0.0.1:1/postgres: skipping PostgreSQL storage tests",
    );
  });
});
