import type { RuleInput } from "../rule-input.js";

/** Politeness, determiners and small words any request may carry. */
const commonWords =
  "a an the my your this that these those it its them me i you we us our please pls plz kindly can could would will you just now quickly for and also then thanks thank ok okay hey hi so up".split(
    " ",
  );

/**
 * The words of a request outside the places it names and its quotes that are not in `known` (nor common filler):
 * "zip the Tax Returns folder in Documents" read as zipping Documents leaves "tax", "returns". A rule whose reading
 * would change files, with words left over, reads nothing: a name it did not take may be what was meant.
 */
export function wordsLeftOver(
  input: RuleInput,
  known: ReadonlySet<string>,
  spans: ReadonlyArray<{ start: number; end: number }> = [],
): string[] {
  const covered = (at: number) => input.isCovered(at) || spans.some((span) => at >= span.start && at < span.end);
  const left: string[] = [];
  for (const match of input.lower.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'.+-]*/gu)) {
    if (covered(match.index)) continue;
    const word = match[0].replace(/[.'-]+$/, "").replace(/'s$/, "");
    if (word === "" || /^\d+$/.test(word) || known.has(word) || commonWords.includes(word)) continue;
    left.push(word);
  }
  return left;
}

/** A set of known words from space-separated lists. */
export function wordSet(...lists: string[]): ReadonlySet<string> {
  return new Set(lists.flatMap((list) => list.split(/\s+/)).filter((word) => word !== ""));
}
