import type { WrittenFile } from "./file-writers.js";
import type { ShellWord } from "./shell-words.js";

/** The scripts a sed command runs: its `-e` values, or else its first operand. */
function sedScripts(words: ShellWord[]): string[] {
  const values = words.slice(1).map((part) => part.value ?? part.text);
  const scripts: string[] = [];
  for (let index = 0; index < values.length; index++) {
    const value = values[index] ?? "";
    if (value === "-e" || value === "--expression") scripts.push(values[++index] ?? "");
    else if (value.startsWith("--expression=")) scripts.push(value.slice("--expression=".length));
    else if (/^-[a-zA-Z]*e$/.test(value)) scripts.push(values[++index] ?? "");
  }
  if (scripts.length === 0) {
    // The first operand, skipping options and the values of -f and -l.
    for (let index = 1; index < words.length; index++) {
      const value = words[index]?.value ?? words[index]?.text ?? "";
      if (["-f", "--file", "-l", "--line-length"].includes(value)) index++;
      else if (!value.startsWith("-")) {
        scripts.push(value);
        break;
      }
    }
  }
  return scripts;
}

/**
 * The files sed's `w FILE` and `W FILE` commands and the `w FILE` flag of `s///` write (the file name
 * runs to the end of the line). Read generously: a `w` that is really replacement text only adds a
 * file judged by its name.
 */
export function sedWrites(words: ShellWord[]): WrittenFile[] {
  const found: WrittenFile[] = [];
  for (const script of sedScripts(words)) {
    for (const match of script.matchAll(/(?:^|[;{}\n!/$\d\s])[wW][ \t]+([^\n;}]*[^\s;}])/g)) {
      const file = match[1]?.trim();
      if (file !== undefined && file !== "" && !["/dev/stdout", "/dev/stderr"].includes(file))
        found.push({ target: { value: file, text: file } });
    }
  }
  return found;
}
