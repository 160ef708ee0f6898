import { RateLimitError } from "../../core/errors/rate-limit-error.js";

export interface CreateRateLimitedErrorOptions {
  /** What was counted, as a person says it: `requests`, `AI requests`, `AI tokens`. */
  subject: string;
  /** The configuration setting behind the limit, e.g. `requests_per_minute`. */
  setting: string;
  /** How many the limit allows per window. */
  allowed: number;
  durationSeconds: number;
  /** Milliseconds until the window resets (from rate-limiter-flexible). */
  msBeforeNext: number;
}

/** Whole seconds to wait, rounded up and at least 1, for messages and the HTTP `Retry-After` header. */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

/** "per minute", or "per 5 s" for other windows. */
export function describeWindow(durationSeconds: number): string {
  return durationSeconds === 60 ? "per minute" : `per ${durationSeconds} s`;
}

/** The refusal a person reads: "Too many requests: 120 per minute allowed; try again in 14 s". */
export function createRateLimitedError(options: CreateRateLimitedErrorOptions): RateLimitError {
  const seconds = retryAfterSeconds(options.msBeforeNext);
  const allowed = options.allowed.toLocaleString("en-US");
  return new RateLimitError(
    `Too many ${options.subject}: ${allowed} ${describeWindow(options.durationSeconds)} allowed; try again in ${seconds} s`,
    {
      recovery: `Wait ${seconds} s, or raise rate_limits.${options.setting} in the configuration (0 turns the limit off).`,
      details: {
        limit: options.setting,
        allowed: options.allowed,
        durationSeconds: options.durationSeconds,
        retryAfterSeconds: seconds,
      },
    },
  );
}
