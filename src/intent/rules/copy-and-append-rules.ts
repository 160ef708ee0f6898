import path from "node:path/posix";
import type { Candidate, IntentRule } from "../rule-input.js";

/**
 * Two everyday file changes the general write and copy rules read wrong:
 * - "add a line 'call the plumber' to the end of Desktop/notes.txt", "put X at the bottom of F": one line added at the end;
 * - "duplicate Documents/budget.xlsx as budget-backup.xlsx", "make a copy of F called G": a copy with a new name,
 *   beside the original (a new name without a folder goes where the original is).
 */

const lineText = String.raw`(?:'([^']+)'|"([^"]+)"|\x60([^\x60]+)\x60|(.+?))`;
const appendAtEnd = new RegExp(
  String.raw`^(?:add|append|put|write|insert|stick|tack)\s+(?:on\s+)?(?:(?:a|the|one|another|a\s+new|this)\s+(?:new\s+)?(?:line|entry|item|note)\s+(?:saying\s+|that\s+says\s+|reading\s+)?)?${lineText}\s+(?:(?:to|at|on|onto)\s+(?:the\s+)?(?:very\s+)?(?:end|bottom)\s+of|to\s+the\s+bottom\s+of|onto)\s+(?:the\s+)?(?:file\s+)?(\S+)(?:\s+file)?$`,
  "i",
);

/** files.write appending one line: "add a line 'call the plumber' to the end of Desktop/notes.txt". */
export const appendLineRule: IntentRule = (input) => {
  const match = appendAtEnd.exec(input.text);
  if (match === null) return undefined;
  const content = match[1] ?? match[2] ?? match[3] ?? match[4];
  if (content === undefined || content.trim() === "") return undefined;
  const fileAt = input.text.length - (match[5]?.length ?? 0) - (/\s+file$/i.test(input.text) ? 5 : 0);
  const file = input.mentions.find((mention) => mention.fileLike && mention.start >= fileAt - 1);
  if (file === undefined) return undefined;
  return {
    intent: "files.write",
    confidence: 0.95,
    slots: { path: file.path, content: content.trim(), append: true, line: true },
  };
};

const copyAs =
  /^(?:duplicate|copy|clone|make\s+(?:a|another)\s+(?:backup\s+)?copy\s+of|create\s+a\s+(?:backup\s+)?copy\s+of|save\s+a\s+copy\s+of)\s+(?:the\s+file\s+)?(\S+)\s+(?:as|called|named|and\s+(?:call|name)\s+it|under\s+the\s+name|with\s+the\s+name)\s+(?:'([^']+)'|"([^"]+)"|([^\s'"/]+))$/i;

/** files.copy to a new name beside the original: "duplicate Documents/budget.xlsx as budget-backup.xlsx". */
export const copyAsRule: IntentRule = (input): Candidate | undefined => {
  const match = copyAs.exec(input.text);
  if (match === null) return undefined;
  const name = (match[2] ?? match[3] ?? match[4] ?? "").replace(/[?.!]+$/, "");
  if (name === "" || name.includes("/") || !/\.\w/.test(name)) return undefined;
  const sourceEnd = match[0].indexOf(match[1] ?? "\0") + (match[1]?.length ?? 0);
  const source = input.mentions.find((mention) => mention.fileLike && mention.end <= sourceEnd + 1);
  if (source === undefined) return undefined;
  return {
    intent: "files.copy",
    confidence: 0.95,
    slots: { source: source.path, destination: path.join(path.dirname(source.path), name) },
  };
};
