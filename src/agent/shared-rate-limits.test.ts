import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Response } from "../core/types/response.js";
import { findRedisTestTarget } from "../safety/rate-limit/testing/redis-test-target.js";
import type { DatabaseManager } from "../store/database-manager.js";
import { openDatabase } from "../store/open-database.js";
import { findPostgresTestTarget } from "../store/testing/postgres-test-url.js";
import { createTestSchemaName } from "../store/testing/test-databases.js";
import type { AstrOSAgent } from "./astros-agent.js";
import { createTestAgent } from "./testing/test-agent.js";

const postgres = await findPostgresTestTarget();
const redis = await findRedisTestTarget();

let root: string;
const agents: AstrOSAgent[] = [];
const cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-shared-limits-"));
});
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(root, { recursive: true, force: true });
  vi.restoreAllMocks();
});

/** An agent standing for one AstrOS process: its own database connection, allowing 2 requests a minute per user. */
async function startAgent(config: Record<string, Record<string, unknown>>, database?: DatabaseManager): Promise<AstrOSAgent> {
  const agent = createTestAgent(root, {
    config: { ...config, rate_limits: { requests_per_minute: 2, ...config.rate_limits } },
    agent: { includeTools: false, ...(database === undefined ? {} : { database }) },
  });
  agents.push(agent);
  await agent.start();
  return agent;
}

const ask = (agent: AstrOSAgent, userId = "ann"): Promise<Response> => agent.processRequest({ text: "help", userId });

/** The second process is refused once the first used the user's requests, with when to retry; others are not. */
async function expectOneSharedLimit(first: AstrOSAgent, second: AstrOSAgent): Promise<void> {
  expect((await ask(first)).success).toBe(true);
  expect((await ask(first)).success).toBe(true);
  const refused = await ask(second);
  expect(refused.success).toBe(false);
  expect(refused.message).toMatch(/^Too many requests: 2 per minute allowed; try again in (60|59) s$/);
  expect(refused.metadata.error).toMatchObject({ code: "RATE_LIMITED", details: { limit: "requests_per_minute" } });
  expect(Number(refused.metadata.error?.details?.retryAfterSeconds)).toBeGreaterThanOrEqual(59);
  expect((await ask(second, "bob")).success).toBe(true);
}

describe("per-user rate limits shared between AstrOS processes", () => {
  it("counts in the SQLite database file by default, so a second process on it is refused", async () => {
    const database = { url: `sqlite://${path.join(root, "astros.db")}` };
    const first = await startAgent({ database });
    const second = await startAgent({ database });
    expect(second.config.rate_limits.store).toBe("database");
    await expectOneSharedLimit(first, second);
  });

  it('counts in each process alone with rate_limits.store = "memory"', async () => {
    const config = { database: { url: `sqlite://${path.join(root, "astros.db")}` }, rate_limits: { store: "memory" } };
    const first = await startAgent(config);
    const second = await startAgent(config);
    for (const agent of [first, second]) {
      expect((await ask(agent)).success).toBe(true);
      expect((await ask(agent)).success).toBe(true);
    }
    expect((await ask(first)).metadata.error?.code).toBe("RATE_LIMITED");
  });

  it("refuses every request, never allows it, when the database store fails", async () => {
    const database = await openDatabase({ url: "sqlite::memory:" });
    const agent = await startAgent({}, database);
    await database.close();
    const refused = await ask(agent);
    expect(refused.success).toBe(false);
    expect(refused.metadata.error).toMatchObject({ code: "STORAGE_UNAVAILABLE", details: { store: "database" } });
  });

  describe.skipIf(!postgres.reachable)(`on PostgreSQL at ${postgres.redactedUrl}`, () => {
    it("counts in the PostgreSQL database, so a second process on it is refused", async () => {
      const schema = createTestSchemaName();
      const open = () => openDatabase({ url: postgres.url, schema, poolSize: 2 });
      const databases = [await open(), await open()] as const;
      cleanups.push(async () => {
        await databases[0].executeQuery(`drop schema if exists "${schema}" cascade`);
        for (const database of databases) await database.close();
      });
      await expectOneSharedLimit(await startAgent({}, databases[0]), await startAgent({}, databases[1]));
    });
  });

  describe.skipIf(!redis.reachable)(`in Redis at ${redis.redactedUrl}`, () => {
    it("counts in the Redis server rate_limits.store names, and closes the connection when the agent stops", async () => {
      const quit = vi.spyOn(Redis.prototype, "quit");
      // Separate in-memory databases: only Redis is shared.
      const config = { rate_limits: { store: redis.url } };
      const first = await startAgent(config);
      const second = await startAgent(config);
      const user = `ann-${randomBytes(6).toString("hex")}`;
      expect((await ask(first, user)).success).toBe(true);
      expect((await ask(first, user)).success).toBe(true);
      expect((await ask(second, user)).message).toMatch(/^Too many requests: 2 per minute allowed; try again in (60|59) s$/);
      await first.stop();
      await second.stop();
      expect(quit).toHaveBeenCalledTimes(2);
    });
  });

  it("fails to start, naming rate_limits.store, when its Redis server cannot be reached", async () => {
    const attempt = startAgent({ rate_limits: { store: "redis://:Hidden-Pass@127.0.0.1:1" } });
    await expect(attempt).rejects.toMatchObject({
      code: "STORAGE_UNAVAILABLE",
      message: expect.stringMatching(
        /^rate_limits\.store: Could not connect to Redis for rate limits at redis:\/\/:\*\*\*@127\.0\.0\.1:1/,
      ),
      details: { setting: "rate_limits.store" },
    });
    await expect(attempt).rejects.not.toThrow(/Hidden-Pass/);
  });
});
