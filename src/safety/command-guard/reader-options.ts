import type { CommandContext, RuleFinding } from "./code-runners.js";
import { optionValues } from "./option-commands.js";
import { targetKind } from "./protected-targets.js";
import type { ShellWord } from "./shell-words.js";
import { programName, unwrap } from "./unwrap-command.js";

const moderate = (reason: string): RuleFinding => ({ level: "MODERATE", reason });
const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });
const forbidden = (reason: string): RuleFinding => ({ level: "FORBIDDEN", reason });

/** Programs that delete the files they are given. */
const deleters: ReadonlySet<string> = new Set(["rm", "unlink", "rmdir", "shred", "srm"]);

/** Non-option words. */
function operands(words: ShellWord[]): ShellWord[] {
  return words.slice(1).filter((word) => !(word.value?.startsWith("-") && word.value !== "-"));
}

/**
 * Readers with options that write or run things: `sort -o f`, `find -fprint f` (judged as writes),
 * `rg --pre cmd`, `fd -x cmd`, `man -P cmd` run a command per file; `date -s`, `hostname NAME`,
 * `ip link set`, `journalctl --vacuum-size` change the system. Undefined when only reading.
 */
export function judgeReaderOptions(
  name: string,
  words: ShellWord[],
  flags: Set<string>,
  targets: ShellWord[],
  context: CommandContext,
): RuleFinding[] | undefined {
  const values = words.map((word) => word.value ?? "");
  const perFile = (label: string, command: ShellWord[]): RuleFinding => {
    const inner = context.judgeWords([...command, { value: undefined, text: "<file>" }]);
    const level = inner.level === "SAFE" ? "MODERATE" : inner.level;
    return { level, reason: `${label} runs for each file: ${inner.reasons.join("; ")}` };
  };
  if (name === "rg" || name === "man" || name === "ag") {
    const commands = optionValues(words, name === "rg" ? ["--pre"] : ["--pager"], name === "man" ? ["-P"] : []);
    if (commands.length > 0)
      return commands.map((command) =>
        command === undefined
          ? dangerous(`${name} runs a command computed at run time`)
          : perFile(`${name} ${name === "rg" ? "--pre" : "-P"} ${command}`, [{ value: command, text: command }]),
      );
  }
  if (name === "fd" || name === "fdfind") {
    const index = values.findIndex((value) => ["-x", "-X", "--exec", "--exec-batch"].includes(value));
    if (index > 0) {
      const inner = words.slice(index + 1).filter((word) => word.value !== ";");
      const search = operands(words.slice(0, index));
      const root = search.slice(1).find((target) => ["home", "root", "system"].includes(targetKind(target, context.targets)));
      const everything = search.length === 0 || [".", "", "^", ".*"].includes(search[0]?.value ?? "");
      const runs = programName(unwrap(inner).words[0]) ?? "";
      if (root !== undefined && everything && deleters.has(runs))
        return [forbidden(`${name} runs ${runs} on everything under ${root.text}`)];
      return [perFile(`${name} ${values[index]}`, inner)];
    }
  }
  if (name === "date" && (flags.has("-s") || values.some((value) => value.startsWith("--set"))))
    return [dangerous("date -s changes the system clock")];
  if (name === "hostname" && targets.length > 0 && !flags.has("-I") && !flags.has("-i") && !flags.has("-f"))
    return [dangerous("hostname changes the computer's name")];
  if (
    (name === "ip" || name === "ifconfig") &&
    values.some((value) => /^(add|del|delete|set|flush|change|replace|down|up|link-netns)$/.test(value))
  )
    return [dangerous(`${name} changes the network configuration`)];
  if (name === "journalctl" && values.some((value) => /^--(vacuum|rotate|flush|relinquish)/.test(value)))
    return [dangerous("journalctl deletes or moves system logs")];
  if (name === "dmesg" && (flags.has("-c") || flags.has("-C") || flags.has("--clear")))
    return [moderate("dmesg clears the kernel log")];
  return undefined;
}
