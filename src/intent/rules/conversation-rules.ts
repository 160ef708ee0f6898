import { candidate, type IntentRule, type RuleInput } from "../rule-input.js";
import { historyAsked, lastOfAKind, undoWhich } from "./undo-rules.js";

const greeting =
  /^(?:hi|hello|hey|heya|hiya|howdy|yo|greetings|hallo|hullo|hola|bonjour|salut|ciao|sup|wassup|g'day|gday|hey hey|what's up|whats up|good (?:morning|afternoon|evening|day)|morning|evening|afternoon|hi there|hello there|hey there)(?:\s+(?:there|again|everyone|all|astros|friend|buddy|mate|computer|to you))*(?:\s+(?:how(?:'s| is) it going|how are you(?: doing)?|how are things|you there|are you there|what's up|whats up|nice to meet you|long time no see))?$/;
const help =
  /^(?:help|help me|help me out|\?+|h|commands|usage|menu|options|what can you do|what do you do|what are you able to do|what else can you do|what are you capable of|what are you for|what is this for|what's this for|what are your (?:capabilities|features|skills|commands)|what can i (?:ask|say|do)(?: you| here)?|what should i (?:ask|say)|how (?:do i|can i|should i) use (?:you|this|astros)|how does (?:this|astros) work|show (?:me )?(?:the )?help|i need help|get help|help please|can you help(?: me)?|i'm lost|i am lost|(?:list|show|tell)(?: me)? (?:your |the |all |all your )?(?:commands|capabilities|features|abilities|skills|options))$/;
const helpQuestion =
  /\bhow (?:do|can|should) (?:i|we) use (?:this|you|it|astros)(?: thing| tool| app)?\b|\b(?:what|which) (?:stuff|things|sort of things|kind of things) (?:you can|can you|you're able to) do\b|\b(?:stuff|things) you can do\b|\bwhat you(?:'re| are) capable of\b|\brundown of\b.*\b(?:you|your)\b|\b(?:what|which|list|show|tell|give)\b.*\b(?:commands|features|capabilities|abilities|skills|requests|things|examples|kinds? of things|sort of things|tasks)\b.*\b(?:you|i|there|astros|available|supported)\b|\bwhat can you (?:help|do)\b|^(?:list|show me|tell me|explain) what you (?:can|could) do\b|^i need (?:some |a little )?help (?:using|with) (?:this|you|astros|it)$|\bwhat (?:sort|kind|type)s? of (?:stuff|things|requests|questions|commands|tasks) (?:can|could|should|do|may) (?:i|we) (?:ask|say|tell|type|request|give)\b|\b(?:examples|list) of what i can (?:say|ask)\b|\bwhat (?:commands|features) (?:are there|do you have|exist)\b/;
const undo =
  /^(?:(?:oops|whoops|oh no|no|wait|oh wait|actually|hmm+|um+|uh+|ok|okay|well|sorry|on second thought|scratch that|never ?mind|i changed my mind|i didn't mean (?:that|to)|that was a mistake|my bad)\s*,?\s*)*(?:undo|revert|roll ?back|reverse|take (?:that |it )?back|put (?:that |it |them |everything )?back|ctrl\s*\+\s*z|cmd\s*\+\s*z|restore|go back|cancel)\b(?:\s+(?:that|it|this|them|everything|all of (?:that|it)|(?:the|that|this|my) (?:last|latest|previous|most recent) (?:change|operation|action|step|thing|command|one|move|edit|rename|delete|deletion|copy|organize)|(?:that|this|it) (?:too|as well|also)|the (?:one|change) before(?: that)?|my last (?:change|action|operation)|the (?:last )?changes?|what you (?:just )?did|the last thing you did|everything you just did|the (?:move|copy|delete|deletion|rename|organize|organizing|trash)|the files you (?:just )?(?:deleted|moved|trashed|changed|renamed|organized)|what you (?:just )?(?:deleted|moved|trashed|changed|renamed|organized)))?(?:\s+(?:please|now|back|again))*(?:\s+(?:the way|how) (?:it|they|everything) (?:was|were))?$/;
const notUndo = /^(?:restore|go back|cancel|reverse)$/;

/** greeting: "hello", "good morning astros". */
export const greetingRule: IntentRule = (input) => {
  const text = chat(input);
  if (greeting.test(input.lower) || greeting.test(text)) return candidate("greeting", 0.95);
  // "hi, I'm new here and just wanted to say hello": a greeting with small talk (any request in it reads surer).
  if (
    /^(?:hi|hello|hey|heya|hiya|howdy|good (?:morning|afternoon|evening|day))\b/.test(text) ||
    /\b(?:anyone|anybody|somebody) (?:there|home|around)\b|\bjust (?:wanted to )?say(?:ing)? (?:hi|hello)\b/.test(text)
  ) {
    return candidate("greeting", 0.6);
  }
  return undefined;
};

/** Chat text without emoji, emoticons and punctuation ("hi 👋", "Morning :)"), read once per request. */
function chat(input: RuleInput): string {
  let value = chatText.get(input);
  if (value === undefined) {
    value = input.whole
      .replace(/[:;]-?[()dp]|<3|[^\p{L}\p{N}'?\s]/giu, " ")
      .replace(/\s+/g, " ")
      .trim();
    chatText.set(input, value);
  }
  return value;
}

const chatText = new WeakMap<RuleInput, string>();

/** help: "what can you do?", "show me what commands you understand". */
export const helpRule: IntentRule = (input) => {
  if (help.test(input.lower) || help.test(chat(input))) return candidate("help", 0.95);
  if (helpQuestion.test(input.lower) && !/\b(?:files?|folders?|process|port|disk|memory|notes?|reminders?)\b/.test(input.lower))
    return candidate("help", 0.85);
  return undefined;
};

/**
 * files.undo: "undo", "revert what you just did", "actually, undo that", "undo the last 2 changes", "undo the rename of
 * a.txt"; files.history: "what did you change today".
 */
export const undoRule: IntentRule = (input) => {
  const text = chat(input).replace(/\?/g, "").trim();
  if (notUndo.test(text)) return undefined;
  // "undo the last delete": the newest change of that kind, not whatever changed last.
  const kind = lastOfAKind(input.lower.replace(/[.?!]+$/, "").trim());
  if (kind !== undefined) return kind;
  if (undo.test(input.lower) || undo.test(text)) {
    // "empty the trash" → "undo that": that cannot be undone, and it is not the change before it.
    if (input.previous?.intent === "trash.empty" && /\b(?:that|it|this)\b/.test(text))
      return candidate("files.undo", 0.95, { action: "trash.empty" });
    return candidate("files.undo", 0.95);
  }
  const lower = input.lower.replace(/[.?!]+$/, "").trim();
  return undoWhich(lower) ?? historyAsked(text.toLowerCase());
};
