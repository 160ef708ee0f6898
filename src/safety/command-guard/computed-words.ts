import path from "node:path";
import type { SyntaxNode } from "./shell-parser.js";
import type { ShellWord } from "./shell-words.js";

/** How a command substitution's words and variables are read: the caller's word evaluation and known variables. */
export interface SubstitutionReader {
  evaluate(node: SyntaxNode): ShellWord;
  variable(name: string): string | undefined;
  /** The home folder, absolute, when known. */
  homeFolder(): string | undefined;
}

/** `~` and `~/x` as the inner shell expands them, when HOME is known; `~user` is not (undefined). */
function expandTilde(value: string, reader: SubstitutionReader): string | undefined {
  if (!value.startsWith("~")) return value;
  const home = reader.homeFolder();
  if (home === undefined) return undefined;
  if (value === "~" || value.startsWith("~/")) return home + value.slice(1);
  const user = value.slice(1).split("/")[0] ?? "";
  return user !== "" && user === reader.variable("USER") ? home + value.slice(1 + user.length) : undefined;
}

/** printf's output for a format of `%s`/`%b`/`%%` and `\n`/`\t`/`\\`, reused while arguments remain; undefined for others. */
function printfOutput(format: string, args: readonly string[]): string | undefined {
  if (/%(?![sb%])/.test(format) || /\\(?![nt\\])/.test(format)) return undefined;
  const escaped = format.replace(/\\([nt\\])/g, (_all, letter: string) => (letter === "n" ? "\n" : letter === "t" ? "\t" : "\\"));
  let output = "";
  let next = 0;
  do {
    output += escaped.replace(/%([sb%])/g, (_all, letter: string) => (letter === "%" ? "%" : (args[next++] ?? "")));
  } while (next < args.length && /%[sb]/.test(escaped));
  return output;
}

/** The output of one simple command the guard can compute without running anything; undefined for any other. */
function commandOutput(command: SyntaxNode, reader: SubstitutionReader): string | undefined {
  const parts = command.namedChildren.filter((child): child is SyntaxNode => child !== null);
  if (parts.some((part) => part.type === "variable_assignment" || part.type.endsWith("redirect"))) return undefined;
  const words = parts.map((part) => reader.evaluate(part));
  if (words.some((word) => word.value === undefined || word.glob === true)) return undefined;
  const [name, ...args] = words.map((word) => word.value as string);
  switch (name) {
    case "echo": {
      const flags = args.findIndex((arg) => !/^-[neE]+$/.test(arg));
      const options = (flags < 0 ? args : args.slice(0, flags)).join("");
      const rest = flags < 0 ? [] : args.slice(flags);
      if (options.includes("e") && rest.some((arg) => arg.includes("\\"))) return undefined;
      return `${rest.join(" ")}${options.includes("n") ? "" : "\n"}`;
    }
    case "printf":
      return args[0] === undefined || args[0].startsWith("-") ? undefined : printfOutput(args[0], args.slice(1));
    case "dirname":
    case "basename":
    case "realpath":
    case "readlink": {
      const options = args.filter((arg) => arg.startsWith("-"));
      const operands = args.filter((arg) => !arg.startsWith("-"));
      if (operands.length !== 1 || (name === "readlink" && !options.some((option) => /^-[a-z]*[fem]/.test(option))))
        return undefined;
      const operand = expandTilde(operands[0] as string, reader);
      if (operand === undefined) return undefined;
      if (name === "dirname") return `${path.posix.dirname(operand)}\n`;
      if (name === "basename") return `${path.posix.basename(operand)}\n`;
      // The guard does not follow links here: the path as the words name it, made normal.
      return operand.startsWith("/") ? `${path.posix.normalize(operand).replace(/(.)\/+$/, "$1")}\n` : undefined;
    }
    case "whoami":
    case "logname":
      return args.length === 0 ? optionalLine(reader.variable("USER")) : undefined;
    case "id":
      return args.length === 1 && /^-(un|nu)$/.test(args[0] as string) ? optionalLine(reader.variable("USER")) : undefined;
    case "printenv":
      return args.length === 1 ? optionalLine(reader.variable(args[0] as string)) : undefined;
    default:
      return undefined;
  }
}

function optionalLine(value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${value}\n`;
}

/**
 * What a command substitution prints, when the guard can compute it without running anything: `$(echo ~)`,
 * `` `printf %s "$HOME"` ``, `$(dirname ~/x)`, `$(realpath ~)`, `$(whoami)`, `$(cd ~ && pwd)`. Trailing newlines are
 * removed, as the shell removes them. Undefined for anything else (it is known only at run time).
 */
export function substitutionOutput(node: SyntaxNode, reader: SubstitutionReader): string | undefined {
  const statements = node.namedChildren.filter((child): child is SyntaxNode => child !== null && child.type !== "comment");
  const flat = statements.length === 1 && statements[0]?.type === "list" ? listParts(statements[0]) : statements;
  let output: string | undefined;
  if (flat.length === 1 && flat[0]?.type === "command") output = commandOutput(flat[0], reader);
  else if (flat.length === 2 && flat.every((statement) => statement.type === "command")) {
    // `cd DIR; pwd` and `cd DIR && pwd` print DIR.
    const [change, print] = flat as [SyntaxNode, SyntaxNode];
    const changeWords = change.namedChildren.filter((child): child is SyntaxNode => child !== null).map(reader.evaluate);
    const printWords = print.namedChildren.filter((child): child is SyntaxNode => child !== null).map(reader.evaluate);
    if (changeWords[0]?.value === "cd" && changeWords.length <= 2 && printWords.length === 1 && printWords[0]?.value === "pwd") {
      const folder = changeWords.length === 1 ? "~" : changeWords[1]?.value;
      const expanded = folder === undefined ? undefined : expandTilde(folder, reader);
      if (expanded?.startsWith("/")) output = `${path.posix.normalize(expanded).replace(/(.)\/+$/, "$1")}\n`;
    }
  }
  return output?.replace(/\n+$/, "");
}

/** The commands of `a && b`, `a || b` in order (only `&&` and `;`-like joins are read; `||` runs b only when a fails). */
function listParts(list: SyntaxNode): SyntaxNode[] {
  if (list.children.some((child) => child?.type === "||")) return [list];
  return list.namedChildren.flatMap((child) => (child === null ? [] : child.type === "list" ? listParts(child) : [child]));
}
