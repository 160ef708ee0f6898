import type { ExistenceLookup, ParseContext } from "../parse-context.js";
import type { Mention } from "./find-mentions.js";
import { resolvePath } from "./resolve-path.js";

/** Words a name may be read across: this many after it, and this many before it. */
const wordsAfter = 7;
const wordsBefore = 4;
/** Punctuation that ends a clause after a name ("Pictures/Summer Trip, then…"), not part of it. */
const clauseEnd = /[,;:?!]+$/;

interface Word {
  start: number;
  end: number;
}

function wordsOf(text: string): Word[] {
  return [...text.matchAll(/\S+/g)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
}

/** A name as typed from `start` to `end`, without the punctuation that ends a clause; undefined when there is none. */
function spanText(text: string, start: number, end: number): { typed: string; end: number } | undefined {
  const raw = text.slice(start, end);
  const typed = raw.replace(clauseEnd, "");
  if (typed.trim() === "" || /^['"`]|['"`]$/.test(typed)) return undefined;
  return { typed, end: end - (raw.length - typed.length) };
}

/** A name's places: a path as typed, or a bare name in the working folder or one of the folders the request names. */
function placesOf(typed: string, context: ParseContext, folders: readonly string[]): string[] {
  if (/^(?:~|\/|\.{1,2}\/)/.test(typed)) return [resolvePath(typed, context)];
  return [resolvePath(typed, context), ...folders.map((folder) => `${folder}/${typed}`)];
}

interface Reading {
  start: number;
  end: number;
  typed: string;
  found: "file" | "folder";
}

/**
 * The readings of a name around a mention that name something on disk: "draft final.docx" for the mention
 * "final.docx", "Pictures/Summer Trip" for "Pictures/Summer", "Desktop/todo (copy).txt" for "Desktop/todo".
 */
function readingsAround(
  mention: Mention,
  text: string,
  words: readonly Word[],
  context: ParseContext,
  exists: ExistenceLookup,
  folders: readonly string[],
): Reading[] {
  const starts = [
    mention.start,
    ...words
      .filter((word) => word.end <= mention.start)
      .slice(-wordsBefore)
      .map((word) => word.start),
  ];
  const ends = [
    mention.end,
    ...words
      .filter((word) => word.start >= mention.end)
      .slice(0, wordsAfter)
      .map((word) => word.end),
  ];
  const readings: Reading[] = [];
  for (const start of starts) {
    for (const end of ends) {
      const span = spanText(text, start, end);
      if (span === undefined) continue;
      const found = placesOf(span.typed, context, folders)
        .map((place) => exists(place))
        .find((kind) => kind !== undefined);
      if (found !== undefined) readings.push({ start, end: span.end, typed: span.typed, found });
    }
  }
  return readings;
}

/**
 * With a lookup of what exists, a name typed without quotes is the longest span around a mention that names an
 * existing file or folder: the words of "rename draft final.docx in Documents" before "final.docx" are part of the
 * name when `Documents/draft final.docx` is there, even when `final.docx` is too. When two longest readings do not
 * hold one another (neither is part of the other), the mention is marked `ambiguous` and nothing should act on it.
 * Mentions the longer name covers are dropped; without a lookup, mentions are returned as they are.
 */
export function extendToExistingNames(
  mentions: Mention[],
  text: string,
  context: ParseContext,
  prepositionAt: (start: number) => string | undefined,
): Mention[] {
  const exists = context.exists;
  if (exists === undefined || mentions.length === 0) return mentions;
  const words = wordsOf(text);
  const folders = mentions.filter((mention) => !mention.fileLike && mention.kind !== "here").map((mention) => mention.path);
  let result = [...mentions];
  for (const mention of mentions) {
    if (!result.includes(mention) || (mention.kind !== "path" && mention.kind !== "file")) continue;
    if (/^['"`]/.test(text.slice(mention.start, mention.start + 1))) continue;
    const readings = readingsAround(mention, text, words, context, exists, folders);
    const longest = readings.reduce<Reading | undefined>(
      (best, reading) => (best === undefined || reading.end - reading.start > best.end - best.start ? reading : best),
      undefined,
    );
    if (longest === undefined || (longest.start === mention.start && longest.end === mention.end)) continue;
    const apart = readings.filter(
      (reading) =>
        reading.end - reading.start > mention.end - mention.start &&
        !(reading.start >= longest.start && reading.end <= longest.end) &&
        !(longest.start >= reading.start && longest.end <= reading.end),
    );
    const typed = longest.typed;
    const extended: Mention = {
      ...mention,
      start: longest.start,
      end: longest.end,
      path: resolvePath(typed, context),
      kind: typed.includes("/") || mention.kind === "path" ? "path" : "file",
      fileLike: longest.found === "file",
      ...(apart.length > 0 ? { ambiguous: [typed, ...apart.map((reading) => reading.typed)] } : {}),
    };
    if (longest.start !== mention.start) extended.preposition = prepositionAt(longest.start);
    result = result.filter((other) => other === mention || other.end <= longest.start || other.start >= longest.end);
    result[result.indexOf(mention)] = extended;
  }
  return result;
}
