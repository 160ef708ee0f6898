import type { RateLimitsConfig } from "../../config/config-schema.js";
import { AstrOSError } from "../../core/errors/astros-error.js";
import { RateLimitError } from "../../core/errors/rate-limit-error.js";
import { createRateLimitedError, describeWindow } from "./create-rate-limited-error.js";
import { RateLimitCounter } from "./rate-limit-counter.js";
import { memoryRateLimitStore, type RateLimitStore } from "./rate-limit-store.js";

export interface LlmRateLimiterOptions {
  /**
   * `llm_requests_per_minute`: calls to the LLM per user per window; `llm_tokens_per_minute`:
   * tokens (prompt and completion) per user per window. 0 turns that limit off.
   */
  config: Pick<RateLimitsConfig, "llm_requests_per_minute" | "llm_tokens_per_minute">;
  /** Where the counts live. Default: this process's memory. */
  store?: RateLimitStore;
  /** Length of the window in whole seconds. Default 60, which the settings' names assume. */
  durationSeconds?: number;
}

export interface AcquireLlmCallOptions {
  userId: string;
  /** Tokens the call is expected to use, prompt and completion (rounded up). */
  estimatedTokens: number;
}

/** What `acquire` granted: hand it to `settle` once the call is over. */
export interface LlmRateLimitGrant {
  readonly userId: string;
  /** Tokens counted up front: the estimate, rounded up. */
  readonly estimatedTokens: number;
  /** When the token window they were counted in ends (epoch milliseconds); undefined when tokens are not limited. */
  readonly tokenWindowEndsAt: number | undefined;
}

export interface SettleLlmCallOptions {
  grant: LlmRateLimitGrant;
  /** Tokens the call really used, from the provider's usage report; 0 when it failed before using any. */
  actualTokens: number;
}

/**
 * Per-user limits on LLM calls: calls per minute and tokens per minute. Around each call:
 * `acquire` before it counts one call and the estimated tokens, or refuses; `settle` after it
 * replaces the estimate with what the provider reports.
 */
export class LlmRateLimiter {
  readonly #requests: RateLimitCounter | undefined;
  readonly #tokens: RateLimitCounter | undefined;
  readonly #unsettled = new WeakSet<LlmRateLimitGrant>();

  constructor(options: LlmRateLimiterOptions) {
    const store = options.store ?? memoryRateLimitStore;
    const durationSeconds = options.durationSeconds ?? 60;
    const counter = (name: string, points: number) =>
      points === 0 ? undefined : new RateLimitCounter({ store, name, points, durationSeconds });
    this.#requests = counter("llm-requests", options.config.llm_requests_per_minute);
    this.#tokens = counter("llm-tokens", options.config.llm_tokens_per_minute);
  }

  /**
   * Count one call and its estimated tokens for the user, before the call. Rejects with a
   * RateLimitError: `RATE_LIMITED` with `details.retryAfterSeconds` when either budget is spent
   * (a refused call counts nothing), `REQUEST_TOO_LARGE` when the estimate alone is more than
   * the whole token budget. A StorageError when the store cannot be reached: no count, no call.
   */
  async acquire(options: AcquireLlmCallOptions): Promise<LlmRateLimitGrant> {
    const { userId } = options;
    const estimatedTokens = wholeTokens(options.estimatedTokens, "estimatedTokens");
    const requests = this.#requests;
    const tokens = this.#tokens;
    if (tokens !== undefined && estimatedTokens > tokens.points) throw tooLarge(estimatedTokens, tokens);

    let requestWindowEndsAt: number | undefined;
    if (requests !== undefined) {
      const outcome = await requests.consume(userId, 1);
      if (!outcome.allowed) throw refusal("AI requests", "llm_requests_per_minute", requests, outcome.msBeforeNext);
      requestWindowEndsAt = outcome.windowEndsAt;
    }
    const giveBackRequest = async () => {
      if (requests !== undefined && requestWindowEndsAt !== undefined) await requests.reward(userId, 1, requestWindowEndsAt);
    };

    let tokenWindowEndsAt: number | undefined;
    if (tokens !== undefined) {
      const outcome = await tokens.consume(userId, estimatedTokens).catch(async (error: unknown) => {
        await giveBackRequest().catch(() => {});
        throw error;
      });
      if (!outcome.allowed) {
        // Counting back what was refused errs towards refusing if it fails: the count stays high.
        await Promise.allSettled([tokens.reward(userId, estimatedTokens, outcome.windowEndsAt), giveBackRequest()]);
        throw refusal("AI tokens", "llm_tokens_per_minute", tokens, outcome.msBeforeNext);
      }
      tokenWindowEndsAt = outcome.windowEndsAt;
    }
    const grant: LlmRateLimitGrant = { userId, estimatedTokens, tokenWindowEndsAt };
    this.#unsettled.add(grant);
    return grant;
  }

  /**
   * Correct the token count once the call is over: tokens used beyond the estimate are added
   * (even past the limit: the next acquire waits for them), tokens not used are given back while
   * the window they were counted in lasts. Each grant is settled once.
   */
  async settle(options: SettleLlmCallOptions): Promise<void> {
    const { grant } = options;
    const actualTokens = wholeTokens(options.actualTokens, "actualTokens");
    if (!this.#unsettled.has(grant)) {
      throw new AstrOSError("This LLM rate-limit grant is not this limiter's, or was settled already", {
        details: { userId: grant.userId },
      });
    }
    this.#unsettled.delete(grant);
    const tokens = this.#tokens;
    if (tokens === undefined || grant.tokenWindowEndsAt === undefined) return;
    const difference = actualTokens - grant.estimatedTokens;
    if (difference > 0) await tokens.penalty(grant.userId, difference);
    else if (difference < 0) await tokens.reward(grant.userId, -difference, grant.tokenWindowEndsAt);
  }
}

function wholeTokens(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number of tokens, 0 or more (got ${value})`);
  return Math.ceil(value);
}

function refusal(subject: string, setting: string, counter: RateLimitCounter, msBeforeNext: number): RateLimitError {
  return createRateLimitedError({
    subject,
    setting,
    allowed: counter.points,
    durationSeconds: counter.durationSeconds,
    msBeforeNext,
  });
}

function tooLarge(estimatedTokens: number, tokens: RateLimitCounter): RateLimitError {
  const window = describeWindow(tokens.durationSeconds);
  return new RateLimitError(
    `This AI request needs about ${estimatedTokens.toLocaleString("en-US")} tokens, more than the ` +
      `${tokens.points.toLocaleString("en-US")} ${window} allowed; waiting will not help`,
    {
      code: "REQUEST_TOO_LARGE",
      recovery:
        "Shorten the request or the context sent with it, or raise rate_limits.llm_tokens_per_minute in the configuration (0 turns the limit off).",
      details: {
        limit: "llm_tokens_per_minute",
        allowed: tokens.points,
        durationSeconds: tokens.durationSeconds,
        estimatedTokens,
      },
    },
  );
}
