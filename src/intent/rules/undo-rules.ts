import { type Candidate, candidate } from "../rule-input.js";

/** Words said before an undo that change nothing about it: "actually, undo …", "oh wait, …". */
const fillers = String.raw`(?:(?:oops|whoops|oh no|no|wait|oh wait|actually|hmm+|um+|uh+|ok|okay|well|sorry|please|on second thought|scratch that|never ?mind|i changed my mind|my bad|that was a mistake)\s*,?\s*)*`;
const undoVerb = "(?:undo|revert|reverse|roll ?back|take back|put back)";

const numbers: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  "a couple of": 2,
  "couple of": 2,
  "a couple": 2,
};

/** "undo the last 2 changes", "revert my last three operations", "undo the previous two things you did". */
const byCount = new RegExp(
  String.raw`^${fillers}${undoVerb}\s+(?:the\s+|my\s+|your\s+)?(?:last|latest|previous|past|most recent)\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|(?:a\s+)?couple(?:\s+of)?)\s+(?:changes|things|operations|actions|steps|edits|ones|commands|file changes)(?:\s+(?:you|i)\s+(?:did|made|just did|just made))?(?:\s+please)?$`,
);

/** What a change was, as people name it: the tool it was done with. */
const actions: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:rename|renaming|renamed)$/, "files.rename"],
  [/^(?:move|moving|moved)$/, "files.move"],
  [/^(?:copy|copying|copied)$/, "files.copy"],
  [/^(?:delete|deletion|deleting|deleted|trash|trashing|trashed|removal|removing|removed)$/, "files.delete"],
  [/^(?:organi[sz]e|organi[sz]ing|organi[sz]ed|sort|sorting|sorted|tidy|tidying|tidied)$/, "files.organize"],
  [/^(?:write|writing|wrote|edit|editing|edited)$/, "files.write"],
  [/^(?:folder creation|mkdir|new folder)$/, "files.mkdir"],
  [/^(?:creat(?:e|ed|ing|ion)|mak(?:e|ing)|made|add(?:ed|ing)?)$/, "created"],
  [/^(?:restore|restoring|restored)$/, "trash.restore"],
];

/**
 * "undo the rename of a.txt", "revert the move of the pdfs", "undo renaming report.txt", "undo the change to
 * notes.txt", "undo what you did to budget.xlsx": one earlier change, named by what it was and what it was done to.
 */
const byDescription = new RegExp(
  String.raw`^${fillers}${undoVerb}\s+(?:(?:the|my|that|your)\s+)?(?:(rename|renaming|move|moving|copy|copying|delete|deletion|deleting|trash|trashing|removal|organi[sz]e|organi[sz]ing|sort|sorting|write|writing|edit|editing|folder creation|mkdir|restore|restoring|creating|creation|making|adding)|change|changes|what you did)\s+(?:(?:you made|you did|i asked for)\s+)?(?:of|for|on|to|in|from|into|with)?\s*(.+)$`,
);

/** "undo that last thing you did", "revert the most recent change I made": the newest change, said at length. */
const newestSaidAtLength = new RegExp(
  String.raw`^${fillers}${undoVerb}\s+(?:the\s+|that\s+|this\s+|my\s+|your\s+)?(?:very\s+)?(?:last|latest|previous|most recent|final)\s+(?:thing|change|action|operation|step|edit|command|one)(?:\s+(?:that\s+)?(?:you|i|we)\s+(?:just\s+)?(?:did|made|do|ran|asked for|asked you to do|had you do))?(?:\s+(?:please|again|now))*$`,
);

/** What a change that made something was done with: a folder ("the Inbox folder") or, unsaid, any tool. */
function createdWith(about: string): string | undefined {
  return /\b(?:folder|directory|dir)\b/.test(about) ? "files.mkdir" : undefined;
}

/** The reading of an undo of several changes, or of one named by what it was; undefined when it is neither. */
export function undoWhich(lower: string): Candidate | undefined {
  if (newestSaidAtLength.test(lower)) return candidate("files.undo", 0.94);
  const counted = byCount.exec(lower);
  if (counted !== null) {
    const word = (counted[1] ?? "").replace(/\s+/g, " ");
    const count = /^\d+$/.test(word) ? Number(word) : (numbers[word] ?? numbers[word.replace(/\s+of$/, "")]);
    if (count === undefined || count < 1) return undefined;
    return candidate("files.undo", 0.94, count === 1 ? {} : { count });
  }
  const named = byDescription.exec(lower);
  if (named === null) return undefined;
  const about = (named[2] ?? "")
    .replace(/\s+(?:please|again|now)$/, "")
    .replace(/^(?:the|my|those|these|that|this)\s+/, "")
    .trim();
  if (about === "" || /^(?:it|that|this|them|everything)$/.test(about)) return undefined;
  const said = named[1] === undefined ? undefined : actions.find(([words]) => words.test(named[1] ?? ""))?.[1];
  // "undo creating the Inbox folder": a folder made is a mkdir; a thing made otherwise is named by its words alone.
  const action = said === "created" ? createdWith(about) : said;
  return candidate("files.undo", 0.93, { about, ...(action === undefined ? {} : { action }) });
}

/** files.history: "what did you change today", "show my undo history", "list your recent changes". */
export function historyAsked(lower: string): Candidate | undefined {
  if (
    /^(?:(?:show|list|give)(?: me)?|what(?:'s| is)(?: in)?)\s+(?:my |the |your )?(?:undo |change |file )?history$/.test(lower) ||
    /^(?:show|list|tell)(?: me)?\s+(?:what|everything) (?:you(?:'ve| have)?|astros (?:has )?) (?:changed|done|did)(?: (?:today|recently|so far|lately))?$/.test(
      lower,
    ) ||
    /^what (?:have you|did you|has astros|did astros) (?:changed?|done|do)(?: (?:today|recently|so far|lately|to my files))?$/.test(
      lower,
    ) ||
    /^(?:list|show)(?: me)? (?:my |your |the )?(?:recent |last |latest )?(?:file )?changes(?: you made)?$/.test(lower) ||
    /^what changes (?:did|have) you (?:make|made)(?: (?:today|recently|so far))?$/.test(lower)
  )
    return candidate("files.history", 0.9);
  return undefined;
}

/** "undo the last delete", "revert my latest move", "restore the file I just deleted": the newest change of a kind. */
export function lastOfAKind(lower: string): Candidate | undefined {
  const named = new RegExp(
    String.raw`^${fillers}${undoVerb}\s+(?:the|my|that|this)\s+(?:last|latest|previous|most recent)\s+(rename|move|delete|deletion|copy|organi[sz]e|organi[sz]ing|trash|trashing|restore)(?:\s+(?:please|again))*$`,
  ).exec(lower);
  const justDeleted =
    /^(?:restore|recover|undelete|bring back|get back|put back)\s+(?:the|that|those)\s+(?:file|files|folder|folders|thing|things|stuff)\s+(?:i|you)\s+(?:just\s+)?(?:deleted|trashed|removed|binned|threw away)$/.test(
      lower,
    );
  if (justDeleted) return candidate("files.undo", 0.94, { action: "files.delete" });
  const word = named?.[1];
  if (word === undefined) return undefined;
  const action = actions.find(([words]) => words.test(word))?.[1];
  return action === undefined ? undefined : candidate("files.undo", 0.95, { action });
}
