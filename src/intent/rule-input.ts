import { findMentions, type Mention } from "./entities/find-mentions.js";
import { findQuoted, type Quoted } from "./entities/find-quoted.js";
import { type Correction, sourcePosition, type Utterance } from "./normalize-text.js";
import type { ParseContext } from "./parse-context.js";
import { previousPlace, thereWords } from "./previous-place.js";

/** The intent and slots of an earlier turn, for follow-ups ("now do the same for Desktop", "delete them"). */
export interface PreviousTurn {
  intent: string;
  slots: Record<string, unknown>;
  /** The files that turn found or changed, when its answer named them. */
  files?: string[];
  /** The processes that turn found (their pids), when its answer named them: what "stop it" stands for. */
  pids?: number[];
  /** Not a turn: the rest of the same long request ("my Downloads is a mess, can you sort it"). */
  sameRequest?: boolean;
  /** With `sameRequest`: the rest of the request's words. */
  rest?: string;
}

/** One reading of a request: an intent with its slots and how sure the grammar is of it. */
export interface Candidate {
  intent: string;
  confidence: number;
  slots: Record<string, unknown>;
}

/** A grammar rule: a reading of the request, or undefined when the rule does not apply. */
export type IntentRule = (input: RuleInput) => Candidate | undefined;

/** What rules read: the tidied request, where it was said from, and entities found on demand. */
export class RuleInput {
  readonly text: string;
  readonly lower: string;
  /** The whole request lower-cased, politeness included. */
  readonly whole: string;
  /** The whole request as typed, tidied (case, politeness and punctuation kept). */
  readonly typed: string;
  readonly context: ParseContext;
  readonly previous: PreviousTurn | undefined;
  readonly #source: string;
  readonly #corrections: readonly Correction[];
  #quoted: Quoted[] | undefined;
  #mentions: Mention[] | undefined;

  constructor(utterance: Utterance, context: ParseContext, previous?: PreviousTurn) {
    this.text = utterance.text;
    this.lower = utterance.lower;
    this.whole = utterance.whole ?? utterance.lower;
    this.typed = utterance.original ?? utterance.text;
    this.context = context;
    this.previous = previous;
    this.#source = utterance.source ?? utterance.text;
    this.#corrections = utterance.corrections ?? [];
  }

  /** The words as typed (before typo correction) of a span of `text`. */
  original(start: number, end: number): string {
    if (this.#corrections.length === 0) return this.text.slice(start, end);
    return this.#source.slice(sourcePosition(this.#corrections, start), sourcePosition(this.#corrections, end));
  }

  /** A phrase taken from `text`, as the user typed it (typos and spellings kept). */
  keep(value: string | undefined): string | undefined {
    if (value === undefined || this.#corrections.length === 0) return value;
    const at = this.text.indexOf(value);
    return at === -1 ? value : this.original(at, at + value.length);
  }

  get quoted(): Quoted[] {
    this.#quoted ??= findQuoted(this.text);
    return this.#quoted;
  }

  get mentions(): Mention[] {
    if (this.#mentions === undefined) {
      this.#mentions = findMentions({ text: this.text, lower: this.lower }, this.context, this.quoted);
      const earlier = this.previous?.sameRequest === true ? this.previous.slots.path : undefined;
      const there =
        /\b(?:in|inside|from|of|under|into)\s+(?:there|it|that folder|that directory|that one)\b|\b(?:organi[sz]e|sort|tidy|arrange|group|grouping|clean|delete|remove|trash|list)\s+(?:up\s+)?(?:it|them|that folder|that directory)\b/.exec(
          this.lower,
        );
      if (typeof earlier === "string" && there !== null && !this.#mentions.some((mention) => !mention.fileLike)) {
        const start = there.index + there[0].lastIndexOf(" ") + 1;
        this.#mentions.push({
          start,
          end: there.index + there[0].length,
          path: earlier,
          kind: "folder",
          fileLike: false,
          preposition: /^(?:in|inside|from|of|under|into)\b/.exec(there[0])?.[0],
        });
        this.#mentions.sort((a, b) => a.start - b.start);
      } else {
        this.#addPreviousPlace(this.#mentions);
      }
    }
    return this.#mentions;
  }

  /** "delete the zip files there", "move the pdfs into it": the folder of the turn before, as a named place. */
  #addPreviousPlace(mentions: Mention[]): void {
    const words = thereWords.exec(this.lower);
    if (words === null) return;
    const end = words.index + words[0].length;
    if (mentions.some((mention) => mention.start < end && mention.end > words.index)) return;
    const saysIt = /\bit$/.test(words[0]);
    const place = previousPlace(this.previous, saysIt);
    // "add bananas to it" after a turn about one file (made, read, or the one found): "it" is that file.
    const file = place === undefined && saysIt ? theOneFile(this.previous) : undefined;
    if (place === undefined && file === undefined) return;
    mentions.push({
      // The file is the word "it" itself; a folder, its words with the preposition.
      start: place === undefined ? end - 2 : words.index,
      end,
      path: place ?? file ?? "",
      kind: place === undefined ? "file" : "folder",
      fileLike: place === undefined,
      preposition: /^(?:in|inside|from|of|under|into|to)\b/.exec(words[0])?.[0] ?? "in",
    });
    mentions.sort((a, b) => a.start - b.start);
  }

  /** Whether a position of the request is inside a quoted span or a named place. */
  isCovered(index: number): boolean {
    return (
      this.quoted.some((quote) => index >= quote.start && index < quote.end) ||
      this.mentions.some((mention) => index >= mention.start && index < mention.end)
    );
  }

  /** The original-case text of a span of `lower`. */
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }
}

/** The one file an earlier turn made, read or found, if it was about exactly one. */
function theOneFile(previous: PreviousTurn | undefined): string | undefined {
  if (previous === undefined || previous.sameRequest === true) return undefined;
  return previous.files?.length === 1 ? previous.files[0] : undefined;
}

export function candidate(intent: string, confidence: number, slots: Record<string, unknown> = {}): Candidate {
  const defined = Object.fromEntries(Object.entries(slots).filter(([, value]) => value !== undefined && value !== ""));
  return { intent, confidence, slots: defined };
}
