import { resolvePath } from "../entities/resolve-path.js";
import { normalizeRequest } from "../normalize-text.js";
import type { ParseContext } from "../parse-context.js";
import { RuleInput } from "../rule-input.js";

/** Words for the shell itself: "run ls in the terminal" names no folder. */
const shellItself =
  /^(?:(?:the|a|my|your)\s+)?(?:terminal|shell|console|bash|zsh|command line|command-line|cli|prompt|background)$/i;

/** The folder words around a place: "the Desktop folder" is Desktop, "the folder called build" is build. */
function placeName(typed: string): string {
  return typed
    .trim()
    .replace(/[\s,.!?;:]+$/, "")
    .replace(/^(?:the\s+|my\s+|your\s+|our\s+)?(?:(?:folder|directory|dir)\s+(?:called|named)\s+)?/i, "")
    .replace(/^(?:the\s+|my\s+|your\s+|our\s+)/i, "")
    .replace(/\s+(?:folder|directory|dir)$/i, "")
    .trim();
}

/** A folder a command is to run in, as the request named it and where that is. */
export interface CommandPlace {
  typed: string;
  path: string;
}

/**
 * Where "in FOLDER" puts a command: the folder as the engine reads names ("the Desktop folder" is ~/Desktop,
 * "Documents/Work Stuff" keeps its space), or undefined when the words name the shell ("in the terminal"), a file,
 * or nothing a folder could be called.
 */
export function commandPlace(typed: string, context: ParseContext): CommandPlace | "shell" | undefined {
  const trimmed = typed.trim().replace(/[\s,.!?;:]+$/, "");
  if (shellItself.test(trimmed)) return "shell";
  const name = placeName(trimmed);
  if (name === "" || /[|;&<>`$(){}\\]/.test(name) || /(?:^|\s)-/.test(name)) return undefined;
  if (/^(?:here|this folder|this directory|the current (?:folder|directory)|the working (?:folder|directory))$/i.test(trimmed))
    return { typed: trimmed, path: context.cwd };
  const input = new RuleInput(normalizeRequest(`in ${trimmed}`), context);
  const mention = input.mentions.find((found) => found.start === 3 || found.start === 3 + trimmed.indexOf(name));
  let path: string;
  if (mention !== undefined && !mention.fileLike) {
    const rest = input.text.slice(mention.end).replace(/\s+(?:folder|directory|dir)$/i, "");
    path = rest.trim() === "" ? mention.path : `${mention.path}${rest}`;
  } else if (mention?.fileLike === true && context.exists?.(mention.path) !== "folder") {
    return undefined;
  } else {
    path = resolvePath(name, context);
  }
  if (context.exists?.(path) === "file") return undefined;
  return { typed: trimmed, path };
}

/** Words that put a command in a folder: "in", "inside", "within", "from inside". */
const placeWord = /\s(?:in|inside|within|from\s+inside|from\s+within)\s+/gi;

/**
 * A command typed without quotes with "in FOLDER" at its end ("ls in Documents/Work Stuff", "touch x.txt inside
 * Documents/inbox"): the command and the folder. The last "in" outside quotes is the one, when what follows it has
 * no shell syntax or options and the command before it is not a shell loop (`for f in *.txt; …`).
 */
export function splitTrailingPlace(
  command: string,
  context: ParseContext,
): { command: string; place: CommandPlace } | { command: string; shell: true } | undefined {
  let chosen: RegExpExecArray | undefined;
  for (const match of command.matchAll(placeWord)) {
    if (!insideQuotes(command, match.index)) chosen = match as RegExpExecArray;
  }
  if (chosen === undefined) return undefined;
  const head = command.slice(0, chosen.index).trim();
  const tail = command.slice(chosen.index + chosen[0].length);
  if (head === "" || /^(?:for|case|select|if|while|until)\b/i.test(head) || /['"]/.test(tail)) return undefined;
  const place = commandPlace(tail, context);
  if (place === undefined) return undefined;
  if (place === "shell") return { command: head, shell: true };
  return { command: head, place };
}

/** Whether a position of a command line is inside a quoted span. */
function insideQuotes(text: string, position: number): boolean {
  let quote: string | undefined;
  for (let index = 0; index < position; index++) {
    const character = text[index];
    if (quote === undefined && (character === "'" || character === '"' || character === "`")) quote = character;
    else if (character === quote) quote = undefined;
  }
  return quote !== undefined;
}
