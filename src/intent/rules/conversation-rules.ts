import { candidate, type IntentRule } from "../rule-input.js";

const greeting =
  /^(?:hi|hello|hey|heya|hiya|howdy|yo|greetings|hallo|hola|bonjour|salut|ciao|sup|what's up|whats up|good (?:morning|afternoon|evening|day)|morning|evening|hi there|hello there|hey there)(?:\s+(?:there|again|everyone|all|astros|friend|buddy|mate|computer|to you))*$/;
const help =
  /^(?:help|help me|\?|h|commands|usage|menu|options|what can you do|what do you do|what are you able to do|what else can you do|what are you capable of|what are your (?:capabilities|features|skills|commands)|what can i (?:ask|say|do)(?: you| here)?|what should i (?:ask|say)|how (?:do i|can i|should i) use (?:you|this|astros)|how does (?:this|astros) work|show (?:me )?(?:the )?help|(?:show|list|tell) (?:me )?(?:what|which) (?:commands|things|requests|tasks) you (?:understand|know|support|can do|handle|accept)|what commands (?:do you|can you) (?:understand|know|support|accept|take)|(?:list|show) (?:me )?(?:your |the |all )?(?:commands|capabilities|features|abilities)|i need help|get help|help please|can you help(?: me)?|what can you help (?:me )?with)$/;
const undo =
  /^(?:undo|undo (?:that|it|this|the last (?:one|change|step|action|operation|command|thing)|my last (?:change|action)|what you (?:just )?did|the last thing you did|everything you just did|the (?:move|copy|delete|deletion|rename|organize|organizing|changes?))|revert(?: (?:that|it|this|the last (?:change|operation|action)|what you (?:just )?did|the changes?|my last change))?|roll (?:it |that )?back|rollback(?: the last change)?|put (?:it|them|everything) back(?: (?:the way|how) (?:it was|they were))?|take (?:that|it) back|reverse (?:that|it|the last (?:change|operation))|cancel (?:that|the last) (?:change|operation)|oops,? undo|restore (?:what you (?:moved|deleted|changed))|go back)$/;

/** greeting: "hello", "good morning astros". */
export const greetingRule: IntentRule = (input) => (greeting.test(input.lower) || greeting.test(input.whole) ? candidate("greeting", 0.95) : undefined);

/** help: "what can you do?", "show me what commands you understand". */
export const helpRule: IntentRule = (input) => (help.test(input.lower) ? candidate("help", 0.95) : undefined);

/** files.undo: "undo", "revert what you just did", "undo that". */
export const undoRule: IntentRule = (input) => (undo.test(input.lower) ? candidate("files.undo", 0.95) : undefined);
