import type { ShellWord } from "./shell-words.js";

/** What an awk command line says: its program (inline or files), libraries, in-place editing, and the files it names. */
export interface AwkCommand {
  /** Program text given on the command line: the first operand, or `--source`/`-e` values. */
  inlinePrograms: ShellWord[];
  /** Program files (`-f FILE`, `-E FILE`, `--file=FILE`). */
  programFiles: ShellWord[];
  /** Libraries loaded (`-i lib`, `--include=lib`) and extensions (`-l ext`, `--load=ext`). */
  libraries: Array<{ word: ShellWord; extension: boolean }>;
  /** `-i inplace`: every file operand is rewritten. */
  inPlace: boolean;
  /** Files written by `-o FILE`, `-p FILE`, `-d FILE` (pretty-print, profile, variable dump). */
  writtenByOptions: ShellWord[];
  /** Input file operands (not `var=value` assignments). */
  inputFiles: ShellWord[];
}

const word = (value: string): ShellWord => ({ value, text: value });

/** Long options that take a value, by what the value is. */
const longWithValue: Record<string, "program-file" | "exec-file" | "library" | "extension" | "source" | "other"> = {
  file: "program-file",
  exec: "exec-file",
  include: "library",
  load: "extension",
  source: "source",
  assign: "other",
  "field-separator": "other",
};
/** Long options whose value, if any, is attached (`--profile=FILE`) and names a file written. */
const longOptionalFile = new Set(["pretty-print", "profile", "dump-variables"]);
/** Short options that take a value (attached or the next word), and what the value is. */
const shortWithValue: Record<string, string> = {
  f: "file",
  E: "exec",
  i: "include",
  l: "load",
  e: "source",
  v: "assign",
  F: "field-separator",
};
/** Short options whose value, if any, is attached (`-oFILE`). */
const shortOptionalFile = new Set(["o", "p", "d", "D"]);

/**
 * Reads an awk, gawk, mawk or nawk command line as awk does: options and their values (attached or
 * separate, `-W opt` as gawk's and mawk's spelling of `--opt`), then the program unless a program file
 * or `--source` gave one, then the input files.
 */
export function parseAwkCommand(words: ShellWord[]): AwkCommand {
  const command: AwkCommand = {
    inlinePrograms: [],
    programFiles: [],
    libraries: [],
    inPlace: false,
    writtenByOptions: [],
    inputFiles: [],
  };
  const operands: ShellWord[] = [];
  let index = 1;
  let optionsEnded = false;
  const take = (long: string, attached: string | undefined): void => {
    const kind = longWithValue[long];
    if (kind === undefined) {
      if (longOptionalFile.has(long) && attached !== undefined && attached !== "") command.writtenByOptions.push(word(attached));
      return;
    }
    let value: ShellWord | undefined;
    if (attached !== undefined) value = word(attached);
    else {
      index++;
      value = words[index];
    }
    if (value === undefined) return;
    if (kind === "program-file") command.programFiles.push(value);
    else if (kind === "exec-file") {
      command.programFiles.push(value);
      optionsEnded = true;
    } else if (kind === "source") command.inlinePrograms.push(value);
    else if (kind === "library" || kind === "extension") {
      command.libraries.push({ word: value, extension: kind === "extension" });
      if (kind === "library" && /^inplace(\.awk)?$/.test(value.value ?? "")) command.inPlace = true;
    }
  };
  for (; index < words.length; index++) {
    const current = words[index] as ShellWord;
    const value = current.value;
    if (optionsEnded || value === undefined || value === "-" || !value.startsWith("-")) {
      operands.push(current);
      optionsEnded = true;
      continue;
    }
    if (value === "--") {
      optionsEnded = true;
      continue;
    }
    if (value.startsWith("--")) {
      const equals = value.indexOf("=");
      const long = equals < 0 ? value.slice(2) : value.slice(2, equals);
      take(long, equals < 0 ? undefined : value.slice(equals + 1));
      continue;
    }
    if (value === "-W" || value.startsWith("-W")) {
      // `-W source=CODE`, `-W exec FILE`, `-Wexec=FILE`: gawk's and mawk's way of writing long options.
      let spelled = value.slice(2);
      if (spelled === "") {
        index++;
        spelled = words[index]?.value ?? "";
      }
      const equals = spelled.indexOf("=");
      take(equals < 0 ? spelled : spelled.slice(0, equals), equals < 0 ? undefined : spelled.slice(equals + 1));
      continue;
    }
    // A bundle of short options: the first one that takes a value takes the rest of the word or the next word.
    for (let at = 1; at < value.length; at++) {
      const letter = value[at] as string;
      const long = shortWithValue[letter];
      if (long !== undefined) {
        const rest = value.slice(at + 1);
        take(long, rest === "" ? undefined : rest);
        break;
      }
      if (shortOptionalFile.has(letter)) {
        const rest = value.slice(at + 1);
        if (rest !== "") command.writtenByOptions.push(word(rest));
        break;
      }
    }
  }
  const files = command.programFiles.length > 0 || command.inlinePrograms.length > 0 ? operands : operands.slice(1);
  if (files !== operands && operands[0] !== undefined) command.inlinePrograms.push(operands[0]);
  command.inputFiles = files.filter((operand) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(operand.value ?? ""));
  return command;
}

/** Something an awk program does outside printing: writes a file, runs a command, or uses the network. */
export interface AwkEffect {
  kind: "write" | "command" | "network" | "reads-computed";
  /** The literal file or command, when the program spells it as a string; undefined when computed. */
  target?: string;
  text: string;
}

/** The index just past the string literal starting at `start` (a `"`), and its value. */
function readString(program: string, start: number): { end: number; value: string } {
  let value = "";
  let at = start + 1;
  while (at < program.length && program[at] !== '"') {
    if (program[at] === "\\" && at + 1 < program.length) {
      const next = program[at + 1] as string;
      value += { n: "\n", t: "\t", "\\": "\\", '"': '"', "/": "/" }[next] ?? `\\${next}`;
      at += 2;
      continue;
    }
    value += program[at];
    at++;
  }
  return { end: at + 1, value };
}

/** A redirection or pipe target: a lone string literal is known, anything else is computed. */
function literalTarget(expression: string): string | undefined {
  const trimmed = expression
    .trim()
    .replace(/^\((.*)\)$/s, "$1")
    .trim();
  if (!trimmed.startsWith('"')) return undefined;
  const { end, value } = readString(trimmed, 0);
  return end === trimmed.length ? value : undefined;
}

/**
 * The effects of an awk program: `print > FILE`, `print >> FILE`, `print | "cmd"`, `print |& "cmd"`,
 * `"cmd" | getline`, `system(...)`, `getline < FILE` and gawk's `/inet/` network files. Statements are
 * split at top-level `;`, `}`, `{` and newlines, outside strings and parentheses.
 */
export function awkProgramEffects(program: string): AwkEffect[] {
  const effects: AwkEffect[] = [];
  if (/\/inet[46]?\//.test(program)) effects.push({ kind: "network", text: "/inet/" });
  // Mask strings so that operators inside them are not read; keep their positions.
  let masked = "";
  for (let at = 0; at < program.length; ) {
    if (program[at] === '"') {
      const { end } = readString(program, at);
      const length = Math.min(end, program.length) - at;
      masked += `"${"_".repeat(Math.max(0, length - 1))}`;
      at = end;
      continue;
    }
    masked += program[at];
    at++;
  }
  const original = (from: number, to: number): string => program.slice(from, to);
  // system(EXPR)
  for (const match of masked.matchAll(/\bsystem\s*\(/g)) {
    const open = (match.index ?? 0) + match[0].length;
    const close = closingParenthesis(masked, open);
    const argument = original(open, close);
    effects.push({ kind: "command", target: literalTarget(argument), text: `system(${argument})` });
  }
  // Statements: split at top-level separators.
  const statements: Array<{ from: number; to: number }> = [];
  let depth = 0;
  let from = 0;
  for (let at = 0; at <= masked.length; at++) {
    const char = masked[at];
    if (char === "(" || char === "[") depth++;
    else if ((char === ")" || char === "]") && depth > 0) depth--;
    if (at === masked.length || (depth === 0 && (char === ";" || char === "{" || char === "}" || char === "\n"))) {
      statements.push({ from, to: at });
      from = at + 1;
    }
  }
  for (const statement of statements) {
    const text = masked.slice(statement.from, statement.to);
    // "cmd" | getline, cmd |& getline
    const getlinePipe = /\|&?\s*getline\b/.exec(text);
    if (getlinePipe !== null) {
      const before = original(statement.from, statement.from + getlinePipe.index);
      effects.push({ kind: "command", target: literalTarget(before), text: original(statement.from, statement.to).trim() });
    }
    const getlineFrom = /\bgetline\b[^<|]*<\s*(.*)$/s.exec(text);
    if (getlineFrom !== null && literalTarget(original(statement.to - (getlineFrom[1] ?? "").length, statement.to)) === undefined)
      effects.push({ kind: "reads-computed", text: original(statement.from, statement.to).trim() });
    const print = /\bprintf?\b/.exec(text);
    if (print === null) continue;
    let level = 0;
    for (let at = print.index + print[0].length; at < text.length; at++) {
      const char = text[at];
      if (char === "(" || char === "[") level++;
      else if ((char === ")" || char === "]") && level > 0) level--;
      if (level > 0 || (char !== ">" && char !== "|")) continue;
      const coprocess = char === "|" && text[at + 1] === "&";
      if (char === "|" && text[at + 1] === "|") {
        at++;
        continue;
      }
      const skip = coprocess || (char === ">" && text[at + 1] === ">") ? 2 : 1;
      const expression = original(statement.from + at + skip, statement.to);
      const target = literalTarget(expression);
      effects.push({
        kind: char === ">" ? "write" : "command",
        target,
        text: original(statement.from + print.index, statement.to).trim(),
      });
      if (coprocess) effects.push({ kind: "command", text: "|& coprocess" });
      break;
    }
  }
  return effects;
}

function closingParenthesis(text: string, open: number): number {
  let depth = 1;
  for (let at = open; at < text.length; at++) {
    if (text[at] === "(") depth++;
    else if (text[at] === ")" && --depth === 0) return at;
  }
  return text.length;
}
