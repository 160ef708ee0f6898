import type { ShellWord } from "./shell-words.js";
import { programName, unwrap } from "./unwrap-command.js";

/**
 * What a `find` that removes or rewrites what it matches may reach: its start folders (as written) and the tests that
 * pick files (`-name`, `-path`, `-regex`…), so the effect policy can tell whether AstrOS's own state is among them.
 * `opaque`: the expression has negations, alternatives or groups the policy cannot read, so it may match anything.
 */
export interface FindScope {
  starts: string[];
  tests: Array<{ test: string; pattern: string }>;
  opaque: boolean;
}

/** Programs that only read the files find hands them: `-exec cat {} +` changes nothing. */
const readers = new Set(
  "cat grep egrep fgrep rg ls stat file head tail wc md5sum sha1sum sha256sum sha512sum b2sum echo printf du readlink realpath basename dirname test [ less more strings od xxd hexdump diff cmp".split(
    " ",
  ),
);

const patternTests = new Set(["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex"]);
/** Options and tests that take one value (after them, not a start folder). */
const valued =
  /^-(name|iname|path|ipath|wholename|iwholename|regex|iregex|lname|ilname|type|xtype|size|mtime|mmin|atime|amin|ctime|cmin|newer|anewer|cnewer|user|group|uid|gid|perm|maxdepth|mindepth|links|inum|samefile|fstype|used|printf|fprint|fprint0|fprintf|fls|regextype|context|newer\w+|D|O)$/;

/** find's actions that remove or rewrite what matched: `-delete`, or `-exec`/`-execdir`/`-ok` with a program that is not a reader. */
function destroys(words: readonly ShellWord[]): boolean {
  for (const [index, word] of words.entries()) {
    if (word.value === "-delete") return true;
    if (["-exec", "-execdir", "-ok", "-okdir"].includes(word.value ?? "")) {
      const inner = unwrap(words.slice(index + 1)).words;
      const name = programName(inner[0]);
      if (name === undefined || !readers.has(name)) return true;
    }
  }
  return false;
}

/** The scope of `words` (a find command) as `removes` says: undefined when it neither deletes nor rewrites what it finds. */
export function findScope(words: readonly ShellWord[], removes = destroys(words)): FindScope | undefined {
  if (!removes) return undefined;
  const starts: string[] = [];
  const tests: FindScope["tests"] = [];
  let opaque = false;
  let expression = false;
  for (let index = 1; index < words.length; index++) {
    const value = words[index]?.value;
    if (value === undefined) {
      opaque = true;
      continue;
    }
    if (["-exec", "-execdir", "-ok", "-okdir"].includes(value)) {
      // The command runs on each match: its words are not tests.
      while (index < words.length && words[index]?.value !== ";" && words[index]?.value !== "+") index++;
      continue;
    }
    if (!expression && (value.startsWith("-") || value === "!" || value === "(")) {
      if (/^-[HLP]$/.test(value)) continue;
      expression = true;
    }
    if (!expression) {
      starts.push(value);
      continue;
    }
    if (value === "!" || value === "-not" || value === "-o" || value === "-or" || value === "(" || value === ")" || value === ",")
      opaque = true;
    else if (patternTests.has(value)) {
      const pattern = words[index + 1]?.value;
      if (pattern === undefined) opaque = true;
      else tests.push({ test: value, pattern });
      index++;
    } else if (valued.test(value)) index++;
  }
  return { starts: starts.length === 0 ? ["."] : starts, tests, opaque };
}

/** `find … | xargs rm`: the find's scope, removing what it lists when xargs runs a program that is not a reader. */
export function piedFindScope(xargsWords: readonly ShellWord[], findWords: readonly ShellWord[]): FindScope | undefined {
  const inner = xargsWords.slice(1).findIndex((word) => !(word.value ?? "").startsWith("-"));
  const name = inner < 0 ? "echo" : (programName(xargsWords[inner + 1]) ?? "");
  return findScope(findWords, !readers.has(name));
}
