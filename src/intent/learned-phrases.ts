import { resolvePath } from "./entities/resolve-path.js";
import { normalizeRequest } from "./normalize-text.js";
import { destructiveIntents } from "./parse-context.js";
import { type Candidate, candidate, type IntentRule, type RuleInput } from "./rule-input.js";
import { builtinRules } from "./rules/all-rules.js";

/** A phrasing a plugin taught: its intent, and either a pattern with typed slots or plain words. */
interface LearnedPhrase {
  intent: string;
  pattern: RegExp | undefined;
  slots: Array<{ name: string; type: string }>;
  words: ReadonlySet<string>;
  text: string;
  /** Only a handler that just reads may match by similar words. */
  loose: boolean;
}

const slotPattern = /\{(\w+)(?::(text|word|number|path))?\}/g;
const stopWords = new Set([
  "a",
  "an",
  "the",
  "my",
  "me",
  "to",
  "of",
  "in",
  "on",
  "for",
  "is",
  "it",
  "i",
  "you",
  "please",
  "some",
  "any",
]);

function wordsOf(text: string): Set<string> {
  return new Set(text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0 && !stopWords.has(word)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const capture: Record<string, string> = {
  number: String.raw`(-?\d+(?:\.\d+)?)`,
  word: String.raw`(\S+)`,
  path: String.raw`(\S+)`,
  text: "(.+?)",
};

/**
 * What plugins teach the builtin engine through their handlers' `examples`: a plain phrase
 * ("will it rain tomorrow") matches requests with nearly the same words; a template
 * ("will it rain in {city}", "roll {count:number} dice", "show {file:path}") matches with its
 * slots filled and typed. Only read-only handlers match by similar words; the others need a template
 * or the exact phrase.
 */
export class LearnedPhrases {
  readonly #phrases: LearnedPhrase[] = [];
  readonly #exact = new Map<string, string>();

  learn(intent: string, examples: readonly string[], options: { readOnly?: boolean } = {}): void {
    const loose = options.readOnly === true && !destructiveIntents.has(intent);
    for (const example of examples) {
      const { lower } = normalizeRequest(example);
      if (lower === "") continue;
      const slots = [...lower.matchAll(slotPattern)].map((match) => ({ name: match[1] ?? "", type: match[2] ?? "text" }));
      if (slots.length === 0) {
        if (!this.#exact.has(lower)) this.#exact.set(lower, intent);
        this.#phrases.push({ intent, pattern: undefined, slots, words: wordsOf(lower), text: lower, loose });
        continue;
      }
      const parts = lower.split(slotPattern);
      let source = "";
      for (let index = 0; index < parts.length; index++) {
        if (index % 3 === 0) source += escapeRegExp(parts[index] ?? "").replace(/\s+/g, "\\s+");
        else if (index % 3 === 1) source += capture[parts[index + 1] ?? "text"] ?? capture.text;
      }
      this.#phrases.push({ intent, pattern: new RegExp(`^${source}$`, "i"), slots, words: new Set(), text: lower, loose });
    }
  }

  /**
   * The grammar rule these phrases make. A phrase never stands in for the builtin grammar's own reading of the
   * same intent: "how much memory do I have" (an example of system.info) is read by the grammar, with its topic,
   * so what `astros parse` shows is what runs.
   */
  readonly rule: IntentRule = (input: RuleInput): Candidate | undefined => {
    const found = this.#match(input);
    if (found === undefined || grammarReads(input, found.intent)) return undefined;
    return found;
  };

  #match(input: RuleInput): Candidate | undefined {
    const exact = this.#exact.get(input.lower);
    if (exact !== undefined) return candidate(exact, 0.9);
    let best: Candidate | undefined;
    const words = wordsOf(input.lower);
    for (const phrase of this.#phrases) {
      if (phrase.pattern !== undefined) {
        const match = phrase.pattern.exec(input.text);
        if (match === null) continue;
        const slots: Record<string, unknown> = {};
        phrase.slots.forEach((slot, index) => {
          const value = (match[index + 1] ?? "").trim();
          slots[slot.name] =
            slot.type === "number" ? Number(value) : slot.type === "path" ? resolvePath(value, input.context) : value;
        });
        const found = candidate(phrase.intent, 0.88, slots);
        if (best === undefined || found.confidence > best.confidence) best = found;
        continue;
      }
      if (!phrase.loose || phrase.words.size === 0) continue;
      let shared = 0;
      for (const word of phrase.words) if (words.has(word)) shared++;
      const similarity = shared / (phrase.words.size + words.size - shared);
      if (similarity >= 0.6) {
        const found = candidate(phrase.intent, 0.55 + 0.35 * similarity);
        if (best === undefined || found.confidence > best.confidence) best = found;
      }
    }
    return best;
  }
}

/** Whether a builtin grammar rule reads the request as this intent. */
function grammarReads(input: RuleInput, intent: string): boolean {
  return builtinRules.some((rule) => {
    try {
      return rule(input)?.intent === intent;
    } catch {
      return false;
    }
  });
}
