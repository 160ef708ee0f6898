import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstrOSError } from "../../core/errors/astros-error.js";
import type { DatabaseManager } from "../../store/database-manager.js";
import { openDatabase } from "../../store/open-database.js";
import { findPostgresTestTarget } from "../../store/testing/postgres-test-url.js";
import { createTestSchemaName } from "../../store/testing/test-databases.js";
import { LlmRateLimiter } from "./llm-rate-limiter.js";
import type { RateLimitStore } from "./rate-limit-store.js";
import { RequestRateLimiter } from "./request-rate-limiter.js";
import { refusal } from "./testing/expect-refusal.js";

const postgres = await findPostgresTestTarget();

/** Two managers on one database stand for two AstrOS processes; `dispose` closes both and removes the database. */
interface SharedDatabase {
  first: DatabaseManager;
  second: DatabaseManager;
  dispose(): Promise<void>;
}

async function sharedSqliteFile(): Promise<SharedDatabase> {
  const directory = await mkdtemp(path.join(tmpdir(), "astros-rate-limit-"));
  const url = `sqlite://${path.join(directory, "astros.db")}`;
  const first = await openDatabase({ url });
  const second = await openDatabase({ url });
  return {
    first,
    second,
    async dispose() {
      await first.close();
      await second.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function sharedPostgresSchema(): Promise<SharedDatabase> {
  const schema = createTestSchemaName();
  const first = await openDatabase({ url: postgres.url, schema, poolSize: 2 });
  const second = await openDatabase({ url: postgres.url, schema, poolSize: 2 });
  return {
    first,
    second,
    async dispose() {
      try {
        await first.executeQuery(`drop schema if exists "${schema}" cascade`);
      } finally {
        await first.close();
        await second.close();
      }
    },
  };
}

function describeDatabaseStore(name: string, open: () => Promise<SharedDatabase>) {
  describe(`rate limits in the AstrOS database (${name})`, () => {
    let shared: SharedDatabase | undefined;
    beforeAll(async () => {
      shared = await open();
    });
    afterAll(async () => {
      await shared?.dispose();
    });
    const stores = (): [RateLimitStore, RateLimitStore] => {
      if (shared === undefined) throw new Error("The database did not open.");
      return [
        { kind: "database", database: shared.first },
        { kind: "database", database: shared.second },
      ];
    };

    it("shares one user's request limit between processes and says when to retry", async () => {
      const [storeA, storeB] = stores();
      const config = { requests_per_minute: 3 };
      const processA = new RequestRateLimiter({ config, store: storeA });
      const processB = new RequestRateLimiter({ config, store: storeB });
      await processA.consume("alice");
      await processA.consume("alice");
      await processB.consume("alice");
      const error = await refusal(processB.consume("alice"));
      expect(error.message).toMatch(/^Too many requests: 3 per minute allowed; try again in (60|59) s$/);
      expect(error).toMatchObject({ code: "RATE_LIMITED", httpStatus: 429 });
      await refusal(processA.consume("alice"));
      await expect(processA.consume("bob")).resolves.toBeUndefined();
    });

    it("allows requests again once the window is over", async () => {
      const [storeA, storeB] = stores();
      const processA = new RequestRateLimiter({ config: { requests_per_minute: 1 }, store: storeA, durationSeconds: 1 });
      const processB = new RequestRateLimiter({ config: { requests_per_minute: 1 }, store: storeB, durationSeconds: 1 });
      await processA.consume("carol");
      await refusal(processB.consume("carol"));
      await sleep(1100);
      await expect(processB.consume("carol")).resolves.toBeUndefined();
      await refusal(processA.consume("carol"));
    });

    it("settles LLM tokens in one process and refuses by them in another", async () => {
      const [storeA, storeB] = stores();
      const config = { llm_requests_per_minute: 10, llm_tokens_per_minute: 1000 };
      const processA = new LlmRateLimiter({ config, store: storeA });
      const processB = new LlmRateLimiter({ config, store: storeB });
      const grant = await processA.acquire({ userId: "dave", estimatedTokens: 600 });
      await refusal(processB.acquire({ userId: "dave", estimatedTokens: 500 }));
      await processA.settle({ grant, actualTokens: 200 });
      await processB.acquire({ userId: "dave", estimatedTokens: 800 });
      const error = await refusal(processB.acquire({ userId: "dave", estimatedTokens: 1 }));
      expect(error.message).toMatch(/^Too many AI tokens: 1,000 per minute allowed; try again in \d+ s$/);
      expect(error.details.limit).toBe("llm_tokens_per_minute");
    });
  });
}

describeDatabaseStore("SQLite file", sharedSqliteFile);
describe.skipIf(!postgres.reachable)(`PostgreSQL at ${postgres.redactedUrl}`, () => {
  describeDatabaseStore("PostgreSQL", sharedPostgresSchema);
});

describe("a database rate-limit store that fails", () => {
  it("refuses requests and LLM calls with STORAGE_UNAVAILABLE naming the database, rather than allowing them", async () => {
    const database = await openDatabase({ url: "sqlite::memory:" });
    await database.close();
    const store = { kind: "database", database } as const;
    const error = await new RequestRateLimiter({ config: { requests_per_minute: 120 }, store })
      .consume("alice")
      .catch((thrown: unknown) => thrown);
    expect(AstrOSError.isInstance(error) && error.toJSON()).toMatchObject({
      name: "StorageError",
      code: "STORAGE_UNAVAILABLE",
      message: "The rate-limit store (database, sqlite::memory:) is unavailable: The database connection is not open",
      details: { store: "database", location: "sqlite::memory:" },
    });
    const llm = new LlmRateLimiter({ config: { llm_requests_per_minute: 30, llm_tokens_per_minute: 200_000 }, store });
    await expect(llm.acquire({ userId: "alice", estimatedTokens: 10 })).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE" });
  });

  it("refuses when the table is missing (a database not migrated) rather than creating it", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "astros-rate-limit-"));
    const database = await openDatabase({ url: `sqlite://${path.join(directory, "astros.db")}` });
    try {
      await database.executeQuery("drop table rate_limit_counters");
      const limiter = new RequestRateLimiter({ config: { requests_per_minute: 5 }, store: { kind: "database", database } });
      await expect(limiter.consume("alice")).rejects.toMatchObject({
        code: "STORAGE_UNAVAILABLE",
        message: expect.stringMatching(/no such table: rate_limit_counters/),
      });
    } finally {
      await database.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
