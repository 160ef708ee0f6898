import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AstrOSError } from "../../core/errors/astros-error.js";
import { LlmRateLimiter } from "./llm-rate-limiter.js";
import { type OpenedRateLimitStore, openRedisRateLimitStore } from "./open-redis-rate-limit-store.js";
import { RequestRateLimiter } from "./request-rate-limiter.js";
import { refusal } from "./testing/expect-refusal.js";
import { findRedisTestTarget } from "./testing/redis-test-target.js";

const target = await findRedisTestTarget();

describe.skipIf(!target.reachable)(`rate limits in Redis at ${target.redactedUrl}`, () => {
  // Two connections stand for two AstrOS processes; a fresh prefix keeps runs apart (keys expire with their window).
  const keyPrefix = `astros-test:rate-limit:${randomBytes(6).toString("hex")}`;
  let first: OpenedRateLimitStore | undefined;
  let second: OpenedRateLimitStore | undefined;
  beforeAll(async () => {
    first = await openRedisRateLimitStore({ url: target.url, keyPrefix });
    second = await openRedisRateLimitStore({ url: target.url, keyPrefix });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });
  const stores = () => {
    if (first === undefined || second === undefined) throw new Error("Redis did not open.");
    return [first.store, second.store] as const;
  };

  it("shares one user's request limit between processes", async () => {
    const [storeA, storeB] = stores();
    const config = { requests_per_minute: 3 };
    const processA = new RequestRateLimiter({ config, store: storeA, durationSeconds: 2 });
    const processB = new RequestRateLimiter({ config, store: storeB, durationSeconds: 2 });
    await processA.consume("alice");
    await processA.consume("alice");
    await processB.consume("alice");
    const error = await refusal(processB.consume("alice"));
    expect(error.message).toMatch(/^Too many requests: 3 per 2 s allowed; try again in [12] s$/);
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(2);
    await refusal(processA.consume("alice"));
    await expect(processA.consume("bob")).resolves.toBeUndefined();
  });

  it("allows requests again once the window is over", async () => {
    const [store] = stores();
    const limiter = new RequestRateLimiter({ config: { requests_per_minute: 1 }, store, durationSeconds: 1 });
    await limiter.consume("carol");
    await refusal(limiter.consume("carol"));
    await sleep(1100);
    await expect(limiter.consume("carol")).resolves.toBeUndefined();
  });

  it("settles LLM tokens in one process and refuses by them in another", async () => {
    const [storeA, storeB] = stores();
    const config = { llm_requests_per_minute: 10, llm_tokens_per_minute: 1000 };
    const processA = new LlmRateLimiter({ config, store: storeA, durationSeconds: 5 });
    const processB = new LlmRateLimiter({ config, store: storeB, durationSeconds: 5 });
    const grant = await processA.acquire({ userId: "dave", estimatedTokens: 600 });
    await refusal(processB.acquire({ userId: "dave", estimatedTokens: 500 }));
    await processA.settle({ grant, actualTokens: 200 });
    await processB.acquire({ userId: "dave", estimatedTokens: 800 });
    const error = await refusal(processB.acquire({ userId: "dave", estimatedTokens: 1 }));
    expect(error.message).toMatch(/^Too many AI tokens: 1,000 per 5 s allowed; try again in [1-5] s$/);
  });

  it("gives back a call refused by the token budget in the shared count", async () => {
    const [storeA, storeB] = stores();
    const config = { llm_requests_per_minute: 2, llm_tokens_per_minute: 1000 };
    const processA = new LlmRateLimiter({ config, store: storeA, durationSeconds: 5 });
    const processB = new LlmRateLimiter({ config, store: storeB, durationSeconds: 5 });
    await processA.acquire({ userId: "erin", estimatedTokens: 900 });
    await refusal(processB.acquire({ userId: "erin", estimatedTokens: 200 }));
    await processB.acquire({ userId: "erin", estimatedTokens: 100 });
    expect((await refusal(processA.acquire({ userId: "erin", estimatedTokens: 0 }))).details.limit).toBe(
      "llm_requests_per_minute",
    );
  });
});

describe("a Redis rate-limit store that cannot be reached", () => {
  // Never connected, so it is never ready: the limiters must refuse, not wave requests through.
  const client = new Redis("redis://127.0.0.1:1", { lazyConnect: true, retryStrategy: () => null });
  const store = { kind: "redis", client } as const;
  afterAll(() => {
    client.disconnect();
  });

  it("refuses requests with STORAGE_UNAVAILABLE rather than allowing them", async () => {
    const limiter = new RequestRateLimiter({ config: { requests_per_minute: 120 }, store });
    const error = await limiter.consume("alice").catch((thrown: unknown) => thrown);
    expect(AstrOSError.isInstance(error) && error.toJSON()).toMatchObject({
      name: "StorageError",
      code: "STORAGE_UNAVAILABLE",
      message: "The rate-limit store (redis) is unavailable: Redis connection is not ready",
    });
  });

  it("refuses LLM calls with STORAGE_UNAVAILABLE rather than allowing them", async () => {
    const llm = new LlmRateLimiter({ config: { llm_requests_per_minute: 30, llm_tokens_per_minute: 200_000 }, store });
    await expect(llm.acquire({ userId: "alice", estimatedTokens: 10 })).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE" });
  });

  it("fails to open with STORAGE_UNAVAILABLE and no password in the message", async () => {
    const attempt = openRedisRateLimitStore({ url: "redis://:Hidden-Pass@127.0.0.1:1", connectTimeoutMilliseconds: 1000 });
    await expect(attempt).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE" });
    await expect(attempt).rejects.toThrow(/^Could not connect to Redis for rate limits at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
  });
});

describe("findRedisTestTarget", () => {
  const unreachable = "redis://:Hidden-Pass@127.0.0.1:1";
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("fails the run when Redis is unreachable and ASTROS_REQUIRE_SERVICES=1", async () => {
    const attempt = findRedisTestTarget({ environment: { ASTROS_TEST_REDIS_URL: unreachable, ASTROS_REQUIRE_SERVICES: "1" } });
    await expect(attempt).rejects.toThrow(/^Redis not reachable at redis:\/\/:\*\*\*@127\.0\.0\.1:1 /);
  });

  it("warns and reports unreachable otherwise, without the password", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const found = await findRedisTestTarget({ environment: { ASTROS_TEST_REDIS_URL: unreachable } });
    expect(found).toMatchObject({ reachable: false, redactedUrl: "redis://:***@127.0.0.1:1" });
    expect(warn).toHaveBeenCalledWith("Redis not reachable at redis://:***@127.0.0.1:1: skipping Redis rate-limit tests");
  });
});
