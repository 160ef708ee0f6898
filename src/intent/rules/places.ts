import type { Mention } from "../entities/find-mentions.js";
import type { RuleInput } from "../rule-input.js";

/** The folder a request is about: the first named place that is not a file. */
export function folderOf(input: RuleInput, from = 0): Mention | undefined {
  return input.mentions.find((mention) => mention.start >= from && !mention.fileLike);
}

/** The first named file or path of a request (a file if there is one). */
export function fileOf(input: RuleInput, from = 0): Mention | undefined {
  return (
    input.mentions.find((mention) => mention.start >= from && mention.fileLike) ??
    input.mentions.find((mention) => mention.start >= from && mention.kind === "path")
  );
}

/** The place a request names after a word such as "to" or "into", from `from` on. */
export function placeAfter(input: RuleInput, words: RegExp, from = 0): Mention | undefined {
  return input.mentions.find(
    (mention) => mention.start >= from && mention.preposition !== undefined && words.test(mention.preposition),
  );
}

/** Words that stand for the files of the previous turn ("them", "those files", "it"). */
export const backReference =
  /^(?:them|those|these|it|that|this|those files|these files|the files|the results|all of them|them all|all of those|all of these|all those|all these|all those files|all these files|all the files|both of them|them both|everything (?:you )?found|what you found|the ones you found|that file|this file|that one|the one you found)$/;
