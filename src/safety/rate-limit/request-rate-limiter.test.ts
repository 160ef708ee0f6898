import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configSchema } from "../../config/config-schema.js";
import { RequestRateLimiter } from "./request-rate-limiter.js";
import { refusal } from "./testing/expect-refusal.js";

/** Rejects with the RateLimitError `consume` threw, or fails when it resolved. */
async function consumeTimes(limiter: RequestRateLimiter, userId: string, times: number): Promise<void> {
  for (let count = 0; count < times; count++) await limiter.consume(userId);
}

describe("RequestRateLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2025-01-01T00:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("refuses the request after requests_per_minute with the seconds until the minute is over", async () => {
    const limiter = new RequestRateLimiter({ config: { requests_per_minute: 3 } });
    await consumeTimes(limiter, "alice", 3);
    vi.advanceTimersByTime(46_000);
    const error = await refusal(limiter.consume("alice"));
    expect(error.message).toBe("Too many requests: 3 per minute allowed; try again in 14 s");
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.httpStatus).toBe(429);
    expect(error.retryAfterSeconds).toBe(14);
    expect(error.toJSON()).toMatchObject({
      category: "processing",
      recovery: "Wait 14 s, or raise rate_limits.requests_per_minute in the configuration (0 turns the limit off).",
      details: { limit: "requests_per_minute", allowed: 3, durationSeconds: 60, retryAfterSeconds: 14 },
    });
  });

  it("applies the configured default of 120 requests a minute", async () => {
    const limiter = new RequestRateLimiter({ config: configSchema.parse({}).rate_limits });
    await consumeTimes(limiter, "alice", 120);
    const error = await refusal(limiter.consume("alice"));
    expect(error.message).toBe("Too many requests: 120 per minute allowed; try again in 60 s");
  });

  it("allows requests again once the user's minute is over", async () => {
    const limiter = new RequestRateLimiter({ config: { requests_per_minute: 2 } });
    await consumeTimes(limiter, "alice", 2);
    await refusal(limiter.consume("alice"));
    vi.advanceTimersByTime(60_000);
    await expect(consumeTimes(limiter, "alice", 2)).resolves.toBeUndefined();
    await refusal(limiter.consume("alice"));
  });

  it("counts each user on their own", async () => {
    const limiter = new RequestRateLimiter({ config: { requests_per_minute: 2 } });
    await consumeTimes(limiter, "alice", 2);
    await refusal(limiter.consume("alice"));
    await expect(consumeTimes(limiter, "bob", 2)).resolves.toBeUndefined();
    await refusal(limiter.consume("bob"));
  });

  it("rounds the retry-after up to whole seconds and never below 1 s", async () => {
    const limiter = new RequestRateLimiter({ config: { requests_per_minute: 1 } });
    await limiter.consume("alice");
    vi.advanceTimersByTime(45_500);
    expect((await refusal(limiter.consume("alice"))).retryAfterSeconds).toBe(15);
    vi.advanceTimersByTime(14_499);
    expect((await refusal(limiter.consume("alice"))).retryAfterSeconds).toBe(1);
  });

  it("never refuses when requests_per_minute is 0", async () => {
    const limiter = new RequestRateLimiter({ config: { requests_per_minute: 0 } });
    expect(limiter.enabled).toBe(false);
    await expect(consumeTimes(limiter, "alice", 10_000)).resolves.toBeUndefined();
  });

  it("counts over a shorter window when durationSeconds is set, and says so", async () => {
    const limiter = new RequestRateLimiter({ config: { requests_per_minute: 1 }, durationSeconds: 5 });
    await limiter.consume("alice");
    vi.advanceTimersByTime(2_000);
    expect((await refusal(limiter.consume("alice"))).message).toBe("Too many requests: 1 per 5 s allowed; try again in 3 s");
    vi.advanceTimersByTime(3_000);
    await expect(limiter.consume("alice")).resolves.toBeUndefined();
  });

  it("rejects a window that is not a whole number of seconds", () => {
    expect(() => new RequestRateLimiter({ config: { requests_per_minute: 1 }, durationSeconds: 0.5 })).toThrow(RangeError);
  });
});
