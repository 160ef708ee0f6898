import path from "node:path";
import { writtenFiles } from "./file-writers.js";
import type { ShellWord } from "./shell-words.js";
import type { SimpleCommand } from "./simple-commands.js";
import { programName, unwrap } from "./unwrap-command.js";

/**
 * What one command does to the content of a file it names: empties it (`: > f`, `truncate -s0 f`) or
 * writes over it (`tee f`, `dd of=f`, `sed -i`, `sqlite3 db 'drop table …'`). The path is as written,
 * or joined to each folder the line's `cd` may have led to. The pipeline's effect policy judges these
 * like deletes: AstrOS's audit log, journal and database are never emptied or overwritten.
 */
export interface ContentChange {
  kind: "empty" | "overwrite";
  path: string;
}

/** SQL that changes a database (or an interactive session, which may). */
const changingSql =
  /\b(drop|delete|update|insert|alter|create|replace|vacuum|reindex|attach|detach)\b|pragma\s+\w+\s*=|^\s*\.(restore|import|read|shell|system)\b/im;

/** The database a sqlite3 command opens and whether what it runs may change it. */
function sqliteChange(words: ShellWord[]): ShellWord | undefined {
  const operands = words.slice(1).filter((word) => !(word.value ?? word.text).startsWith("-"));
  const database = operands[0];
  if (database === undefined) return undefined;
  const sql = operands.slice(1).map((word) => word.value ?? word.text);
  // No SQL on the line: it reads its statements from the input, which may change anything.
  if (sql.length === 0 || sql.some((statement) => changingSql.test(statement))) return database;
  return undefined;
}

/** The contents a command empties or overwrites, with paths made absolute from the known working folders. */
export function contentChanges(
  command: SimpleCommand,
  words: ShellWord[],
  workingDirectories: readonly (string | undefined)[],
): ContentChange[] {
  const named: Array<{ kind: ContentChange["kind"]; word: ShellWord }> = [];
  for (const redirect of command.writes ?? []) {
    if (redirect.operator.includes(">>") || redirect.operator.includes("<")) continue;
    named.push({ kind: printsNothing(command) ? "empty" : "overwrite", word: redirect.target });
  }
  const inner = unwrap(words).words;
  const name = programName(inner[0]) ?? "";
  if (name === "truncate") for (const written of writtenFiles(name, inner)) named.push({ kind: "empty", word: written.target });
  else if (["tee", "dd", "sed", "perl", "sort", "shuf", "yq", "xxd"].includes(name))
    for (const written of writtenFiles(name, inner)) named.push({ kind: "overwrite", word: written.target });
  else if (["cp", "mv", "install", "rsync"].includes(name)) {
    // Each source's name in the destination folder, and the destination itself when it is not said to be a folder
    // (`cp /dev/null audit.log`, `mv x audit.log`): a file there is written over.
    for (const written of writtenFiles(name, inner)) {
      const value = written.target.value;
      if (value !== undefined && !/\/$|^~$|(^|\/)\.\.?$/.test(value)) named.push({ kind: "overwrite", word: written.target });
    }
  } else if (name === "sqlite3" || name === "sqlite") {
    const database = sqliteChange(inner);
    if (database !== undefined) named.push({ kind: "overwrite", word: database });
  }
  return resolvedChanges(named, workingDirectories);
}

/** What the line's `>` redirections write over, wherever the parser put them (`cd d && : > f`). */
export function redirectChanges(
  redirects: readonly { operator: string; target: ShellWord }[],
  workingDirectories: readonly (string | undefined)[],
): ContentChange[] {
  const named = redirects
    .filter(
      (redirect) => redirect.operator.includes(">") && !redirect.operator.includes(">>") && !redirect.operator.includes("&"),
    )
    .map((redirect) => ({ kind: "overwrite" as const, word: redirect.target }));
  return resolvedChanges(named, workingDirectories);
}

function resolvedChanges(
  named: ReadonlyArray<{ kind: ContentChange["kind"]; word: ShellWord }>,
  workingDirectories: readonly (string | undefined)[],
): ContentChange[] {
  const changes: ContentChange[] = [];
  for (const { kind, word } of named) {
    const value = word.value;
    if (value === undefined || /^(\/dev\/|&?\d$)/.test(value)) continue;
    changes.push({ kind, path: value });
    if (value.startsWith("/") || value.startsWith("~")) continue;
    for (const directory of workingDirectories)
      if (directory !== undefined) changes.push({ kind, path: path.posix.join(directory, value) });
  }
  return changes;
}

/** `: > f`, `> f`, `true > f`, `echo -n > f`: the file is left empty. */
function printsNothing(command: SimpleCommand): boolean {
  const words = command.words.map((word) => word.value ?? word.text);
  return words.length === 0 || ((words[0] === ":" || words[0] === "true") && words.length === 1);
}
