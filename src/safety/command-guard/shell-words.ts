import { type SubstitutionReader, substitutionOutput } from "./computed-words.js";
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

/** The value of a known variable at `offset` in the script; undefined when not known there. */
function knownAt(name: string, offset: number): string | undefined {
  const known = knownVariables.get(name);
  return known === undefined || offset < known.end ? undefined : known.value;
}

/** A glob pattern of `${x%pattern}` as a regular expression (`*`, `?` and literal characters); undefined for others. */
function patternSource(pattern: string): string | undefined {
  if (/[[\\$`'"]/.test(pattern)) return undefined;
  return pattern
    .split("")
    .map((letter) => (letter === "*" ? ".*" : letter === "?" ? "." : letter.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")))
    .join("");
}

/**
 * `$x`, `${x}`, and the forms that keep a known, non-empty value or cut a literal pattern from it: `${x:?msg}`,
 * `${x:-y}`, `${x:=y}` (and without the colon), `${x%pat}`, `${x%%pat}`, `${x#pat}`, `${x##pat}`.
 */
function expandedValue(text: string, offset: number): string | undefined {
  const plain = /^\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})$/.exec(text);
  if (plain !== null) return knownAt(plain[1] ?? plain[2] ?? "", offset);
  const modified = /^\$\{([A-Za-z_]\w*)(:?[-?=+]|%%?|##?)(.*)\}$/s.exec(text);
  if (modified === null) return undefined;
  const [, name = "", operator = "", rest = ""] = modified;
  const known = knownAt(name, offset);
  if (known === undefined || known === "") return undefined;
  // Cutting a pattern works on the folder `~` stands for.
  const home = knownAt(homeFolderKey, 0);
  const value =
    /^[%#]/.test(operator) && home !== undefined && (known === "~" || known.startsWith("~/")) ? home + known.slice(1) : known;
  if (/^:?[-?=]$/.test(operator)) return value;
  if (operator.startsWith("%") || operator.startsWith("#")) {
    const source = patternSource(rest);
    if (source === undefined) return undefined;
    const whole = new RegExp(`^(?:${source})$`, "s");
    const cuts = [...Array(value.length + 1).keys()];
    // % cuts the shortest matching end, %% the longest; # the shortest matching start, ## the longest.
    if (operator.startsWith("%")) {
      for (const at of operator === "%" ? cuts.reverse() : cuts) if (whole.test(value.slice(at))) return value.slice(0, at);
    } else {
      for (const at of operator === "#" ? cuts : cuts.reverse()) if (whole.test(value.slice(0, at))) return value.slice(at);
    }
    return value;
  }
  return undefined;
}

function variableValue(node: SyntaxNode): string | undefined {
  const value = expandedValue(node.text, node.startIndex);
  if (value === undefined) return undefined;
  // Unquoted, the value is split on blanks and matched as a glob: then it is not one known word.
  return !quotedHere(node) && /[\s*?[]/.test(value) ? undefined : value;
}

/** Is this expansion inside double quotes (no splitting, no globbing)? */
function quotedHere(node: SyntaxNode): boolean {
  return node.parent?.type === "string";
}

/** Where the home folder is, among the known variables (a key no variable can have): `~` expands to it. */
export const homeFolderKey = " home folder";

const substitutionReader: SubstitutionReader = {
  evaluate: (node) => evaluateWord(node),
  variable: (name) => knownAt(name, 0),
  homeFolder: () => knownAt(homeFolderKey, 0),
};

/** `$(echo ~)`, `` `whoami` ``: what the substitution prints, when the guard can compute it (see `substitutionOutput`). */
function substitutedValue(node: SyntaxNode): string | undefined {
  if (node.text.startsWith("<(") || node.text.startsWith(">(")) return undefined;
  const output = substitutionOutput(node, substitutionReader);
  if (output === undefined) return undefined;
  return !quotedHere(node) && /[\s*?[]/.test(output) ? undefined : output;
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
    case "command_substitution":
      return substitutedValue(node);
    case "string": {
      let result = "";
      for (const child of node.namedChildren) {
        if (child === null) continue;
        if (child.type === "simple_expansion" || child.type === "expansion" || child.type === "command_substitution") {
          const value = child.type === "command_substitution" ? substitutedValue(child) : variableValue(child);
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
