import type { SyntaxNode } from "./shell-parser.js";
import { evaluateWord, type ShellWord } from "./shell-words.js";

/** One simple command (a program and its arguments), wherever it stands in the script. */
export interface SimpleCommand {
  text: string;
  /** The program (first word) and its arguments, quotes removed. */
  words: ShellWord[];
  /** Inside $(...), `...` or <(...). */
  substituted: boolean;
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
  /** Each pipeline's stages, in order. */
  pipelines: SimpleCommand[][];
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

/** Walk a parsed script and collect its commands, pipelines, redirects and functions. */
export function collectScript(root: SyntaxNode): ShellScript {
  const script: ShellScript = { commands: [], pipelines: [], redirects: [], functions: [], syntaxError: root.hasError };
  const byNode = new Map<number, SimpleCommand>();
  visit(root, false);
  for (const pipeline of root.descendantsOfType("pipeline")) {
    if (pipeline === null) continue;
    const stages: SimpleCommand[] = [];
    for (const child of pipeline.namedChildren) {
      const command = child?.type === "redirected_statement" ? child.childForFieldName("body") : child;
      if (command?.type === "command") {
        const found = byNode.get(command.id);
        if (found !== undefined) stages.push(found);
      }
    }
    script.pipelines.push(stages);
  }
  return script;

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
  return { text: node.text, words, substituted };
}
