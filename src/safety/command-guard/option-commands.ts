import type { CommandContext, RuleFinding } from "./code-runners.js";
import type { ShellWord } from "./shell-words.js";

/**
 * Values of options that name a command to run: `--opt=value`, `--opt value`, `-X value`, `-Xvalue`.
 * A value known only at run time is returned as undefined.
 */
export function optionValues(words: ShellWord[], long: readonly string[], short: readonly string[]): Array<string | undefined> {
  const found: Array<string | undefined> = [];
  for (const [index, word] of words.entries()) {
    const value = word.value;
    if (index === 0 || value === undefined) continue;
    const next = () => words[index + 1]?.value;
    // getopt_long, argp and git's parse-options take any unambiguous abbreviation (`sort --compress=CMD`).
    const equals = value.indexOf("=");
    const spelled = equals < 0 ? value : value.slice(0, equals);
    for (const option of long) {
      const abbreviates = spelled.length >= 4 && spelled.startsWith("--") && option.startsWith(spelled);
      if (!abbreviates) continue;
      found.push(equals < 0 ? next() : value.slice(equals + 1));
    }
    for (const option of short) {
      if (value === option) found.push(next());
      else if (option.length === 2 && value.startsWith(option) && !value.startsWith("--")) found.push(value.slice(2));
      else if (option.length === 2 && /^-[A-Za-z0-9]/.test(value) && !value.startsWith("--")) {
        // Bundled after flags, as getopt reads it: `rsync -avze CMD`, `ssh -vo ProxyCommand=CMD`, `-avzeCMD`.
        const letter = value.indexOf(option[1] ?? "", 1);
        if (letter > 1 && /^[A-Za-z0-9]+$/.test(value.slice(1, letter)))
          found.push(letter === value.length - 1 ? next() : value.slice(letter + 1));
      }
    }
  }
  return found;
}

/** A command a program's option makes it run (`tar -I cmd`, `git -c core.pager=cmd`), judged as a script. */
export function runsOption(name: string, command: string | undefined, context: CommandContext): RuleFinding {
  if (command === undefined) return { level: "DANGEROUS", reason: `${name} runs a command computed at run time` };
  const nested = context.judgeNested(command);
  // A program the guard has no rule for, run because of an option, is code nobody has looked at.
  const unknown = nested.commands?.some((judged) => judged.unknown === true) === true;
  const level = nested.level === "SAFE" ? "MODERATE" : nested.level === "MODERATE" && unknown ? "DANGEROUS" : nested.level;
  return { level, reason: `${name} runs the command ${command}: ${nested.reasons.join("; ") || command}` };
}
