import path from "node:path/posix";
import type { Candidate, IntentRule } from "../rule-input.js";

/**
 * Creating files and folders as people say it, where the general write and mkdir rules read it wrong:
 * - "write the following to notes/today.md: standup at 10": the text is what follows the colon, never "the following";
 * - "create an empty file named TODO.md here": a file with no text at all (an empty content is a content);
 * - "make the directory projects/newapp/src": a folder (with its parents), never the `make` program.
 */

/** A candidate with an empty text kept (`candidate()` drops empty slots, and an empty file's text is empty). */
function writeCandidate(confidence: number, slots: { path: string; content: string; append?: boolean }): Candidate {
  return {
    intent: "files.write",
    confidence,
    slots: { path: slots.path, content: slots.content, ...(slots.append === true ? { append: true } : {}) },
  };
}

const following =
  /^(?:please\s+)?(write|put|save|add|append|type|insert)\s+(?:down\s+)?(?:the\s+following|this|these\s+lines?|this\s+line|the\s+(?:text|line|lines|words?)\s+below|what\s+follows)(?:\s+(?:text|lines?|words?|note))?\s+(?:to|into|in|inside|at\s+the\s+end\s+of|on)\s+(?:the\s+(?:end\s+of\s+(?:the\s+)?)?)?(?:file\s+)?(.+?)\s*:\s*(.+)$/is;

/** files.write: "write the following to notes/today.md: standup at 10, lunch with Mira". */
export const writeFollowingRule: IntentRule = (input) => {
  const match = following.exec(input.text);
  if (match === null) return undefined;
  const colon = match.index + match[0].length - (match[3]?.length ?? 0);
  const file = input.mentions.find((mention) => mention.end <= colon && (mention.fileLike || mention.kind === "path"));
  const content = (match[3] ?? "").trim().replace(/^(['"`])(.*)\1$/s, "$2");
  if (file === undefined || !file.fileLike || content === "") return undefined;
  return writeCandidate(0.95, { path: file.path, content, append: /^(?:add|append)$/i.test(match[1] ?? "") });
};

const emptyFile =
  /^(?:please\s+)?(?:create|make|add|start|new|give me|i (?:want|need))\s+(?:me\s+)?(?:a|an)?\s*(?:new\s+)?(?:empty|blank)\s+(?:new\s+)?(?:text\s+)?file\b(?:\s+(?:called|named|titled))?\s+(.+?)$/i;

/** files.write with no text: "create an empty file named TODO.md here", "make a blank file notes.txt in Documents". */
export const emptyFileRule: IntentRule = (input) => {
  const match = emptyFile.exec(input.text);
  if (match === null) return undefined;
  const file = input.mentions.find((mention) => mention.fileLike);
  if (file === undefined) return undefined;
  // Anything but the name and where it goes ("with the text …") is a file with text: the general rule reads that.
  const rest = input.lower.slice(file.end).trim();
  if (rest !== "" && !/^(?:(?:in|on|inside|under|into|to)\s+.+|here|right here|in here)[.!]?$/.test(rest)) return undefined;
  const place = input.mentions.find((mention) => mention.start > file.end && !mention.fileLike);
  const where =
    file.kind === "file" && file.bound === undefined && place !== undefined && place.kind !== "here"
      ? path.join(place.path, path.basename(file.path))
      : file.path;
  return writeCandidate(0.94, { path: where, content: "" });
};

const makeFolder =
  /^(?:please\s+)?(?:make|create|add|set up)\s+(?:the|that|this|a\s+new|new)?\s*(?:sub)?(?:folder|directory|dir)\s+(?:called\s+|named\s+)?(['"]?)([^'"\s]+)\1\s*[.!]?$/i;

/** files.mkdir: "make the directory projects/newapp/src", "create the folder ~/backups/2024". */
export const makeFolderRule: IntentRule = (input) => {
  const match = makeFolder.exec(input.text);
  // A path ("projects/newapp/src", "~/backups") or a name said as one ("called backups"): "make the folder private" is no name.
  if (match === null || (!/[/~]/.test(match[2] ?? "") && !/\b(?:called|named)\s/i.test(input.text))) return undefined;
  const place = input.mentions.find((mention) => !mention.fileLike && mention.kind !== "here");
  if (place === undefined || !input.text.slice(place.start, place.end).includes(match[2] ?? "\0")) return undefined;
  return { intent: "files.mkdir", confidence: 0.94, slots: { path: place.path } };
};

const severalFolders =
  /^(?:please\s+)?(?:make|create|add|set up)\s+(?:the|some|these|three|two|four|new)?\s*(?:new\s+)?(?:sub)?(?:folders|directories|dirs)\s+(?:called\s+|named\s+)?([\w@+.-]+(?:\s*,\s*[\w@+.-]+)*,?\s+and\s+[\w@+.-]+)(?:\s+(?:in|inside|under|within|at)\s+(.+?))?\s*[.!]?$/i;

/** files.mkdir of several folders: "create the folders src, tests and docs inside projects/widget". */
export const severalFoldersRule: IntentRule = (input) => {
  const match = severalFolders.exec(input.text);
  if (match === null) return undefined;
  const listAt = match.index + match[0].indexOf(match[1] ?? "");
  // The names as typed ("docs" stays docs, not a corrected word).
  const names = input
    .original(listAt, listAt + (match[1]?.length ?? 0))
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .filter((name) => name !== "");
  if (names.length < 2 || names.some((name) => /^(?:the|a|an|and|in|on)$/i.test(name) || /^\.+$/.test(name))) return undefined;
  let parent = input.context.cwd;
  if (match[2] !== undefined) {
    const placeAt = match[0].length - match[2].length - (match[0].length - match[0].trimEnd().length);
    const place = input.mentions.find((mention) => !mention.fileLike && mention.start >= placeAt - 1);
    // The place must be all that follows "in": "in projects/widget", "inside my Documents folder".
    if (place === undefined || input.lower.slice(place.end).replace(/[\s.!]+$/, "") !== "") return undefined;
    if (place.kind !== "here") parent = place.path;
  }
  const [first, ...more] = names.map((name) => path.join(parent, name));
  if (first === undefined) return undefined;
  return { intent: "files.mkdir", confidence: 0.95, slots: { path: first, paths: more } };
};
