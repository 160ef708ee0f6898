import { RateLimitError } from "../../../core/errors/rate-limit-error.js";

/** The RateLimitError an attempt was refused with; anything else (a success, another error) fails the test. */
export async function refusal(attempt: Promise<unknown>): Promise<RateLimitError> {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof RateLimitError)) throw new Error(`expected a RateLimitError, got ${String(error)}`);
  return error;
}
