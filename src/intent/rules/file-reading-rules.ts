import { candidate, type IntentRule } from "../rule-input.js";
import { fileOf } from "./places.js";

export { diskUsageRule, duplicatesRule } from "./disk-rules.js";
export { listRule, searchRule } from "./search-rules.js";

/** files.read: "cat package.json", "show me the contents of ~/notes/todo.txt", "read /etc/hostname". */
export const readRule: IntentRule = (input) => {
  const { lower } = input;
  const verb =
    /^(?:read|cat|print|display|show|view|output|dump|type out|open (?:up )?and (?:read|show|display|print)|open up|less|more|let me see|let me look at|i want to see|read out|read back|see what(?:'s| is) in(?:side)?)\b/.test(
      lower,
    ) ||
    /^(?:what(?:'s| is| does)|whats)\s+(?:in|inside|written in)\b/.test(lower) ||
    /^what does\s+(?:the\s+)?(?:file\s+)?\S+(?:\s+file)?\s+(?:say|contain)\b/.test(lower);
  if (!verb) return undefined;
  const file = fileOf(input);
  if (file === undefined) return undefined;
  const explicitFile = file.fileLike || (file.kind === "path" && /^(?:read|cat|print|less|more)\b/.test(lower));
  if (!explicitFile) return undefined;
  if (
    /^(?:show|display|list)\b/.test(lower) &&
    !/\b(?:contents?|inside|text|what'?s in)\b/.test(lower) &&
    lower.length - file.end > 2 &&
    !/^(?:show|display)\s+(?:me\s+)?(?:the\s+file\s+)?\S+$/.test(lower)
  ) {
    return undefined;
  }
  return candidate("files.read", 0.9, { path: file.path });
};
