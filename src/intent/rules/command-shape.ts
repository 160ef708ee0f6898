import { bareCommands } from "../lexicon.js";
import type { ParseContext } from "../parse-context.js";

/**
 * Programs people name after "run" that are not in the lexicon's bare commands (they are everyday English
 * verbs too, so alone they are not read as commands): "run touch made-here.txt", "run cat notes.txt".
 */
const runnablePrograms = new Set([
  "touch",
  "cat",
  "head",
  "tail",
  "find",
  "sort",
  "uniq",
  "cut",
  "tr",
  "less",
  "more",
  "which",
  "whereis",
  "date",
  "cal",
  "bc",
  "expr",
  "seq",
  "sleep",
  "kill",
  "basename",
  "dirname",
  "realpath",
  "readlink",
  "true",
  "false",
  "test",
  "cd",
  "column",
  "nl",
  "od",
  "xxd",
  "hexdump",
  "strings",
  "cmp",
  "comm",
  "join",
  "paste",
  "split",
  "fold",
  "fmt",
  "rev",
  "shuf",
  "sha1sum",
  "sha512sum",
  "cksum",
  "gunzip",
  "bzip2",
  "xz",
  "7z",
  "ssh-keygen",
  "openssl",
  "sqlite3",
  "psql",
  "mysql",
  "redis-cli",
  "pytest",
  "jest",
  "vitest",
  "eslint",
  "prettier",
  "biome",
  "ruff",
  "black",
  "mypy",
  "watch",
  "time",
  "timeout",
  "nice",
  "lsb_release",
  "hostnamectl",
  "timedatectl",
  "locale",
  "ulimit",
  "type",
  "command",
  "alias",
  "history",
]);

/**
 * Programs whose names are everyday English verbs or nouns ("make the directory x", "zip up the taxes folder",
 * "file the report", "ping Sam"): read as commands only with options, shell syntax, or words that are theirs.
 */
const englishPrograms = new Map<string, ReadonlySet<string>>([
  [
    "make",
    new Set([
      "all",
      "clean",
      "install",
      "test",
      "tests",
      "check",
      "build",
      "dist",
      "distclean",
      "lint",
      "docs",
      "release",
      "run",
      "dev",
      "deps",
      "format",
      "help",
      "uninstall",
    ]),
  ],
  [
    "go",
    new Set([
      "build",
      "run",
      "test",
      "get",
      "mod",
      "vet",
      "fmt",
      "version",
      "env",
      "install",
      "list",
      "generate",
      "clean",
      "doc",
      "work",
      "tidy",
    ]),
  ],
  ["snap", new Set(["list", "install", "remove", "info", "find", "refresh", "version", "services", "run"])],
  [
    "brew",
    new Set(["install", "list", "update", "upgrade", "search", "info", "uninstall", "doctor", "cleanup", "outdated", "services"]),
  ],
  ["zip", new Set()],
  ["file", new Set()],
  ["free", new Set()],
  ["code", new Set()],
  ["ping", new Set()],
  ["tree", new Set()],
  ["top", new Set()],
  ["mount", new Set()],
  ["patch", new Set()],
  ["screen", new Set()],
  ["export", new Set()],
  ["tee", new Set()],
  ["groups", new Set()],
  ["id", new Set()],
  ["env", new Set()],
  ["stat", new Set()],
  ["diff", new Set()],
  ["sort", new Set()],
  ["find", new Set()],
  ["kill", new Set()],
  ["touch", new Set()],
  ["head", new Set()],
  ["tail", new Set()],
  ["cut", new Set()],
  ["split", new Set()],
  ["join", new Set()],
  ["watch", new Set()],
  ["time", new Set()],
  ["test", new Set()],
  ["type", new Set()],
  ["command", new Set()],
  ["history", new Set()],
  ["date", new Set()],
  ["less", new Set()],
  ["more", new Set()],
]);

/** Programs that change files: given one bare name and nothing else, the request is English ("zip Documents/taxes"). */
const oneNameIsEnglish = new Set(["make", "zip", "mount", "patch", "tee", "touch"]);

/**
 * English words that never stand as an argument of a command typed bare: articles, prepositions,
 * pronouns, particles and the words of a request ("make backup.sh in scripts executable", "zip up the folder").
 */
const englishWords = new Set(
  (
    "a an the of in into inside onto to from with without within by for on at as about over under up down out off " +
    "my your our their his her its me us them it this that these those there here what which who whom where when why how " +
    "and or but so then now please pls thanks all every each some any everything anything something nothing " +
    "is are was were be been being am do does did can could would should will shall may might must " +
    "i you we they he she executable readable writable runnable called named folder folders directory directories " +
    "file files archive zipped compressed copy copies backup everything"
  ).split(" "),
);

/** The shell's own syntax: pipes, redirects, lists, substitutions, variables, assignments. */
const shellSyntax = /[|><;&$`]|(?:^|\s)\w+=\S/;

/** The program a command line starts with ("/usr/bin/git" is git), lower-cased. */
export function programOf(command: string): string {
  const first = command.trim().split(/\s+/)[0] ?? "";
  return (first.split("/").pop() ?? first).toLowerCase();
}

/** The words of a command line, quoted ones whole (a quote may not be closed: then the rest is one word). */
export function commandWords(command: string): string[] {
  return command.match(/(?:[^\s'"]+|'[^']*'?|"[^"]*"?)+/g) ?? [];
}

/** A word that can only be an argument of a command: an option, a path, a pattern, a number, something quoted. */
function argumentShaped(word: string): boolean {
  return /^-|^\+[a-z]|[/.~*?=:@%,[\]{}'"\\]|^\d+$/i.test(word);
}

/** Whether the program is one the engine knows by name (the lexicon's bare commands, or the everyday ones above). */
export function knownProgram(program: string, context?: ParseContext): boolean {
  if (bareCommands.has(program) || runnablePrograms.has(program)) return true;
  if (!/^[a-z0-9][\w.+-]*$/.test(program) || context?.exists === undefined) return false;
  return ["/usr/bin/", "/bin/", "/usr/local/bin/"].some((folder) => context.exists?.(`${folder}${program}`) === "file");
}

/**
 * Whether text after "run" has the shape of a command line: a program AstrOS knows (or a path to one) with
 * arguments that are not English ("run touch made-here.txt"), or shell syntax. "run a bath", "run to the shop"
 * and "run diagnostics on my car" are not.
 */
export function looksLikeCommand(command: string, context?: ParseContext): boolean {
  const trimmed = command.trim();
  if (/^(?:\.{0,2}\/|~\/)\S+/.test(trimmed)) return true;
  const program = programOf(trimmed);
  if (bareCommands.has(program)) return true;
  if (knownProgram(program, context))
    return !commandWords(trimmed)
      .slice(1)
      .some((word) => englishWords.has(word.toLowerCase()));
  return /\s-{1,2}[a-z]/i.test(trimmed) || shellSyntax.test(trimmed);
}

/**
 * Whether a whole request, typed with no "run" before it, is a command line rather than an English sentence that
 * starts with a program's name. It is a command when every word after the program is an option, a path, a pattern,
 * a number, something quoted or a word of that program ("git status", "ls -la ~/Documents", "ps aux | grep node",
 * "chmod +x build.sh"); a request with English words in it ("make backup.sh in scripts executable", "make the
 * directory projects/newapp/src", "zip up Documents/taxes") is not, and neither is a question.
 */
export function readsAsCommand(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === "" || /\?\s*$/.test(trimmed)) return false;
  const program = programOf(trimmed);
  if (!bareCommands.has(program)) return false;
  // Everything after the first pipe, list or redirect is the shell's; the words before it say what this is.
  const firstPart = trimmed.split(/\s*(?:\|\|?|&&|;|>>?|<)\s*/)[0] ?? trimmed;
  const words = commandWords(firstPart).slice(1);
  const own = englishPrograms.get(program);
  const bare = words.filter((word) => !argumentShaped(word));
  if (bare.some((word) => englishWords.has(word.toLowerCase()))) return false;
  if (own !== undefined) {
    if (bare.some((word) => !own.has(word.toLowerCase()))) return false;
    const options = words.some((word) => word.startsWith("-")) || firstPart !== trimmed || shellSyntax.test(trimmed);
    if (words.length === 0) return false;
    if (oneNameIsEnglish.has(program) && !options && words.length === 1 && bare.length === 0) return false;
  }
  return true;
}
