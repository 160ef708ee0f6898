import { correctWord } from "../correct-word.js";
import { bareCommands } from "../lexicon.js";
import { candidate, type IntentRule } from "../rule-input.js";

/** The first word of a command line that names a program ("/usr/bin/git" is git). */
function programOf(command: string): string {
  const first = command.trim().split(/\s+/)[0] ?? "";
  return (first.split("/").pop() ?? first).toLowerCase();
}

/** Whether text has the shape of a command line rather than of an English phrase. */
function looksLikeCommand(command: string): boolean {
  const program = programOf(command);
  if (bareCommands.has(program)) return true;
  if (/^(?:\.{0,2}\/|~\/)\S+/.test(command.trim())) return true;
  return /\s-{1,2}[a-z]/i.test(command) || /[|><;&$]|\b\w+=\S/.test(command);
}

/** First words after which a command may follow ("run", "execute"…, and their common typos). */
const shellStarts = /^(?:run|execute|exec|launch|start|invoke|do|type|enter|issue|in|excute|exectue|runn?|rnu|\$)[:,]?$/;

/** shell.run: "run ls -la", "execute `git status`", "run the command df -h", "$ echo hello", "git status". */
export const shellRule: IntentRule = (input) => {
  const { lower } = input;
  const first = /^[^\s]*/.exec(lower)?.[0] ?? "";
  if (
    !/[$`]/.test(input.typed) &&
    !shellStarts.test(first) &&
    !bareCommands.has(first.split("/").pop() ?? first) &&
    !/\b(?:terminal|shell|bash|console)\b/.test(lower)
  ) {
    return undefined;
  }
  const text = input.typed
    .replace(/^[a-z]+/i, (word) => (/^(?:run|execute|exec)$/i.test(correctWord(word)) ? correctWord(word) : word))
    .replace(/^(?:(?:hey|hi|ok|okay)\s+)?(?:astros[,:]?\s+)?(?:(?:please|pls|could you|can you|would you)\s+)*/i, "")
    .trim();
  const dollar = /^\$\s*(.+)$/.exec(text);
  if (dollar?.[1] !== undefined) return candidate("shell.run", 0.95, { command: dollar[1].trim() });
  const backticks = /`([^`]+)`/.exec(text);
  const verb =
    /^(?:run|execute|exec|launch|start|invoke|do|type|enter|issue)\s*(?::\s*|\s+(?:this|the following|the)(?:\s+(?:shell|terminal|bash))?\s*(command|cmd)?(?:\s+in\s+(?:the|a)\s+(?:shell|terminal|console|bash))?\s*:\s*|\s+(?:(?:the\s+)?(?:shell|terminal|bash)\s+)?(command|cmd)?\s*:?\s*)/i.exec(
      text,
    );
  if (
    backticks?.[1] !== undefined &&
    (verb !== null || /^`[^`]+`$/.test(text) || /\b(?:run|execute|in the terminal|in a shell|in bash)\b/.test(lower))
  ) {
    return candidate("shell.run", 0.95, { command: backticks[1].trim() });
  }
  const inShell =
    /^(?:in\s+(?:the|a)\s+(?:terminal|shell)\s*,?\s*)?(?:run|execute|exec|type)\s+(.+?)(?:\s+in\s+(?:the|a)\s+(?:terminal|shell|console|bash))?$/i.exec(
      text,
    );
  if (verb !== null) {
    const explicit = verb[1] !== undefined || verb[2] !== undefined || verb[0].includes(":");
    const rest = explicit ? text.slice(verb[0].length) : (inShell?.[1] ?? text.slice(verb[0].length));
    const stripped = rest.replace(/^(?:the\s+)?(?:command|cmd)\s*:?\s*/i, "");
    const quotedCommand = /^(['"])(.+?)\1/.exec(stripped);
    const command = (quotedCommand?.[2] ?? stripped.replace(/^['"]|['"]$/g, "")).trim().replace(/(\S)[.!?]+$/, "$1");
    if (command === "") return undefined;
    if (explicit || /\bin\s+(?:the|a)\s+(?:terminal|shell|console|bash)\b/.test(lower))
      return candidate("shell.run", 0.93, { command });
    if (looksLikeCommand(command) && (!/^(?:start|launch|do|type|enter|issue)\b/i.test(verb[0]) || /\s-/.test(command))) {
      return candidate("shell.run", 0.9, { command });
    }
    return undefined;
  }
  const program = programOf(text);
  const words = text.trim().split(/\s+/);
  const shaped = /\s-{1,2}[a-z]|[|><;&$=/~]|\s\.{1,2}(?:\s|$)|\S\.\S/i.test(text);
  if (
    bareCommands.has(program) &&
    !/\?\s*$/.test(text) &&
    (words.length <= 2 || shaped) &&
    !/^(?:file|free|code|make|env|id|export|screen|tree|stat|diff|patch|groups|top|ping)$/.test(text.trim().toLowerCase())
  ) {
    return candidate("shell.run", 0.78, { command: text.trim() });
  }
  return undefined;
};
