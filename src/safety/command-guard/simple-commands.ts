import { homeRelativeText } from "./protected-targets.js";
import type { SyntaxNode } from "./shell-parser.js";
import { evaluateWord, type KnownVariable, type ShellWord, withKnownVariables } from "./shell-words.js";

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
  /** `NAME=value` words before the program (or the assignments of `export`/`declare`/`local`). */
  assignments?: Assignment[];
  /** Files its own output redirects write (`echo x > f`, `cat <<EOF > f`). */
  writes?: Redirect[];
}

/** A variable assignment; `value` is undefined when it is computed at run time. */
export interface Assignment {
  name: string;
  value: ShellWord;
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
  /** Assignments that stand alone (`x=1; …`), in order. */
  assignments: Assignment[];
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
export function collectScript(root: SyntaxNode, environment: Readonly<Record<string, string>> = {}): ShellScript {
  return withKnownVariables(knownVariables(root, environment), () => collectWith(root));
}

/** Declarations that only set a value (`export X=~`, `declare -x X=…`), not an array, a number or a reference. */
function plainDeclaration(node: SyntaxNode): boolean {
  const keyword = node.children[0]?.text ?? "";
  if (!["export", "declare", "typeset", "readonly", "local"].includes(keyword)) return false;
  return node.namedChildren.every(
    (child) => child?.type !== "word" || /^-[xrg]+$/.test(child.text) || !child.text.startsWith("-"),
  );
}

/** The statements that run one after another at the top of the script: `a; b`, and the parts of `a && b`. */
function topStatements(root: SyntaxNode): SyntaxNode[] {
  return root.namedChildren.flatMap((child) => (child === null ? [] : child.type === "list" ? listStatements(child) : [child]));
}

function listStatements(list: SyntaxNode): SyntaxNode[] {
  return list.namedChildren.flatMap((child) => (child === null ? [] : child.type === "list" ? listStatements(child) : [child]));
}

/**
 * Variables the script sets exactly once, as a statement of its own (`x=~; …`, `x=~ && …`, `export x=~; …`, not
 * inside a condition, a loop or a command's prefix), to a value known before it runs, and the variables of the
 * environment it runs in (HOME, USER) that it never sets. Any other way a name gets a value (a second assignment,
 * `read`, `for`, `unset`) makes it unknown.
 */
function knownVariables(root: SyntaxNode, environment: Readonly<Record<string, string>>): Map<string, KnownVariable> {
  // Nothing to use without an expansion.
  if (!root.text.includes("$") && !root.text.includes("`")) return new Map();
  const counts = new Map<string, number>();
  const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const node of root.descendantsOfType([
    "variable_assignment",
    "for_statement",
    "declaration_command",
    "unset_command",
    "command",
  ])) {
    if (node === null) continue;
    if (node.type === "variable_assignment") count(node.childForFieldName("name")?.text ?? "");
    else if (node.type === "for_statement") count(node.childForFieldName("variable")?.text ?? "");
    else if (
      node.type === "command" &&
      !/^(read|mapfile|readarray|printf|getopts|let|unset)$/.test(node.childForFieldName("name")?.text ?? "")
    )
      continue;
    else if (node.type === "declaration_command") {
      // Its assignments are counted as variable_assignment; a name declared with options (-a, -i, -n) changes meaning.
      if (!plainDeclaration(node)) for (const word of node.text.split(/\s+/).slice(1)) count(word.replace(/=.*$/, ""));
    } else for (const word of node.text.split(/\s+/).slice(1)) count(word.replace(/=.*$/, ""));
  }
  const known = new Map<string, KnownVariable>();
  for (const [name, value] of Object.entries(environment)) if (!counts.has(name)) known.set(name, { value, end: 0 });
  if (counts.has("IFS")) return known;
  for (const statement of topStatements(root)) {
    const assignments =
      statement.type === "variable_assignment"
        ? [statement]
        : statement.type === "declaration_command" && plainDeclaration(statement)
          ? statement.namedChildren.filter((child): child is SyntaxNode => child?.type === "variable_assignment")
          : [];
    for (const node of assignments) {
      const name = node.childForFieldName("name")?.text ?? "";
      const value = node.childForFieldName("value");
      if (counts.get(name) !== 1 || value === null) continue;
      const evaluated = withKnownVariables(known, () => evaluateWord(value).value) ?? homeRelativeText(value.text);
      if (evaluated !== undefined) known.set(name, { value: evaluated, end: statement.endIndex });
    }
  }
  return known;
}

function collectWith(root: SyntaxNode): ShellScript {
  const script: ShellScript = { commands: [], assignments: [], redirects: [], functions: [], syntaxError: root.hasError };
  const byNode = new Map<number, SimpleCommand>();
  visit(root, false);
  // `tee >(sh)`: a command inside an output process substitution reads what another command writes.
  for (const substitution of root.descendantsOfType("process_substitution")) {
    if (substitution === null || !substitution.text.startsWith(">(")) continue;
    const first = substitution.namedChildren.find((child) => child !== null);
    if (first === null || first === undefined) continue;
    for (const command of commandsIn(first)) command.stdin ??= { kind: "unknown", text: substitution.text };
  }
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
    if (node.type === "command" || node.type === "declaration_command" || node.type === "unset_command") {
      const command = node.type === "command" ? toCommand(node, substituted) : toDeclaration(node, substituted);
      script.commands.push(command);
      byNode.set(node.id, command);
    } else if (
      node.type === "variable_assignment" &&
      node.parent?.type !== "command" &&
      node.parent?.type !== "declaration_command"
    ) {
      const assignment = toAssignment(node);
      if (assignment !== undefined) script.assignments.push(assignment);
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
  const assignments: Assignment[] = [];
  for (const child of node.namedChildren) {
    if (child === null) continue;
    if (child.type === "command_name" || wordTypes.has(child.type)) words.push(evaluateWord(child));
    else if (child.type === "variable_assignment") {
      const assignment = toAssignment(child);
      if (assignment !== undefined) assignments.push(assignment);
    }
  }
  const stdin = standardInput(node);
  const writes = outputRedirects(node);
  return {
    text: node.text,
    words,
    substituted,
    ...(stdin === undefined ? {} : { stdin }),
    ...(assignments.length === 0 ? {} : { assignments }),
    ...(writes.length === 0 ? {} : { writes }),
  };
}

/** `export A=1 B`, `declare -n r=x`, `local x=$(…)`, `unset x`: the keyword, then each word or assignment as written. */
function toDeclaration(node: SyntaxNode, substituted: boolean): SimpleCommand {
  const keyword = node.children[0]?.text ?? "";
  const words: ShellWord[] = [{ value: keyword, text: keyword }];
  const assignments: Assignment[] = [];
  for (const child of node.namedChildren) {
    if (child === null) continue;
    if (child.type === "variable_assignment") {
      const assignment = toAssignment(child);
      if (assignment !== undefined) {
        assignments.push(assignment);
        const value = assignment.value.value;
        words.push({ value: value === undefined ? undefined : `${assignment.name}=${value}`, text: child.text });
      }
    } else words.push(evaluateWord(child));
  }
  return { text: node.text, words, substituted, ...(assignments.length === 0 ? {} : { assignments }) };
}

function toAssignment(node: SyntaxNode): Assignment | undefined {
  const name = node.childForFieldName("name");
  if (name === null) return undefined;
  const value = node.childForFieldName("value");
  return { name: name.text, value: value === null ? { value: "", text: "" } : evaluateWord(value) };
}

/** The output redirects of a command's own statement (`echo x > f`, `cat <<EOF > f`). */
function outputRedirects(command: SyntaxNode): Redirect[] {
  const parent = command.parent;
  if (parent?.type !== "redirected_statement" || parent.childForFieldName("body")?.id !== command.id) return [];
  const found: Redirect[] = [];
  for (const redirect of parent.descendantsOfType("file_redirect")) {
    if (redirect === null) continue;
    const operator = redirect.children.find((child) => child !== null && !child.isNamed)?.text ?? ">";
    if (operator.includes("<") && !operator.includes(">")) continue;
    const destination =
      redirect.childForFieldName("destination") ??
      redirect.namedChildren.find((child) => child !== null && wordTypes.has(child.type));
    if (destination !== null && destination !== undefined) found.push({ operator, target: evaluateWord(destination) });
  }
  return found;
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
