import type { Intent } from "../core/types/intent.js";
import type { Response } from "../core/types/response.js";
import type { UserRequest } from "../core/types/user-request.js";

/** What a custom matcher returns for a request it recognises. */
export interface IntentMatch {
  /** 0..1 */
  confidence: number;
  entities?: Record<string, unknown>;
}

/** A custom recognition rule for one intent type; undefined when the request is not for it. */
export type IntentMatcher = (request: UserRequest) => IntentMatch | undefined | Promise<IntentMatch | undefined>;

/** Turns a request into an Intent. The builtin engine and the LLM recognizer both implement it. */
export interface IntentRecognizer {
  recognize(request: UserRequest): Promise<Intent>;
  extractEntities(text: string): Promise<Record<string, unknown>>;
  /** Add a custom matcher for an intent type (plugins teach the recognizer this way). */
  registerIntentHandler(intentType: string, matcher: IntentMatcher): void;
  /** Teach example phrasings of an intent (from plugin handlers' `examples`). */
  learnExamples(intentType: string, examples: readonly string[], options?: { readOnly?: boolean }): void;
  /** What came of a request (so a follow-up such as "delete them" can act on the files it found). */
  observeResult?(request: UserRequest, response: Response): void;
}
