import { correctWord } from "./correct-word.js";

/** A request made ready for matching: `lower` is `text` lower-cased, position for position. */
export interface Utterance {
  /** The whole request tidied, before politeness was dropped ("hello there" stays a greeting). */
  whole?: string;
  /** The whole request tidied, case and punctuation kept (for commands: `$ du -sh .`). */
  original?: string;
  /** The request as typed, tidied: single spaces, politeness and filler gone, typos fixed. Case kept. */
  text: string;
  /** `text` lower-cased, the same length, so a match in `lower` slices the same span of `text`. */
  lower: string;
  /** `text` before typo correction: the words as typed. */
  source?: string;
  corrections?: Correction[];
}

/** Longest text the recognizer looks at; longer input is cut, never an error. */
export const maximumRequestLength = 2_000;

const politePrefix =
  /^(?:(?:hey|hi|hello|ok|okay|yo|so|well|um+|uh+|oh|right|now|then|also|and|but|just|quickly|kindly|please|pls|plz|astros|computer)\b[\s,!:]*|(?:would|do) you mind\b\s*|(?:can|could|would|will|wo)(?:n't)? (?:you|u)(?: (?:please|kindly|just|quickly|maybe))?\b[\s,]*|(?:do you think )?you could\b\s*|i(?:'d| would) like (?:you )?to\b\s*|i (?:just |really |only )?(?:want|need|wanna) (?:you )?to\b\s*|i want you to\b\s*|help me(?: to)?\b\s*(?=\w)|let's\b\s*|go ahead and\b\s*|try to\b\s*|(?:permanently|completely|carefully|just|quickly|simply|now)\s+(?=[a-z])|(?:be a dear|be so kind as to) and?\s*)+/i;
const politeSuffix =
  /(?:[\s,]+(?:please|pls|plz|thanks|thank you|thx|for me|if you can|if possible|if you could|if that's possible|if that's ok|if that's okay|if you don't mind|when you get a chance|when you can|right now|now|asap|quickly|real quick|astros|buddy|mate|ok|okay|cheers|ta|thanks a lot|many thanks))+$/i;

/** Emoji, with the joiners and variation selectors that make one of several. */
const emojiRun = /(?:\p{Extended_Pictographic}|\u{fe0f}|\u{200d}|\p{Emoji_Modifier})+/gu;

/**
 * Whether an emoji is part of a name ("party🎉.txt", "Photos📷/beach.jpg"): it touches a letter, a digit, or a
 * name's punctuation. An emoji on its own ("delete it 🙏") is decoration and goes.
 */
function partOfName(all: string, at: number, length: number): boolean {
  const namePart = /[\p{L}\p{N}_./~-]/u;
  return namePart.test(all[at - 1] ?? "") || namePart.test(all[at + length] ?? "");
}

/** Lower-case each character without changing the length (the rare ones that grow stay as they are). */
/**
 * Punctuation that ends a sentence, not a path: the dots of a final `.` or `..` folder ("remove ~/Downloads/..")
 * are the path's own, so they stay (dropping them would name a different folder).
 */
const endPunctuation = /(?<!\/\.?)[\s.!?,;]+$/;

export function lowerSameLength(text: string): string {
  const lowered = text.toLowerCase();
  if (lowered.length === text.length) return lowered;
  let out = "";
  for (const character of text) {
    const low = character.toLowerCase();
    out += low.length === character.length ? low : character;
  }
  return out;
}

/**
 * Tidies a request for the grammar: Unicode forms folded, curly quotes straightened, control
 * characters dropped, white space single, politeness ("could you please…") and trailing
 * punctuation gone, then common typos and British spellings of the grammar's words corrected in
 * `text` and `lower`. `source` keeps the words as typed, for slots that quote the user.
 */
export function normalizeRequest(raw: string): Utterance {
  let text = raw
    .slice(0, maximumRequestLength)
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(emojiRun, (run: string, at: number, all: string) => (partOfName(all, at, run.length) ? run : " "))
    .replace(/\p{Cc}|[\u200b-\u200f\ufeff]/gu, " ")
    .replace(/\b([Rr])e-(name|organi[sz]e|move|start)\b/g, "$1e$2")
    .replace(/\s+/g, " ")
    .trim();
  const whole = lowerSameLength(text).replace(endPunctuation, "");
  const original = text;
  for (let guard = 0; guard < 4; guard++) {
    const before = text;
    text = text
      .replace(politePrefix, "")
      .replace(/^[\s,.!:;-]+/, "")
      .replace(endPunctuation, "")
      .replace(politeSuffix, "")
      .trim();
    if (text === before) break;
  }
  const source = text;
  const hasQuotes = /['"`]/.test(text);
  const corrections: Correction[] = [];
  let shift = 0;
  const corrected = text.replace(
    /(?<![\p{L}\p{M}\p{N}_./~'"`@$-])[A-Za-z']+(?![\p{L}\p{M}\p{N}_./@-]|'\w)/gu,
    (word, offset: number) => {
      if (hasQuotes && insideQuotes(source, offset)) return word;
      const fixed = correctWord(word);
      if (fixed !== word) {
        corrections.push({ at: offset + shift, length: fixed.length, sourceAt: offset, sourceLength: word.length });
        shift += fixed.length - word.length;
      }
      return fixed;
    },
  );
  return { text: corrected, lower: lowerSameLength(corrected), whole, original, source, corrections };
}

/** Where a typo was corrected: a span of `text` that stands for a span of `source`. */
export interface Correction {
  at: number;
  length: number;
  sourceAt: number;
  sourceLength: number;
}

function insideQuotes(text: string, offset: number): boolean {
  const before = text.slice(0, offset);
  return (before.split('"').length - 1) % 2 === 1 || (before.split("`").length - 1) % 2 === 1 || /(?:^|\s)'[^']*$/.test(before);
}

/** The position in `source` of a position in `text`. */
export function sourcePosition(corrections: readonly Correction[], position: number): number {
  let shift = 0;
  for (const correction of corrections) {
    if (position <= correction.at) break;
    if (position < correction.at + correction.length)
      return correction.sourceAt + (position === correction.at ? 0 : correction.sourceLength);
    shift += correction.sourceLength - correction.length;
  }
  return position + shift;
}
