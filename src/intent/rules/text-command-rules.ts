import { resolvePath } from "../entities/resolve-path.js";
import { type Candidate, candidate, type IntentRule, type RuleInput } from "../rule-input.js";

/**
 * The words of a command line, quotes and backslashes read as a shell reads them; undefined when the line holds
 * anything a shell would expand or connect (globs, pipes, redirections, variables, substitutions): such a line is
 * the shell's to run, judged by the guard, not a request these tools can do exactly.
 */
export function commandWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let started = false;
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const character = line[index] as string;
    if (quote !== undefined) {
      if (character === quote) quote = undefined;
      else if (quote === '"' && /[$`\\]/.test(character)) return undefined;
      else word += character;
      continue;
    }
    if (character === "'" || character === '"') {
      quote = character;
      started = true;
    } else if (character === "\\") {
      const next = line[index + 1];
      if (next === undefined) return undefined;
      word += next;
      started = true;
      index++;
    } else if (/\s/.test(character)) {
      if (started) words.push(word);
      word = "";
      started = false;
    } else if (/[|&;<>()$`*?[\]{}!#]/.test(character)) {
      return undefined;
    } else {
      word += character;
      started = true;
    }
  }
  if (quote !== undefined) return undefined;
  if (started) words.push(word);
  return words;
}

/** A count given to an option: a whole number, at least 1 (head's "+N" is N too). */
function lineCount(value: string | undefined, allowPlus: boolean): number | undefined {
  if (value === undefined || !(allowPlus ? /^\+?\d{1,9}$/ : /^\d{1,9}$/).test(value)) return undefined;
  const count = Number(value.replace("+", ""));
  return count >= 1 ? count : undefined;
}

/** head/tail's options: the line count and the files, or undefined for an option these tools do not do exactly. */
function headTailArguments(words: readonly string[], program: "head" | "tail") {
  let lines = 10;
  const files: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    if (word === "--") {
      files.push(...words.slice(index + 1));
      break;
    }
    let value: string | undefined;
    if (word === "-n" || word === "--lines") value = words[++index];
    else if (/^-n./.test(word)) value = word.slice(2);
    else if (word.startsWith("--lines=")) value = word.slice("--lines=".length);
    else if (/^-\d+$/.test(word)) value = word.slice(1);
    else if (word.startsWith("-") && word !== "-") return undefined;
    else {
      files.push(word);
      continue;
    }
    // tail -n +N starts at line N: not the last N lines.
    const count = lineCount(value, program === "head");
    if (count === undefined) return undefined;
    lines = count;
  }
  return files.length === 1 && files[0] !== "-" ? { lines, file: files[0] as string } : undefined;
}

const wcFlags: Record<string, string> = { l: "lines", w: "words", m: "characters", c: "bytes" };
const wcLongFlags: Record<string, string> = {
  "--lines": "lines",
  "--words": "words",
  "--chars": "characters",
  "--bytes": "bytes",
};

/** wc's options: what to count, in wc's order, and the files. */
function wcArguments(words: readonly string[]) {
  const what = new Set<string>();
  const files: string[] = [];
  for (const word of words) {
    if (wcLongFlags[word] !== undefined) what.add(wcLongFlags[word]);
    else if (/^-[a-z]+$/.test(word)) {
      for (const letter of word.slice(1)) {
        const flag = wcFlags[letter];
        if (flag === undefined) return undefined;
        what.add(flag);
      }
    } else if (word.startsWith("-")) return undefined;
    else files.push(word);
  }
  if (files.length === 0) return undefined;
  const order = ["lines", "words", "characters", "bytes"];
  const chosen = what.size === 0 ? ["lines", "words", "bytes"] : order.filter((flag) => what.has(flag));
  return { what: chosen, files };
}

const checksumPrograms: Record<string, string> = {
  md5sum: "md5",
  sha1sum: "sha1",
  sha224sum: "sha224",
  sha256sum: "sha256",
  sha384sum: "sha384",
  sha512sum: "sha512",
  b2sum: "blake2",
};

/** The command line as typed (before typo correction, politeness gone). */
function typedLine(input: RuleInput): string {
  return input.original(0, input.text.length).trim();
}

/**
 * head, tail, wc, stat and the checksum programs typed as commands ("head -n 3 Documents/people.csv", "tail -5 f",
 * "wc -l f", "sha256sum f", "stat f"): the tools that do exactly what the command says, its options understood. A line
 * with an option they do not do exactly, several files where they take one, a glob or a pipe is left to the shell
 * rule (the read-only command itself, through the guard).
 */
export const textCommandRule: IntentRule = (input) => {
  if (!/^(?:cat|head|tail|wc|stat|[a-z0-9]*sum)\s/.test(input.lower)) return undefined;
  const line = typedLine(input);
  const words = commandWords(line);
  const program = words?.[0]?.toLowerCase();
  if (words === undefined || program === undefined || words[0] !== program) return asCommand(line);
  const rest = words.slice(1);
  return exactly(input, program, rest) ?? asCommand(line);
};

/** The programs whose lines are read here; the others are the shell rule's. */
const readingPrograms = /^(?:cat|head|tail|wc|stat|md5sum|sha1sum|sha224sum|sha256sum|sha384sum|sha512sum|b2sum)$/;

/**
 * A line of one of these reading programs that the tools do not do exactly ("head -c 20 a.txt", "tail -n +2 f",
 * "wc -l *.md", "cat -n notes.txt", "cat a.txt b.txt"): the command itself, judged by the guard when it runs (surer
 * than reading only the first file named). Only reading: a line that pipes, redirects, chains or substitutes is not
 * taken here; following a file (tail -f) never ends, so it is not run.
 */
function asCommand(line: string): Candidate | undefined {
  const program = /^(\S+)\s/.exec(line)?.[1];
  if (program === undefined || !readingPrograms.test(program) || /[|<>;&$`]/.test(line)) return undefined;
  const files = line.split(/\s+/).slice(1);
  const several = files.length >= 2 && files.every((word) => /[./]/.test(word));
  if (!/\s-{1,2}[a-z0-9]|[*?]/i.test(line) && !several) return undefined;
  if (/^(?:tail|less)\b.*\s(?:-[a-z]*[fF]|--follow|--retry)\b/.test(line)) return undefined;
  return candidate("shell.run", 0.91, { command: line });
}

function exactly(input: RuleInput, program: string, rest: string[]): Candidate | undefined {
  const where = (file: string) => resolvePath(file, input.context);
  if (program === "head" || program === "tail") {
    const parsed = headTailArguments(rest, program);
    if (parsed === undefined) return undefined;
    return candidate(`files.${program}`, 0.96, { path: where(parsed.file), lines: parsed.lines, bare: true });
  }
  if (program === "wc") {
    const parsed = wcArguments(rest);
    if (parsed === undefined) return undefined;
    return candidate("files.count", 0.96, { paths: parsed.files.map(where), what: parsed.what, bare: true });
  }
  if (program === "stat") {
    if (rest.length !== 1 || (rest[0] as string).startsWith("-")) return undefined;
    return candidate("files.info", 0.96, { path: where(rest[0] as string), fact: "all" });
  }
  const algorithm = checksumPrograms[program];
  if (algorithm !== undefined) {
    const files = rest.filter((word) => word !== "-b" && word !== "--binary" && word !== "-t" && word !== "--text");
    if (files.length === 0 || files.some((word) => word.startsWith("-"))) return undefined;
    return candidate("files.checksum", 0.96, { paths: files.map(where), algorithm, bare: true });
  }
  return undefined;
}
