import type { ParseContext } from "../parse-context.js";
import type { Mention } from "./find-mentions.js";
import { resolvePath } from "./resolve-path.js";

/** A word that may be part of a name: letters and digits of any script, and the marks names carry. */
const nameWord = /^[\p{L}\p{M}\p{N}_(][\p{L}\p{M}\p{N}_.()&'+#@,-]*\/?$/u;
/**
 * Words that carry on the request rather than the name ("to Documents/Old by date", "into ~/Backup and then…",
 * "to ~/Archive older than a month"): a destination stops before them.
 */
const requestWords = new Set([
  "and",
  "or",
  "then",
  "but",
  "if",
  "when",
  "unless",
  "except",
  "without",
  "with",
  "from",
  "in",
  "inside",
  "on",
  "at",
  "as",
  "for",
  "of",
  "by",
  "so",
  "too",
  "instead",
  "first",
  "please",
  "now",
  "again",
  "also",
  "only",
  "just",
  "keeping",
  "keep",
  "overwriting",
  "replacing",
  "named",
  "called",
  "recursively",
  "that",
  "which",
  "who",
  "where",
  "older",
  "newer",
  "bigger",
  "larger",
  "smaller",
  "than",
  "over",
  "under",
  "before",
  "after",
  "since",
  "today",
  "tomorrow",
  "yesterday",
  "tonight",
  "folder",
  "directory",
  "dir",
  "files",
  "file",
  "there",
  "here",
  "it",
  "them",
  "all",
  "every",
  "everything",
  "is",
  "are",
  "was",
  "do",
  "don't",
  "not",
  "no",
  "yes",
  "ok",
  "okay",
  "thanks",
  "thank",
  "afterwards",
  "later",
  "quickly",
  "right",
  "away",
  "safely",
  "dated",
  "modified",
  "created",
  "sorted",
  "grouped",
  "organized",
  "each",
  "one",
]);
/** The leading verb of a request that takes things somewhere: "put x in ~/Old Stuff" names a destination with "in". */
const transferVerb = /^(?:move|mv|put|copy|cp|place|stick|drop|save|duplicate|back up|backup|transfer|send|shift|relocate)\b/i;

/**
 * A destination that ends the request takes all its remaining words, since they are its name: "copy the pdfs to
 * Documents/Text Backup", "move them into Pictures/Old Screenshots", "copy them to Pictures/From Desktop". Only for
 * a path typed with a `/` after "to", "into" or "onto" (or "in" after a verb that takes things somewhere), and only
 * when every remaining word can be a name's word and none carries on the request ("by date", "and then…").
 */
export function nameToTheEnd(mentions: Mention[], text: string, context: ParseContext): Mention[] {
  const last = mentions.findLast((mention) => mention.kind === "path");
  if (last === undefined || last.kind !== "path" || last.fileLike || last.ambiguous !== undefined) return mentions;
  const typed = text.slice(last.start, last.end);
  if (!typed.includes("/") || typed.endsWith("/") || /^['"`]/.test(typed)) return mentions;
  const destination =
    last.preposition === "to" ||
    last.preposition === "into" ||
    last.preposition === "onto" ||
    ((last.preposition === "in" || last.preposition === "inside") && transferVerb.test(text));
  if (!destination) return mentions;
  const rest = text.slice(last.end);
  const words = rest.trim().split(" ");
  if (!/^\s/.test(rest) || rest.trim() === "" || words.length > 6) return mentions;
  if (words.some((word) => !nameWord.test(word) || requestWords.has(word.toLowerCase()))) return mentions;
  const end = text.length - (rest.length - rest.trimEnd().length);
  const whole = text.slice(last.start, end).replace(/[,]+$/, "");
  const others = mentions.filter((mention) => mention.end <= last.start);
  return [...others, { ...last, end: last.start + whole.length, path: resolvePath(whole, context) }];
}
