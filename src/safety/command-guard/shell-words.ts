import type { SyntaxNode } from "./shell-parser.js";

/** A shell word after quote removal; `value` is undefined when it depends on run-time expansion. */
export interface ShellWord {
  value: string | undefined;
  text: string;
}

const escapes: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  e: "\x1b",
  "0": "\0",
};

/** Evaluate a word node the way the shell would, as far as that is knowable without running anything. */
export function evaluateWord(node: SyntaxNode): ShellWord {
  return { value: wordValue(node), text: node.text };
}

function wordValue(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case "command_name":
      return node.namedChildren[0] ? wordValue(node.namedChildren[0]) : node.text;
    case "number":
      // A number with named children is arithmetic or an expansion: known only at run time.
      return node.namedChildCount > 0 ? undefined : node.text;
    case "word":
      // Line continuations are removed before parsing; what is left is ordinary escapes.
      return node.text.replace(/\\(.)/gs, "$1");
    case "raw_string":
      return node.text.slice(1, -1);
    case "ansi_c_string":
      return node.text.slice(2, -1).replace(/\\(.)/g, (_, character: string) => escapes[character] ?? character);
    case "string": {
      let result = "";
      for (const child of node.namedChildren) {
        if (child === null) continue;
        if (child.type !== "string_content") return undefined;
        result += child.text.replace(/\\([$`"\\\n])/g, "$1");
      }
      return result;
    }
    case "translated_string":
      return node.namedChildren[0] ? wordValue(node.namedChildren[0]) : undefined;
    case "concatenation":
      return reconstruct(node);
    default:
      return undefined;
  }
}

/** Rebuild a concatenation's value from its text, with quotes and escapes removed. */
function reconstruct(node: SyntaxNode): string | undefined {
  let result = "";
  let index = 0;
  const text = node.text;
  const children = node.namedChildren.filter((child): child is SyntaxNode => child !== null);
  const base = node.startIndex;
  for (const child of children) {
    const start = child.startIndex - base;
    result += text.slice(index, start).replace(/\\(.)/gs, "$1");
    const value = wordValue(child);
    if (value === undefined) return undefined;
    result += value;
    index = child.endIndex - base;
  }
  return result + text.slice(index).replace(/\\(.)/gs, "$1");
}
