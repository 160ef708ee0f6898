import { randomBytes } from "node:crypto";
import type { DeferredQuestion } from "../agent/deferred-confirmation.js";

/** What a confirmation token stands for: one user's one action, exactly as it was asked about. */
export interface BoundConfirmation {
  userId: string;
  sessionId: string;
  /** The request that stopped at the question, to run again (a plan) with the yes given. */
  text: string;
  context: Record<string, unknown>;
  question: DeferredQuestion;
  expiresAt: number;
}

/**
 * Tokens a REST client confirms a DANGEROUS action (or a plan, or a plugin's consent) with. A token
 * is bound to the user and to the exact action (tool, arguments, command, steps): it confirms that
 * and nothing else, once, within a few minutes. Kept in this process's memory.
 */
export class ConfirmationTokens {
  readonly #tokens = new Map<string, BoundConfirmation>();

  constructor(
    private readonly ttlMilliseconds = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(binding: Omit<BoundConfirmation, "expiresAt">): { token: string; expiresAt: Date } {
    this.#sweep();
    const token = `confirm_${randomBytes(24).toString("base64url")}`;
    const expiresAt = this.now() + this.ttlMilliseconds;
    this.#tokens.set(token, { ...binding, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** The binding, used up, if the token is this user's and still fresh. */
  redeem(token: string, userId: string): BoundConfirmation | undefined {
    const binding = this.#tokens.get(token);
    if (binding === undefined || binding.userId !== userId) return undefined;
    this.#tokens.delete(token);
    return binding.expiresAt > this.now() ? binding : undefined;
  }

  #sweep(): void {
    const now = this.now();
    for (const [token, binding] of this.#tokens) if (binding.expiresAt <= now) this.#tokens.delete(token);
  }
}
