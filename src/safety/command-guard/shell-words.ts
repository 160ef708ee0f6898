import type { SyntaxNode } from "./shell-parser.js";

/** A shell word after quote removal; `value` is undefined when it depends on run-time expansion. */
export interface ShellWord {
  value: string | undefined;
  text: string;
}

/** The single-character escapes of bash's $'...' strings. */
const escapes: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

/**
 * The value of a bash $'...' string body, as bash computes it: single-character escapes, octal
 * (`\162`), hexadecimal (`\x72`), Unicode (`\u0072`, `\U00000072`) and control (`\cA`) escapes.
 * An unknown escape keeps its backslash; a NUL ends the string, as it does in bash.
 */
export function ansiCValue(body: string): string {
  const decoded = body.replace(
    /\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8})|c(.)|(.))/gs,
    (whole, octal?: string, hex?: string, unicode?: string, wide?: string, control?: string, single?: string) => {
      if (octal !== undefined) return String.fromCharCode(Number.parseInt(octal, 8) & 0xff);
      if (hex !== undefined) return String.fromCharCode(Number.parseInt(hex, 16));
      const point = unicode ?? wide;
      if (point !== undefined) {
        const code = Number.parseInt(point, 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      if (control !== undefined) return String.fromCharCode(control.toUpperCase().charCodeAt(0) ^ 0x40);
      return escapes[single ?? ""] ?? whole;
    },
  );
  const end = decoded.indexOf("\0");
  return end < 0 ? decoded : decoded.slice(0, end);
}

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
      return ansiCValue(node.text.slice(2, -1));
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
