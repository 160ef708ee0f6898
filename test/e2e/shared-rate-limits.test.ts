import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findRedisTestTarget } from "../../src/safety/rate-limit/testing/redis-test-target.js";
import { findPostgresTestTarget } from "../../src/store/testing/postgres-test-url.js";
import { createTestSchemaName } from "../../src/store/testing/test-databases.js";
import { type CliResult, type CliSandbox, createCliSandbox, startServer } from "./run-cli.js";

const postgres = await findPostgresTestTarget();
const redis = await findRedisTestTarget();

let sandbox: CliSandbox;
beforeEach(async () => {
  sandbox = await createCliSandbox();
  await writeFile(path.join(sandbox.configDirectory, "config.toml"), "[rate_limits]\nrequests_per_minute = 2\n");
});
afterEach(async () => {
  await sandbox.dispose();
});

/** Three one-shot `astros` processes in a row, as a user typing commands. */
async function threeCommands(env: NodeJS.ProcessEnv = {}): Promise<CliResult[]> {
  const results: CliResult[] = [];
  for (let run = 0; run < 3; run++) results.push(await sandbox.run(["--json", "hello"], { env }));
  return results;
}

/** The first two run; the third process is refused with the retry-after answer. */
function expectThirdRefused(results: CliResult[]): void {
  const [first, second, third] = results;
  expect(first).toMatchObject({ code: 0 });
  expect(second).toMatchObject({ code: 0 });
  expect(third?.code).toBe(1);
  const refused = JSON.parse(third?.stdout ?? "");
  expect(refused).toMatchObject({
    success: false,
    message: expect.stringMatching(/^Too many requests: 2 per minute allowed; try again in (60|59) s$/),
    metadata: { error: { code: "RATE_LIMITED", details: { limit: "requests_per_minute" } } },
  });
}

describe("per-user rate limits across astros processes", () => {
  it("count in the SQLite database by default, so one-shot commands are limited", async () => {
    expectThirdRefused(await threeCommands());
  });

  it('count per process with rate_limits.store = "memory"', async () => {
    const results = await threeCommands({ ASTROS_RATE_LIMITS_STORE: "memory" });
    expect(results.map((result) => result.code)).toEqual([0, 0, 0]);
  });

  describe.skipIf(!postgres.reachable)(`on PostgreSQL at ${postgres.redactedUrl}`, () => {
    it("count in the PostgreSQL database named by database.url", async () => {
      // The processes work in a schema of their own, put on their search_path by the URL.
      const schema = createTestSchemaName();
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      try {
        await admin.query(`create schema "${schema}"`);
        const url = new URL(postgres.url);
        url.searchParams.set("options", `-c search_path=${schema}`);
        expectThirdRefused(await threeCommands({ ASTROS_DATABASE_URL: url.href }));
        const counted = await admin.query(`select key from "${schema}".rate_limit_counters`);
        expect(counted.rows).toEqual([{ key: "astros:rate-limit:requests:tester" }]);
      } finally {
        await admin.query(`drop schema if exists "${schema}" cascade`);
        await admin.end();
      }
    });
  });

  describe.skipIf(!redis.reachable)(`in Redis at ${redis.redactedUrl}`, () => {
    it("count in the Redis server rate_limits.store names, and each process exits when done", async () => {
      // A user of its own, so that counts left by earlier runs on the same server do not matter.
      const env = { ASTROS_RATE_LIMITS_STORE: redis.url, USER: `tester-${randomBytes(6).toString("hex")}` };
      expectThirdRefused(await threeCommands(env));
    });
  });
});

async function failedSignIn(base: string, attempt: number): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "mallory", password: `guess number ${attempt}` }),
  });
  return { status: response.status, body: await response.json() };
}

describe("failed sign-ins across server processes", () => {
  it("count in the shared database, so a second node refuses a name that was guessed at on the first", async () => {
    await writeFile(path.join(sandbox.configDirectory, "config.toml"), "[server]\nlogin_attempts_per_minute = 3\n");
    const first = await startServer(sandbox);
    const second = await startServer(sandbox);
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) statuses.push((await failedSignIn(first.base, attempt)).status);
      expect(statuses).toEqual([401, 401, 401]);
      const refused = await failedSignIn(second.base, 3);
      expect(refused.status).toBe(429);
      expect(refused.body.error).toMatchObject({ code: "RATE_LIMITED", details: { limit: "server.login_attempts_per_minute" } });
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
