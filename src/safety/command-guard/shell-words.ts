import type { SyntaxNode } from "./shell-parser.js";

/** A shell word after quote removal; `value` is undefined when it depends on run-time expansion. */
export interface ShellWord {
  value: string | undefined;
  text: string;
  /** The word has unquoted glob characters (`/???/r?`, `/bin/r[m]`): the shell replaces it with matching names. */
  glob?: boolean;
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

/** A variable set once, unconditionally, to a known value: `$name` after `end` (its offset in the script) has that value. */
export interface KnownVariable {
  value: string;
  end: number;
}

let knownVariables: ReadonlyMap<string, KnownVariable> = new Map();

/** Evaluate words inside `work` knowing these variables (`x=~; rm -rf $x` is `rm -rf ~`). */
export function withKnownVariables<T>(variables: ReadonlyMap<string, KnownVariable>, work: () => T): T {
  const previous = knownVariables;
  knownVariables = variables;
  try {
    return work();
  } finally {
    knownVariables = previous;
  }
}

function variableValue(node: SyntaxNode): string | undefined {
  const name = /^\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})$/.exec(node.text);
  const known = knownVariables.get(name?.[1] ?? name?.[2] ?? "");
  if (known === undefined || node.startIndex < known.end) return undefined;
  // Unquoted, the value is split on blanks and matched as a glob: then it is not one known word.
  const quoted = node.parent?.type === "string";
  return !quoted && /[\s*?[]/.test(known.value) ? undefined : known.value;
}

/** Evaluate a word node the way the shell would, as far as that is knowable without running anything. */
export function evaluateWord(node: SyntaxNode): ShellWord {
  const value = wordValue(node);
  return value !== undefined && hasUnquotedGlob(node) ? { value, text: node.text, glob: true } : { value, text: node.text };
}

const globCharacter = /(^|[^\\])(\\\\)*([*?]|\[.*\])/;

/** Does the word have a `*`, `?` or `[` outside quotes (and not escaped)? */
function hasUnquotedGlob(node: SyntaxNode): boolean {
  if (node.type === "word") return globCharacter.test(node.text);
  if (node.type === "command_name") return node.namedChildren.some((child) => child !== null && hasUnquotedGlob(child));
  if (node.type !== "concatenation") return false;
  // The unquoted parts side by side (quoted ones stand in as plain letters): `r[m]` is split into several words.
  let unquoted = "";
  let index = node.startIndex;
  for (const child of node.namedChildren) {
    if (child === null) continue;
    unquoted += node.text.slice(index - node.startIndex, child.startIndex - node.startIndex);
    unquoted += child.type === "word" ? child.text : "x";
    index = child.endIndex;
  }
  return globCharacter.test(unquoted + node.text.slice(index - node.startIndex));
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
    case "simple_expansion":
    case "expansion":
      return variableValue(node);
    case "string": {
      let result = "";
      for (const child of node.namedChildren) {
        if (child === null) continue;
        if (child.type === "simple_expansion" || child.type === "expansion") {
          const value = variableValue(child);
          if (value === undefined) return undefined;
          result += value;
          continue;
        }
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
