import path from "node:path/posix";
import type { Mention } from "../entities/find-mentions.js";
import type { Candidate, IntentRule, RuleInput } from "../rule-input.js";

/**
 * Several files named in one request: "delete Downloads/report-final.zip and Downloads/report-old.zip",
 * "move a.txt, b.txt and c.txt to Documents". Every file named is acted on, and nothing else; when anything between
 * the names is not a plain list ("and", commas, "the", "file"), the rule does not read it, so nothing half-understood runs.
 */

const listGlue = /^(?:\s*(?:,|and|&|plus|as well as|also|the|file|files|both|both of|my)\s*)*$/;
const deleteVerb = /^(?:delete|remove|rm|trash|erase|get rid of|throw away|throw out|bin|discard)\s+/;
const transferVerb = /^(?:(move|mv|put)|(copy|cp|duplicate))\s+/;
const destinationWords = /^(?:to|into|in|onto|inside|under)$/;

/** The file-like mentions from `start` that make a plain list ending at `end`, or undefined when it is not one. */
function listedFiles(input: RuleInput, start: number, end: number): Mention[] | undefined {
  const files = input.mentions.filter((mention) => mention.start >= start && mention.end <= end);
  // "a.txt, b.txt and c.txt from the desktop": a place said for some of the names is not read here.
  if (files.length < 2 || files.some((mention) => !mention.fileLike || mention.kind === "here" || mention.bound !== undefined))
    return undefined;
  let at = start;
  for (const file of files) {
    if (!listGlue.test(input.lower.slice(at, file.start))) return undefined;
    at = file.end;
  }
  return listGlue.test(input.lower.slice(at, end).replace(/[.!?]+$/, "")) ? files : undefined;
}

/** The folder all the files are in (where a selection of them is taken from). */
function commonFolder(paths: readonly string[]): string {
  let folder = path.dirname(paths[0] ?? "/");
  while (!paths.every((file) => file.startsWith(`${folder}/`)) && folder !== "/") folder = path.dirname(folder);
  return folder;
}

/** files.delete, files.move or files.copy of exactly the files named. */
export const namedFilesRule: IntentRule = (input): Candidate | undefined => {
  const { lower } = input;
  const remove = deleteVerb.exec(lower);
  if (remove !== null) {
    const files = listedFiles(input, remove[0].length, lower.length);
    if (files === undefined) return undefined;
    const paths = files.map((file) => file.path);
    return { intent: "files.delete", confidence: 0.95, slots: { path: commonFolder(paths), files: paths } };
  }
  const transfer = transferVerb.exec(lower);
  if (transfer === null) return undefined;
  const destination = [...input.mentions]
    .reverse()
    .find((mention) => !mention.fileLike && mention.preposition !== undefined && destinationWords.test(mention.preposition));
  if (destination === undefined || destination.end < lower.replace(/[.!?]+$/, "").length) return undefined;
  const before = lower.slice(0, destination.start).replace(/\s+(?:the\s+|my\s+)?$/, "");
  const glueEnd = before.replace(/\s+(?:to|into|in|onto|inside|under)$/, "").length;
  if (glueEnd === before.length) return undefined;
  const files = listedFiles(input, transfer[0].length, glueEnd);
  if (files === undefined) return undefined;
  const paths = files.map((file) => file.path);
  return {
    intent: transfer[1] === undefined ? "files.copy" : "files.move",
    confidence: 0.95,
    slots: { source: commonFolder(paths), files: paths, destination: destination.path },
  };
};
