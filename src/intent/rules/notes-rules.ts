import { candidate, type IntentRule } from "../rule-input.js";

const remember =
  /^(?:remember|memorize|memorise|don't forget|do not forget|don't let me forget|do not let me forget|note down|note|make a note|take a note|jot down|write down|save a note|save this note|save the note|add a note|create a note|keep in mind|store a note|log a note|new note|note to self)\b(?:\s+(?:of|about|that|saying|says|which says|this|to self|to myself|for me|for later|down))*\s*[:\-–]?\s*(?:that\s+)?(.+)$/i;
const recall = [
  /^remind me (?:what|where|who|which|how|when)\s+(?:(?:my|the|our)\s+)?(.+?)(?:\s+(?:is|was|are|were))?$/i,
  /^(?:did|have) i (?:note|save|write|jot|put)(?: down)? anything (?:about|on|regarding)\s+(?:the\s+|my\s+)?(.+)$/i,
  /^what (?:have i|did i) (?:jotted|jot|noted|note|written|write|saved|save)(?: down)? (?:about|on|regarding)\s+(?:the\s+|my\s+)?(.+)$/i,
  /^what(?:'s| is| was) (?:that|the) (?:thing|note) i (?:told you|said|gave you|noted)(?: about)?\s+(?:the\s+|my\s+)?(.+)$/i,
  /^(?:did|have) i (?:tell|told|say|said) (?:you )?(?:anything|something) (?:about|regarding|on)\s+(?:the\s+|my\s+)?(.+?)(?:\s+(?:last|this)\s+\w+)?$/i,
  /^what(?:'s| is| was| were)\s+(?:my|the|our)\s+(.+?)\s+(?:again|that i (?:told|gave) you|i (?:told|gave) you(?: about)?)$/i,
  /^what (?:did i (?:say|tell you|note|write|save)|do you (?:remember|know)|have i (?:said|noted|told you)) (?:about|regarding|on|of)\s+(?:the\s+|my\s+)?(.+?)$/i,
  /^what (?:notes|reminders? notes) (?:do i have|have i (?:got|made|taken)|are there)(?: (?:about|on|for|regarding|mentioning)\s+(?:the\s+|my\s+)?(.+))?$/i,
  /^(?:search|look through|look in|check|find in|grep) (?:my|the) notes (?:for|about)\s+(.+)$/i,
  /^(?:find|show|get|look up|recall|read|pull up) (?:me )?(?:my |the )?notes? (?:about|on|for|mentioning|regarding|that mention)\s+(?:the\s+|my\s+)?(.+)$/i,
  /^(?:recall|remind me (?:what|of what) i (?:said|noted) about)\s+(?:what i (?:said|saved|noted|wrote) (?:about|on)\s+)?(?:the\s+|my\s+)?(.+)$/i,
  /^(?:any|are there any|are there) notes (?:mentioning|about|on|for|regarding|that mention)\s+(?:the\s+|my\s+)?(.+)$/i,
  /^(?:search|grep|look through|check) notes for\s+(.+)$/i,
  /^(?:read back|read out|read me) (?:my |the )?notes? (?:on|about|for|regarding)\s+(?:the\s+|my\s+)?(.+)$/i,
  /^what did i (?:ask|tell) you to remember(?: about\s+(?:the\s+|my\s+)?(.+))?$/i,
  /^what (?:notes|reminders? notes) (?:have i got|do i have|did i save|did i make) (?:about|on|for|regarding)\s+(?:the\s+|my\s+)?(.+)$/i,
  /^(?:show|list|read|display|get|give me|see|view|what are) (?:me )?(?:all )?(?:of )?my notes$|^my notes$|^notes$|^what notes do i have$/i,
  /^do i have (?:a|any) notes? (?:about|on|for|regarding)\s+(?:the\s+|my\s+)?(.+)$/i,
  /^(?:do|did) you (?:remember|recall)\s+(?:(?:what|where|when|who|which|how)\s+(?:(?:my|the|our)\s+)?|(?:my|our)\s+)(.+?)(?:\s+(?:is|was|are|were))?$/i,
  /^(?:do|did) you (?:remember|recall)\s+(?:the\s+)?((?:[\w'-]+\s+){0,3}(?:code|password|passcode|pin|number|address|combination|name|birthday|date|key|login|username|plate|details))$/i,
  /^where did i (?:say|tell you|note|mention|write)\s+(?:that\s+)?(?:i\s+(?:left|put|parked|stored|hid|kept)\s+)?(?:(?:my|the|our)\s+)?(.+?)(?:\s+(?:is|was|are|were))?$/i,
  /^did i (?:save|write|make|take) (?:a|any) notes? (?:about|on|for)\s+(?:the\s+|my\s+)?(.+)$/i,
  // "what was the wifi password I saved", "what's the door code I told you about"
  /^what(?:'s| is| was| were)\s+(?:the|my|our|that)\s+(.+?)\s+(?:that\s+)?i\s+(?:saved|told you(?: about)?|gave you|noted(?: down)?|wrote down|mentioned|asked you to (?:remember|keep)|had you (?:remember|keep))[?.!]*$/i,
];

/** Things only a person's own note holds, never this machine: "the wifi password at grandma's", "the gate code". */
const secretWords = "code|password|passcode|passphrase|pin|combination|login";
const factQuestion = new RegExp(
  `^what(?:'s| is| was| were)\\s+(?:the|my|our)\\s+((?:[\\w'-]+\\s+){0,3}(?:${secretWords})(?:\\s+(?:at|for|of|to|in|on|from)\\s+(?:the\\s+|my\\s+)?[\\w'-]+(?:\\s+[\\w'-]+){0,2})?)(?:\\s+again)?[?.!]*$`,
  "i",
);

/** notes.remember: "remember that the wifi password is hunter2", "note: dentist appointment on friday". */
export const rememberRule: IntentRule = (input) => {
  // "save this: parking spot B12"
  const labelled = /^(?:save|store|keep|log|remember|note|jot down)\s+(?:this|that)\s*:\s*(.+)$/i.exec(input.text);
  if (labelled?.[1] !== undefined)
    return candidate("notes.remember", 0.92, { text: labelled[1].trim().replace(/^['"]|['"]$/g, "") });
  const match = remember.exec(input.text);
  const text = match?.[1]?.trim();
  if (match === null || text === undefined || text === "") return undefined;
  if (/^(?:me|to remind)\b/i.test(text)) return undefined;
  if (/^(?:what|where|who|how|when|which|why|if)\b/i.test(text) && /^remember\b/i.test(input.text)) return undefined;
  return candidate("notes.remember", 0.92, { text: text.replace(/^['"]|['"]$/g, "") });
};

/** notes.forget: "forget the note about my locker code", "delete my note about the wifi password". */
export const forgetRule: IntentRule = (input) => {
  const match =
    /^(?:forget|delete|remove|erase|drop|get rid of|bin|trash|discard|scrap|throw away|throw out)\s+(?:the\s+|my\s+|that\s+|this\s+)?(?:(.+?)\s+)?note\b\s*(?:(?:about|on|for|regarding|that says|saying|which says|mentioning|with)\s+)?(.*)$/.exec(
      input.lower,
    );
  if (match === null) return undefined;
  const words = [match[1], match[2]]
    .filter((part) => part !== undefined && part !== "")
    .join(" ")
    .replace(/^(?:the|my|a|an)\s+/, "")
    .trim();
  if (words === "" || /^(?:all|every|each|all the|all my|all of my)\b/.test(words)) return undefined;
  const offset = input.lower.indexOf(words);
  return candidate("notes.forget", 0.93, { query: offset === -1 ? words : input.text.slice(offset, offset + words.length) });
};

/** "what's my locker code": a question only a note can answer, when nothing else reads it. */
const personalQuestion =
  /^[Ww]hat(?:'s| is| was| were)\s+(?:(?:[Mm]y|[Oo]ur)\s+([\w'-]+(?:\s+[\w'-]+){0,4}?)|([A-Z][\w-]*'s(?:\s+[\w'-]+){1,3}?))(?:\s+again)?(?:[?.!]+\s.*)?$/;

/** Words of a past-tense question about this machine or an earlier answer, never a note's: "what was the last command". */
const machineOrEarlierWords =
  /\b(?:ip|os|cpu|memory|ram|disk|battery|uptime|gpu|hostname|kernel|file|files|folder|folders|command|commands|error|errors|output|result|results|last|previous|first|process|processes|port|size|total|answer|reason|problem|time|date|day|point)\b/i;

/** notes.recall: "what did I say about the wifi password?", "search my notes for sam". */
export const recallRule: IntentRule = (input) => {
  for (const pattern of recall) {
    const match = pattern.exec(input.text);
    if (match === null) continue;
    const query = match[1]
      ?.split(/[?.!]+\s/)[0]
      ?.replace(
        /\s+(?:(?:last|this|the other|next)\s+(?:week|month|year|night|time|day)|yesterday|today|earlier|recently|before|again)$/i,
        "",
      )
      .trim()
      .replace(/[?.!]+$/, "")
      .replace(/^['"]|['"]$/g, "");
    return candidate("notes.recall", 0.9, { query });
  }
  // "what's the gate code": a fact only a note holds.
  const fact = factQuestion.exec(input.text);
  if (fact?.[1] !== undefined) return candidate("notes.recall", 0.9, { query: fact[1].trim() });
  // "what was the parking spot at the airport?": this machine's facts are asked in the present; the past is what was told.
  const past = /^what (?:was|were) the ((?:[\w'-]+\s+){0,5}?[\w'-]+)[?.!]*$/i.exec(input.text);
  if (past?.[1] !== undefined && !machineOrEarlierWords.test(past[1]))
    return candidate("notes.recall", 0.7, { query: past[1].trim() });
  const personal = personalQuestion.exec(input.text);
  const asked = personal?.[1] ?? personal?.[2];
  if (
    asked !== undefined &&
    !/\b(?:ip|os|cpu|memory|ram|disk|battery|uptime|gpu|name|username|hostname|password policy)\b/i.test(asked)
  ) {
    return candidate("notes.recall", 0.6, { query: asked.trim() });
  }
  return undefined;
};
