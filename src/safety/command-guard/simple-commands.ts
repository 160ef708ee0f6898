import type { SyntaxNode } from "./shell-parser.js";
import { evaluateWord, type ShellWord } from "./shell-words.js";

/**
 * Where a command's standard input comes from, when the script says: known text (a here-string, a
 * here-document, text a handler passes in), a file (`< file`), earlier stages of a pipeline, or
 * something produced only at run time (`< <(curl …)`, `<<< "$(…)"`, `<&3`).
 */
export type StandardInput =
  | { kind: "text"; text: string }
  | { kind: "file"; target: ShellWord }
  | { kind: "pipe"; from: SimpleCommand[] }
  | { kind: "unknown"; text: string };

/** One simple command (a program and its arguments), wherever it stands in the script. */
export interface SimpleCommand {
  text: string;
  /** The program (first word) and its arguments, quotes removed. */
  words: ShellWord[];
  /** Inside $(...), `...` or <(...). */
  substituted: boolean;
  /** Its own standard input, when the script gives it one; undefined: whatever the script itself reads. */
  stdin?: StandardInput;
}

export interface Redirect {
  operator: string;
  target: ShellWord;
}

export interface FunctionDefinition {
  name: string;
  /** Programs the body runs. */
  calls: string[];
  /** The body forks: its own calls are piped or backgrounded. */
  forks: boolean;
}

/** Everything in a script a guard needs to judge. */
export interface ShellScript {
  commands: SimpleCommand[];
  redirects: Redirect[];
  functions: FunctionDefinition[];
  syntaxError: boolean;
}

const wordTypes = new Set([
  "word",
  "string",
  "raw_string",
  "ansi_c_string",
  "concatenation",
  "simple_expansion",
  "expansion",
  "command_substitution",
  "process_substitution",
  "arithmetic_expansion",
  "number",
  "translated_string",
]);

/** Walk a parsed script and collect its commands, redirects and functions, with each command's standard input. */
export function collectScript(root: SyntaxNode): ShellScript {
  const script: ShellScript = { commands: [], redirects: [], functions: [], syntaxError: root.hasError };
  const byNode = new Map<number, SimpleCommand>();
  visit(root, false);
  // Innermost pipelines first: a stage's own pipe is what it reads, not the one around it.
  for (const pipeline of root.descendantsOfType("pipeline").reverse()) {
    if (pipeline === null) continue;
    const stages = pipeline.namedChildren.filter((child): child is SyntaxNode => child !== null);
    // `cat <<EOF | sh`: the grammar puts the pipe inside the here-document; its first stage is the command before it.
    if (pipeline.parent?.type === "heredoc_redirect") {
      const body = pipeline.parent.parent?.childForFieldName("body");
      if (body !== null && body !== undefined) stages.unshift(body);
    }
    for (const [index, stage] of stages.entries()) {
      if (index === 0) continue;
      const from = stages.slice(0, index).flatMap(commandsIn);
      for (const command of commandsIn(stage)) command.stdin ??= { kind: "pipe", from };
    }
  }
  return script;

  function commandsIn(node: SyntaxNode): SimpleCommand[] {
    const nodes = node.type === "command" ? [node] : node.descendantsOfType("command");
    return nodes.flatMap((found) => {
      const command = found === null ? undefined : byNode.get(found.id);
      return command === undefined ? [] : [command];
    });
  }

  function visit(node: SyntaxNode, substituted: boolean): void {
    if (node.type === "command") {
      const command = toCommand(node, substituted);
      script.commands.push(command);
      byNode.set(node.id, command);
    } else if (node.type === "file_redirect") {
      const destination =
        node.childForFieldName("destination") ?? node.namedChildren.find((child) => child !== null && wordTypes.has(child.type));
      const operator = node.children.find((child) => child !== null && !child.isNamed)?.text ?? ">";
      if (destination !== null && destination !== undefined)
        script.redirects.push({ operator, target: evaluateWord(destination) });
    } else if (node.type === "function_definition") {
      const name = node.childForFieldName("name")?.text ?? "";
      const body = node.childForFieldName("body");
      const calls =
        body === null ? [] : body.descendantsOfType("command").map((command) => (command === null ? "" : commandName(command)));
      const forks = body !== null && (body.descendantsOfType("pipeline").length > 0 || body.text.includes("&"));
      script.functions.push({ name, calls, forks });
    }
    const inside = substituted || node.type === "command_substitution" || node.type === "process_substitution";
    for (const child of node.namedChildren) if (child !== null) visit(child, inside);
  }
}

function commandName(command: SyntaxNode): string {
  const name = command.childForFieldName("name");
  return name === null ? "" : (evaluateWord(name).value ?? "");
}

function toCommand(node: SyntaxNode, substituted: boolean): SimpleCommand {
  const words: ShellWord[] = [];
  for (const child of node.namedChildren) {
    if (child === null) continue;
    if (child.type === "command_name" || wordTypes.has(child.type)) words.push(evaluateWord(child));
  }
  const stdin = standardInput(node);
  return { text: node.text, words, substituted, ...(stdin === undefined ? {} : { stdin }) };
}

/** The standard input a command's own redirects give it (the last one wins, as in the shell). */
function standardInput(command: SyntaxNode): StandardInput | undefined {
  const redirects = command.namedChildren.filter((child): child is SyntaxNode => child !== null);
  const parent = command.parent;
  if (parent?.type === "redirected_statement" && parent.childForFieldName("body")?.id === command.id) {
    for (const child of parent.namedChildren) if (child !== null && child.id !== command.id) redirects.push(child);
  }
  let found: StandardInput | undefined;
  for (const redirect of redirects) found = inputOf(redirect) ?? found;
  return found;
}

function inputOf(redirect: SyntaxNode): StandardInput | undefined {
  if (redirect.type === "herestring_redirect") {
    const word = redirect.namedChildren.find((child) => child !== null && wordTypes.has(child.type));
    if (word === null || word === undefined) return { kind: "unknown", text: redirect.text };
    const value = evaluateWord(word).value;
    return value === undefined ? { kind: "unknown", text: redirect.text } : { kind: "text", text: `${value}\n` };
  }
  if (redirect.type === "heredoc_redirect") {
    // An unquoted here-document's expansions are judged where they stand (its substitutions are commands of
    // the script); what reads it is judged on the text as written.
    const body = redirect.namedChildren.find((child) => child?.type === "heredoc_body");
    return body === null || body === undefined ? { kind: "unknown", text: redirect.text } : { kind: "text", text: body.text };
  }
  if (redirect.type !== "file_redirect") return undefined;
  const descriptor = redirect.childForFieldName("descriptor")?.text;
  if (descriptor !== undefined && descriptor !== "0") return undefined;
  const operator = redirect.children.find((child) => child !== null && !child.isNamed)?.text ?? "";
  if (operator !== "<" && operator !== "<&" && operator !== "<>") return undefined;
  const destination =
    redirect.childForFieldName("destination") ??
    redirect.namedChildren.find((child) => child !== null && wordTypes.has(child.type));
  if (destination === null || destination === undefined || operator === "<&") return { kind: "unknown", text: redirect.text };
  const target = evaluateWord(destination);
  return target.value === undefined ? { kind: "unknown", text: redirect.text } : { kind: "file", target };
}
