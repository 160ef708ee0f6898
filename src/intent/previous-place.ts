import type { PreviousTurn } from "./rule-input.js";

/** Turns whose place is a folder the person saw or made: "there" and "into it" can stand for it next. */
const folderTurns = new Set([
  "files.list",
  "files.search",
  "files.mkdir",
  "files.organize",
  "files.duplicates",
  "files.disk_usage",
]);

/**
 * The folder an earlier turn was about, for "there", "in there", "that folder" (and "into it" after a folder was
 * made or listed): "what's in Downloads?" then "delete the zip files there" is Downloads; a move's or copy's is its
 * destination. Undefined when the turn named no folder.
 */
export function previousPlace(previous: PreviousTurn | undefined, wordsForIt: boolean): string | undefined {
  if (previous === undefined || previous.sameRequest === true) return undefined;
  const { path, destination } = previous.slots;
  if (previous.intent === "files.move" || previous.intent === "files.copy")
    return wordsForIt || typeof destination !== "string" ? undefined : destination;
  if (!folderTurns.has(previous.intent) || typeof path !== "string") return undefined;
  // "it" after a search is the files it found, never their folder; after a folder was made or listed, that folder.
  if (wordsForIt && previous.intent !== "files.mkdir" && previous.intent !== "files.list") return undefined;
  return path;
}

/** "there", "in there", "that folder", "the same folder": words that stand for the folder of the turn before. */
export const thereWords =
  /\b(?:(?:in|inside|from|of|under|into|to)\s+)?(?:there|that folder|that directory|the same folder|the same directory)\b|\b(?:in|inside|into|to)\s+it\b/;
