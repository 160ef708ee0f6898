import type { RuleFinding } from "./code-runners.js";
import type { SyntaxNode } from "./shell-parser.js";
import { evaluateWord } from "./shell-words.js";

/** Programs whose output is a number: feeding it to arithmetic cannot smuggle in code. */
const numericPrograms = new Set([
  "date",
  "wc",
  "nproc",
  "id",
  "getconf",
  "stat",
  "expr",
  "seq",
  "tput",
  "echo",
  "printf",
  "cut",
  "awk",
]);

const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });

/** Does this node (a substitution) only run programs that print numbers, with words known before it runs? */
function numericSubstitution(node: SyntaxNode): boolean {
  const commands = node.descendantsOfType("command");
  if (commands.length === 0) return false;
  return commands.every((command) => {
    const name = command?.childForFieldName("name");
    const value = name === null || name === undefined ? undefined : evaluateWord(name).value;
    return value !== undefined && numericPrograms.has(value);
  });
}

/**
 * Variables this script gives a value that arithmetic would run as code: text with a subscript or
 * an expansion in it (`x='a[$(cmd)]'`), or a value computed at run time (`x=$(cat f)`, `read x`).
 */
function suspiciousVariables(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const assignment of root.descendantsOfType("variable_assignment")) {
    const name = assignment?.childForFieldName("name")?.text;
    const value = assignment?.childForFieldName("value");
    if (name === undefined || value === null || value === undefined) continue;
    if (value.type === "command_substitution" && numericSubstitution(value)) continue;
    if (value.type === "arithmetic_expansion" || value.type === "number") continue;
    const known = evaluateWord(value).value;
    if (known === undefined || /[[$`]/.test(known)) names.add(name);
  }
  for (const loop of root.descendantsOfType("for_statement")) {
    const variable = loop?.childForFieldName("variable")?.text;
    const values = loop?.childrenForFieldName("value") ?? [];
    if (variable !== undefined && values.some((value) => value !== null && evaluateWord(value).value === undefined))
      names.add(variable);
  }
  for (const command of root.descendantsOfType("command")) {
    const name = command?.childForFieldName("name")?.text;
    if (name !== "read" && name !== "mapfile" && name !== "readarray") continue;
    for (const argument of command?.childrenForFieldName("argument") ?? []) {
      if (argument !== null && /^[A-Za-z_]\w*$/.test(argument.text)) names.add(argument.text);
    }
  }
  return names;
}

/** Why evaluating this arithmetic can run a command, or undefined. */
function arithmeticRisk(node: SyntaxNode, suspicious: ReadonlySet<string>): string | undefined {
  const substitutions = node.type === "command_substitution" ? [node] : node.descendantsOfType("command_substitution");
  for (const substitution of substitutions) {
    if (substitution !== null && !numericSubstitution(substitution))
      return `arithmetic on the output of ${substitution.text}, which can run commands through a subscript`;
  }
  for (const subscript of node.descendantsOfType("subscript")) {
    const index = subscript?.childForFieldName("index");
    if (index !== null && index !== undefined && /[$`]/.test(index.text))
      return `the array subscript in ${subscript?.text} is expanded twice and can run commands`;
  }
  const variables = [node, ...node.descendantsOfType(["variable_name", "simple_expansion", "expansion"])];
  for (const variable of variables) {
    if (variable === null) continue;
    const name = variable.type === "variable_name" ? variable.text : /^\$\{?([A-Za-z_]\w*)/.exec(variable.text)?.[1];
    if (name !== undefined && suspicious.has(name))
      return `arithmetic on ${name}, whose value can hold a subscript that runs commands`;
  }
  return undefined;
}

/** Arithmetic contexts: `$((…))`, `((…))`, `for ((…))`, subscripts, and `[[ a -eq b ]]`. */
function arithmeticNodes(root: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (const node of root.descendantsOfType([
    "arithmetic_expansion",
    "compound_statement",
    "c_style_for_statement",
    "subscript",
  ])) {
    if (node === null) continue;
    if (node.type === "compound_statement" && !node.text.startsWith("((")) continue;
    if (node.type === "subscript") {
      const index = node.childForFieldName("index");
      if (index !== null) found.push(index);
      continue;
    }
    found.push(node);
  }
  for (const test of root.descendantsOfType("binary_expression")) {
    const operator = test?.childForFieldName("operator")?.text;
    if (test !== null && operator !== undefined && /^-(eq|ne|lt|le|gt|ge)$/.test(operator)) found.push(test);
  }
  return found;
}

/**
 * Expansions that run code or compute words the guard cannot see: prompt expansion (`${v@P}` runs
 * the `$(…)` in v's value), escape expansion (`${v@E}`), indirection (`${!name}`), and arithmetic
 * whose array subscripts or variables can carry a command (`$(( a[$(cmd)] ))`, `x='a[$(cmd)]'; $((x))`),
 * and `[[ -v 'a[$(cmd)]' ]]`. Each is DANGEROUS.
 */
export function expansionRisks(root: SyntaxNode): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const text = root.text;
  const hasExpansion = text.includes("${");
  const hasArithmetic =
    text.includes("((") ||
    text.includes("$[") ||
    text.includes("[[") ||
    text.includes("let") ||
    (text.includes("[") && /\[[^\]]*[$`]/.test(text));
  if (!hasExpansion && !hasArithmetic) return findings;
  for (const expansion of hasExpansion ? root.descendantsOfType("expansion") : []) {
    const written = expansion?.text ?? "";
    if (/@P\}$/.test(written)) findings.push(dangerous(`${written} expands a prompt string, which runs the commands in it`));
    else if (/@E\}$/.test(written)) findings.push(dangerous(`${written} computes text from escapes at run time`));
    else if (/^\$\{!/.test(written) && !/^\$\{![A-Za-z_]\w*(\*|@|\[[@*]\])\}$/.test(written))
      findings.push(dangerous(`${written} reads the variable another variable names, which can run commands`));
  }
  if (!hasArithmetic && !/\$\{[^}]*\[/.test(text)) return findings;
  const suspicious = suspiciousVariables(root);
  for (const node of arithmeticNodes(root)) {
    const risk = arithmeticRisk(node, suspicious);
    if (risk !== undefined) findings.push(dangerous(risk));
  }
  for (const test of root.descendantsOfType("unary_expression")) {
    if (test !== null && /^-v\s/.test(test.text) && /\[.*[$`]/.test(test.text))
      findings.push(dangerous(`${test.text} evaluates a subscript that runs a command`));
  }
  return findings;
}
