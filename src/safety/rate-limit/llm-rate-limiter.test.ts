import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AstrOSError } from "../../core/errors/astros-error.js";
import { LlmRateLimiter, type LlmRateLimitGrant } from "./llm-rate-limiter.js";
import { refusal } from "./testing/expect-refusal.js";

const limiter = (requests: number, tokens: number) =>
  new LlmRateLimiter({ config: { llm_requests_per_minute: requests, llm_tokens_per_minute: tokens } });

describe("LlmRateLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2025-01-01T00:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("refuses the call after llm_requests_per_minute calls with the seconds until the minute is over", async () => {
    const llm = limiter(2, 0);
    await llm.acquire({ userId: "alice", estimatedTokens: 10 });
    await llm.acquire({ userId: "alice", estimatedTokens: 10 });
    vi.advanceTimersByTime(30_000);
    const error = await refusal(llm.acquire({ userId: "alice", estimatedTokens: 10 }));
    expect(error.message).toBe("Too many AI requests: 2 per minute allowed; try again in 30 s");
    expect(error).toMatchObject({ code: "RATE_LIMITED", httpStatus: 429, retryAfterSeconds: 30 });
    expect(error.details).toMatchObject({ limit: "llm_requests_per_minute", allowed: 2 });
  });

  it("refuses a call whose estimate would pass the token budget, and counts nothing for it", async () => {
    const llm = limiter(2, 1000);
    await llm.acquire({ userId: "alice", estimatedTokens: 600 });
    vi.advanceTimersByTime(20_000);
    const error = await refusal(llm.acquire({ userId: "alice", estimatedTokens: 500 }));
    expect(error.message).toBe("Too many AI tokens: 1,000 per minute allowed; try again in 40 s");
    expect(error.details).toMatchObject({ limit: "llm_tokens_per_minute", allowed: 1000, retryAfterSeconds: 40 });
    // Neither the refused call nor its tokens were counted: one more call of 400 tokens fits both budgets.
    await expect(llm.acquire({ userId: "alice", estimatedTokens: 400 })).resolves.toMatchObject({ estimatedTokens: 400 });
    await refusal(llm.acquire({ userId: "alice", estimatedTokens: 0 }));
  });

  it("fails at once with REQUEST_TOO_LARGE when the estimate is more than the whole token budget", async () => {
    const llm = limiter(30, 1000);
    const error = await refusal(llm.acquire({ userId: "alice", estimatedTokens: 1001 }));
    expect(error.message).toBe(
      "This AI request needs about 1,001 tokens, more than the 1,000 per minute allowed; waiting will not help",
    );
    expect(error).toMatchObject({ code: "REQUEST_TOO_LARGE", httpStatus: 413, retryAfterSeconds: undefined });
    expect(error.recovery).toMatch(/raise rate_limits\.llm_tokens_per_minute/);
    await expect(llm.acquire({ userId: "alice", estimatedTokens: 1000 })).resolves.toMatchObject({ estimatedTokens: 1000 });
  });

  it("settles tokens used beyond the estimate, so the next call waits for them", async () => {
    const llm = limiter(30, 1000);
    const grant = await llm.acquire({ userId: "alice", estimatedTokens: 100 });
    await llm.settle({ grant, actualTokens: 950 });
    await refusal(llm.acquire({ userId: "alice", estimatedTokens: 100 }));
    await expect(llm.acquire({ userId: "alice", estimatedTokens: 50 })).resolves.toBeDefined();
  });

  it("settles usage past the limit and refuses every call until the minute is over", async () => {
    const llm = limiter(30, 1000);
    const grant = await llm.acquire({ userId: "alice", estimatedTokens: 500 });
    await llm.settle({ grant, actualTokens: 1500 });
    vi.advanceTimersByTime(10_000);
    expect((await refusal(llm.acquire({ userId: "alice", estimatedTokens: 0 }))).retryAfterSeconds).toBe(50);
    vi.advanceTimersByTime(50_000);
    await expect(llm.acquire({ userId: "alice", estimatedTokens: 1000 })).resolves.toBeDefined();
  });

  it("settles tokens not used by giving them back", async () => {
    const llm = limiter(30, 1000);
    const grant = await llm.acquire({ userId: "alice", estimatedTokens: 900 });
    await llm.settle({ grant, actualTokens: 100 });
    await expect(llm.acquire({ userId: "alice", estimatedTokens: 900 })).resolves.toBeDefined();
    await refusal(llm.acquire({ userId: "alice", estimatedTokens: 1 }));
  });

  it("gives nothing back to the next minute when the call outlasted the one it was counted in", async () => {
    const llm = limiter(30, 1000);
    const grant = await llm.acquire({ userId: "alice", estimatedTokens: 900 });
    vi.advanceTimersByTime(61_000);
    await llm.settle({ grant, actualTokens: 0 });
    await llm.acquire({ userId: "alice", estimatedTokens: 1000 });
    await refusal(llm.acquire({ userId: "alice", estimatedTokens: 1 }));
  });

  it("settles each grant once, and only its own", async () => {
    const llm = limiter(30, 1000);
    const grant = await llm.acquire({ userId: "alice", estimatedTokens: 900 });
    await llm.settle({ grant, actualTokens: 0 });
    await expect(llm.settle({ grant, actualTokens: 0 })).rejects.toThrow(/settled already/);
    const forged: LlmRateLimitGrant = { userId: "alice", estimatedTokens: 1000, tokenWindowEndsAt: Date.now() + 60_000 };
    await expect(llm.settle({ grant: forged, actualTokens: 0 })).rejects.toSatisfy(AstrOSError.isInstance);
    // Neither attempt gave tokens back: only the first settle's 900 did.
    await llm.acquire({ userId: "alice", estimatedTokens: 1000 });
    await refusal(llm.acquire({ userId: "alice", estimatedTokens: 1 }));
  });

  it("keeps each user's budgets apart", async () => {
    const llm = limiter(1, 1000);
    await llm.acquire({ userId: "alice", estimatedTokens: 1000 });
    await refusal(llm.acquire({ userId: "alice", estimatedTokens: 0 }));
    await expect(llm.acquire({ userId: "bob", estimatedTokens: 1000 })).resolves.toMatchObject({ userId: "bob" });
  });

  it("rounds fractional estimates and usage up to whole tokens", async () => {
    const llm = limiter(30, 1000);
    const grant = await llm.acquire({ userId: "alice", estimatedTokens: 499.2 });
    expect(grant.estimatedTokens).toBe(500);
    await llm.settle({ grant, actualTokens: 999.1 });
    await refusal(llm.acquire({ userId: "alice", estimatedTokens: 1 }));
  });

  it("refuses negative or non-numeric token counts", async () => {
    const llm = limiter(30, 1000);
    await expect(llm.acquire({ userId: "alice", estimatedTokens: -1 })).rejects.toThrow(RangeError);
    await expect(llm.acquire({ userId: "alice", estimatedTokens: Number.NaN })).rejects.toThrow(RangeError);
    const grant = await llm.acquire({ userId: "alice", estimatedTokens: 10 });
    await expect(llm.settle({ grant, actualTokens: Number.POSITIVE_INFINITY })).rejects.toThrow(RangeError);
  });

  it("never refuses when both limits are 0, whatever the estimate", async () => {
    const llm = limiter(0, 0);
    for (let call = 0; call < 1000; call++) {
      const grant = await llm.acquire({ userId: "alice", estimatedTokens: 10_000_000 });
      await llm.settle({ grant, actualTokens: 20_000_000 });
    }
  });

  it("limits calls alone when llm_tokens_per_minute is 0, and tokens alone when llm_requests_per_minute is 0", async () => {
    const callsOnly = limiter(1, 0);
    await callsOnly.acquire({ userId: "alice", estimatedTokens: 10_000_000 });
    await refusal(callsOnly.acquire({ userId: "alice", estimatedTokens: 0 }));
    const tokensOnly = limiter(0, 1000);
    for (let call = 0; call < 100; call++) await tokensOnly.acquire({ userId: "alice", estimatedTokens: 10 });
    await refusal(tokensOnly.acquire({ userId: "alice", estimatedTokens: 1 }));
  });
});
