import { type Intent, UNKNOWN_INTENT } from "../core/types/intent.js";
import type { UserRequest } from "../core/types/user-request.js";
import type { IntentMatch, IntentMatcher, IntentRecognizer } from "./intent-recognizer.js";
import { normalizeText } from "./normalize-text.js";

const greeting =
  /^(?:hi|hello|hey|hiya|howdy|yo|greetings|hallo|good (?:morning|afternoon|evening|day))(?: there| again| everyone| astros| friend)*$/;
const help =
  /^(?:help|help me|\?|what can you do|what do you do|what are you able to do|show (?:me )?(?:the )?help|(?:show|list|tell) (?:me )?(?:what|which) (?:commands|things|requests) you (?:understand|know|support|can do)|what commands (?:do you|can you) (?:understand|know|support)|how do i use (?:you|astros))$/;

/** Longest text the recognizer looks at; longer input is cut, never an error. */
const maximumLength = 10_000;

/**
 * The offline recognizer: small built-in grammar plus what plugins teach it (matchers and
 * example phrasings). The full engine with entity extraction arrives with the intent-engine work.
 */
export class BuiltinRecognizer implements IntentRecognizer {
  readonly #matchers = new Map<string, IntentMatcher[]>();
  readonly #examples = new Map<string, string>();

  async recognize(request: UserRequest): Promise<Intent> {
    const text = normalizeText(request.text.slice(0, maximumLength));
    const best = await this.#bestMatch(text, request);
    return {
      type: best?.type ?? UNKNOWN_INTENT,
      confidence: best?.match.confidence ?? 0,
      entities: best?.match.entities ?? {},
      context: { ...request.context },
      timestamp: request.timestamp,
      originalRequest: request,
    };
  }

  async #bestMatch(text: string, request: UserRequest): Promise<{ type: string; match: IntentMatch } | undefined> {
    let best: { type: string; match: IntentMatch } | undefined;
    const consider = (type: string, match: IntentMatch | undefined) => {
      if (match !== undefined && match.confidence > 0 && (best === undefined || match.confidence > best.match.confidence)) {
        best = { type, match };
      }
    };
    for (const [type, matchers] of this.#matchers) {
      for (const matcher of matchers) consider(type, await matcher(request));
    }
    if (greeting.test(text)) consider("greeting", { confidence: 0.95 });
    if (help.test(text)) consider("help", { confidence: 0.95 });
    const learned = this.#examples.get(text);
    if (learned !== undefined) consider(learned, { confidence: 0.9 });
    return best;
  }

  async extractEntities(_text: string): Promise<Record<string, unknown>> {
    return {};
  }

  registerIntentHandler(intentType: string, matcher: IntentMatcher): void {
    const list = this.#matchers.get(intentType) ?? [];
    list.push(matcher);
    this.#matchers.set(intentType, list);
  }

  learnExamples(intentType: string, examples: readonly string[]): void {
    for (const example of examples) {
      const text = normalizeText(example);
      if (text !== "" && !this.#examples.has(text)) this.#examples.set(text, intentType);
    }
  }
}
