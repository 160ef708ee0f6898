import { correctWord } from "../correct-word.js";
import { bareCommands } from "../lexicon.js";
import { candidate, type IntentRule, type RuleInput } from "../rule-input.js";
import { type CommandPlace, commandPlace, splitTrailingPlace } from "./command-place.js";
import { looksLikeCommand, programOf, readsAsCommand } from "./command-shape.js";

/** First words after which a command may follow ("run", "execute"…, and their common typos). */
const shellStarts =
  /^(?:run|execute|exec|launch|start|invoke|do|type|enter|issue|in|inside|within|cd|go|excute|exectue|runn?|rnu|\$)[:,]?$/;

const greeting =
  /^(?:(?:hey|hi|ok|okay)\s+)?(?:astros[,:]?\s+)?(?:(?:please|pls|could you|can you|would you|will you)\s+)*(?:(?:please|just|now|then)\s+)*/i;
/** Politeness after a command that was quoted or put in a folder: "… for me", "… please". */
const politeEnd = /(?:[\s,]+(?:please|pls|for me|thanks|thank you|now|right now))+[\s.!]*$/i;

/**
 * "in projects/site run `pwd`", "in the scripts folder, run ./build.sh", "cd into code and run make": the folder
 * named first, and the rest of the request from its verb on.
 */
const placeFirst =
  /^(?:(?:in|inside|within|from\s+inside)\s+(.+?)|(?:cd|go|change)\s+(?:in)?to\s+(?:the\s+(?:folder|directory)\s+)?(.+?)\s*,?\s+(?:and|then)(?:\s+then)?)\s*,?\s+((?:run|execute|exec|type)\b.*)$/i;

const verbPattern =
  /^(?:run|execute|exec|launch|start|invoke|do|type|enter|issue)\s*(?::\s*|\s+(?:this|the following|the)(?:\s+(?:shell|terminal|bash))?\s*(command|cmd)?(?:\s+in\s+(?:the|a)\s+(?:shell|terminal|console|bash))?\s*:\s*|\s+(?:(?:the\s+)?(?:shell|terminal|bash)\s+)?(command|cmd)?\s*:?\s*)/i;

/** What a request says to run: the command, how surely, and the words after a quoted command ("… in Desktop"). */
interface SaidCommand {
  command: string;
  confidence: number;
  /** The command was quoted or backticked: the words after it are the request's, not the command's. */
  after?: string;
  /** Typed after `$`: all of it is the command's. */
  literal?: boolean;
  /** Introduced by a verb that also means other things ("start", "type"): a command only when it has options. */
  weakVerb?: boolean;
}

/** The command a request introduces as one: after `$`, in backticks, or after "run"/"execute". */
function saidCommand(input: RuleInput, text: string): SaidCommand | undefined {
  const { lower } = input;
  const dollar = /^\$\s*(.+)$/.exec(text);
  if (dollar?.[1] !== undefined) return { command: dollar[1].trim(), confidence: 0.95, literal: true };
  const backticks = /`([^`]+)`/.exec(text);
  const verb = verbPattern.exec(text);
  if (
    backticks?.[1] !== undefined &&
    (verb !== null || /^`[^`]+`$/.test(text) || /\b(?:run|execute|in the terminal|in a shell|in bash)\b/.test(lower))
  ) {
    return { command: backticks[1].trim(), confidence: 0.95, after: text.slice(backticks.index + backticks[0].length) };
  }
  if (verb === null) return undefined;
  const explicit = verb[1] !== undefined || verb[2] !== undefined || verb[0].includes(":");
  const rest = text
    .slice(verb[0].length)
    .replace(/^(?:the\s+)?(?:command|cmd)\s*:?\s*/i, "")
    .trim();
  const quoted = /^(['"])([^'"]+)\1(.*)$/.exec(rest);
  if (quoted?.[2] !== undefined) return { command: quoted[2].trim(), confidence: 0.93, after: quoted[3] ?? "" };
  const command = rest.replace(/(?<=[\p{L}\p{N})\]])[.!?]+$/u, "").trim();
  if (command === "") return undefined;
  if (explicit) return { command, confidence: 0.93 };
  return { command, confidence: 0.9, weakVerb: /^(?:start|launch|do|type|enter|issue)\b/i.test(verb[0]) };
}

/** The folder the words after a quoted command name ("in the Desktop folder"), "shell", or undefined. */
function placeAfter(after: string, input: RuleInput): CommandPlace | "shell" | "none" | undefined {
  const words = after.replace(politeEnd, "").trim();
  if (words === "" || /^[?.!,]*$/.test(words)) return "none";
  const named = /^,?\s*(?:in|inside|within|from\s+inside)\s+(.+?)[\s?.!]*$/i.exec(words);
  if (named?.[1] === undefined) return "none";
  return commandPlace(named[1], input.context);
}

/**
 * shell.run: "run ls -la", "execute `git status`", "$ echo hello", "git status", and in a folder: "run ls in
 * Documents/Work Stuff", "in projects/site run `pwd`", "run `echo hi > hi.txt` in the Desktop folder" (the command
 * runs with that folder as its working folder). Text is a command only when it is introduced as one, or when the
 * whole of it reads as a command line; "make backup.sh in scripts executable" is English, not `make`.
 */
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
  let text = input.typed
    .replace(/^[a-z]+/i, (word) => (/^(?:run|execute|exec)$/i.test(correctWord(word)) ? correctWord(word) : word))
    .replace(greeting, "")
    .trim();
  text = text.replace(/^[a-z]+/i, (word) => (/^(?:run|execute|exec)$/i.test(correctWord(word)) ? correctWord(word) : word));
  let place: CommandPlace | undefined;
  let inShell = /\bin\s+(?:the|a)\s+(?:terminal|shell|console|bash)\b/.test(lower);
  const leading = placeFirst.exec(text);
  if (leading !== null) {
    const found = commandPlace(leading[1] ?? leading[2] ?? "", input.context);
    if (found === undefined) return undefined;
    if (found === "shell") inShell = true;
    else place = found;
    text = leading[3] ?? "";
  }
  const said = saidCommand(input, text);
  if (said === undefined) return bareCommand(text);
  let { command } = said;
  if (said.after !== undefined) {
    const after = placeAfter(said.after, input);
    // Two folders, or words after the quoted command naming something that is not a folder: not sure what was meant.
    if (after === undefined || (after !== "none" && after !== "shell" && place !== undefined)) return undefined;
    if (after !== "none" && after !== "shell") place = after;
  } else if (said.literal !== true) {
    const split = splitTrailingPlace(command, input.context);
    if (split !== undefined) {
      if ("place" in split && place !== undefined) return undefined;
      command = split.command;
      if ("place" in split) place = split.place;
      else inShell = true;
    }
  }
  if (said.confidence < 0.93 && !inShell) {
    if (!looksLikeCommand(command, input.context)) return undefined;
    if (said.weakVerb === true && !/\s-/.test(command)) return undefined;
  }
  const confidence = inShell || place !== undefined ? Math.max(said.confidence, 0.93) : said.confidence;
  return candidate("shell.run", confidence, {
    command,
    cwd: place?.path,
  });
};

/** A request that is a command line and nothing else ("git status", "ps aux | grep node"). */
function bareCommand(text: string): ReturnType<IntentRule> {
  const command = text.trim();
  if (!bareCommands.has(programOf(command)) || !readsAsCommand(command)) return undefined;
  return candidate("shell.run", 0.78, { command });
}
