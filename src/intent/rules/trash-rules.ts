import { candidate, type IntentRule } from "../rule-input.js";

const trash = String.raw`(?:(?:the|my|your)\s+)?(?:trash(?:\s*(?:can|bin|folder))?|recycle\s*bin|rubbish\s*bin|wastebasket|bin)`;
const lead = String.raw`^(?:(?:please|ok|okay|now|can you|could you|would you|go ahead and|i want to|i'd like to|let's)\s+)*`;

/** "empty the trash", "clear out my recycle bin", "permanently delete everything in the trash". */
const emptyTrash = new RegExp(
  String.raw`${lead}(?:(?:empty|clear|clear out|clean|clean out|purge|flush|wipe)\s+(?:out\s+)?${trash}|(?:permanently\s+)?(?:delete|remove|erase|purge)\s+(?:(?:everything|all(?:\s+the)?\s+(?:files|stuff|things)|all)\s+)?(?:in|from)\s+${trash}(?:\s+(?:for good|permanently))?)(?:\s+(?:please|now|for good|permanently))*$`,
);

/** "restore old-plan.txt from the trash", "get report.pdf back from the bin", "undelete notes.txt". */
const restore = new RegExp(
  String.raw`${lead}(?:restore|recover|undelete|retrieve|rescue|get|bring|take|fish|pull)\s+(?:back\s+)?(.+?)(?:\s+back)?\s+(?:out of|from)\s+${trash}(?:\s+(?:please|back|to where it was))*$|${lead}(?:restore|recover|undelete)\s+(\S+\.\w+)(?:\s+(?:please|back))*$`,
);

/** "what's in the trash", "show me the trash", "how big is the trash". */
const listTrash = new RegExp(
  String.raw`${lead}(?:what(?:'s| is)\s+in|show(?: me)?(?: what'?s in)?|list(?: what'?s in)?|open|look in|how (?:big|full|large) is)\s+${trash}(?:\s+contents)?$`,
);

/** "how much space is the trash taking", "how much would emptying the trash free". */
const trashSize = new RegExp(
  String.raw`^how much (?:space|room|disk(?: space)?)\s+(?:is|does)\s+${trash}\s+(?:taking(?: up)?|using|take(?: up)?|use)$|^how much (?:space )?would (?:emptying|clearing) ${trash} free(?: up)?$|^how (?:big|large) is ${trash}$`,
);

/** trash.empty, trash.restore, trash.list: the freedesktop trash itself. */
export const trashRule: IntentRule = (input) => {
  const lower = input.lower.replace(/[.?!]+$/, "").trim();
  if (emptyTrash.test(lower)) return candidate("trash.empty", 0.96);
  if (listTrash.test(lower) || trashSize.test(lower)) return candidate("trash.list", 0.95);
  const restored = restore.exec(lower);
  if (restored !== null) {
    const said = (restored[1] ?? restored[2] ?? "").replace(/^(?:the\s+|my\s+)/, "").replace(/\s+file$/, "");
    if (/^(?:everything|all(?: of it| the files| files| items)?|it all)$/.test(said))
      return candidate("trash.restore", 0.95, { all: true });
    if (said === "" || /^(?:it|that|them|this)$/.test(said)) return undefined;
    // The name as typed (case kept): the part of the text at the same place.
    const at = input.lower.indexOf(said);
    const name = at === -1 ? said : input.text.slice(at, at + said.length);
    return candidate("trash.restore", 0.95, { name: name.replace(/^['"`]|['"`]$/g, "") });
  }
  return undefined;
};
