import { programName, unwrap } from "./command-rules.js";
import type { ShellWord } from "./shell-words.js";
import type { Redirect, SimpleCommand } from "./simple-commands.js";

/** Programs whose arguments are only text to print, never files. */
const printOnly = new Set(["echo", "printf", "true", "false", ":"]);

/**
 * The words of a command that may name files, for the path guard: every argument that is not an
 * option, the value of `--option=value` and `name=value` arguments when it looks like a path
 * (`of=/dev/sda`), never the program itself. `$HOME` is written as `~`; other expansions are not
 * knowable before the command runs and are left out.
 */
export function commandPaths(command: SimpleCommand): string[] {
  const { words } = unwrap(command.words);
  const program = programName(words[0]);
  if (program === undefined || printOnly.has(program)) return [];
  const found: string[] = [];
  for (const word of words.slice(1)) {
    const value = knownValue(word);
    if (value === undefined || value === "") continue;
    const assignment = /^(--?[A-Za-z0-9][A-Za-z0-9_-]*|[A-Za-z_][A-Za-z0-9_.]*)=(.*)$/s.exec(value);
    if (assignment !== null) {
      const assigned = assignment[2] ?? "";
      if (/^(\/|~|\.\.?\/)/.test(assigned)) found.push(assigned);
      continue;
    }
    if (!value.startsWith("-")) found.push(value);
  }
  return found;
}

/** The file a redirect reads or writes, unless it duplicates a descriptor (`2>&1`). */
export function redirectPath(redirect: Redirect): string | undefined {
  const value = knownValue(redirect.target);
  if (value === undefined || value === "" || value === "-" || /^&?\d+-?$/.test(value)) return undefined;
  return value;
}

/** The word's value after quote removal, with `$HOME` / `${HOME}` at its start written as `~`. */
function knownValue(word: ShellWord): string | undefined {
  if (word.value !== undefined) return word.value;
  if (!/^"?\$(?:HOME\b|\{HOME\})/.test(word.text)) return undefined;
  const rest = word.text.replace(/^"?\$(?:HOME|\{HOME\})/, "~").replaceAll('"', "");
  return /[$`\\']/.test(rest) ? undefined : rest;
}
