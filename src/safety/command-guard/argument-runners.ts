import { type CommandContext, printedText, type RuleFinding } from "./code-runners.js";
import type { ShellWord } from "./shell-words.js";

/** xargs options that take a value (`xargs -n 1 rm`): the value is not the command. */
const xargsOptionsWithValue = new Set([
  "-a",
  "--arg-file",
  "-d",
  "--delimiter",
  "-E",
  "-e",
  "-I",
  "-L",
  "-n",
  "--max-args",
  "-P",
  "--max-procs",
  "-s",
  "--max-chars",
  "--process-slot-var",
]);
/** GNU parallel options that take a value. */
const parallelOptionsWithValue = new Set([
  "-j",
  "--jobs",
  "-n",
  "-N",
  "-L",
  "-S",
  "--sshlogin",
  "-a",
  "--arg-file",
  "-I",
  "-d",
  "--delimiter",
  "-E",
  "--colsep",
  "--delay",
  "--timeout",
  "--joblog",
  "--results",
  "--tmpdir",
  "--halt",
  "--memfree",
  "--load",
]);

const unknownItem: ShellWord = { value: undefined, text: "<input>" };

/** The text a runner reads on its standard input, when it is known. */
function inputText(context: CommandContext): string | undefined {
  const input = context.standardInput;
  const last = input?.kind === "pipe" ? input.from.at(-1) : undefined;
  return input?.kind === "text" ? input.text : last === undefined ? undefined : printedText(last);
}

/** The items xargs would read: the words of known input text, else one item known only at run time. */
function inputItems(context: CommandContext): ShellWord[] {
  const text = inputText(context);
  if (text === undefined) return [unknownItem];
  const items = (text.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((item) => ({
    value: item.replace(/^["']|["']$/g, ""),
    text: item,
  }));
  return items.length === 0 ? [unknownItem] : items;
}

/** The command words after a runner's options, and the replace string (`-I {}`) if one was given. */
function commandAfterOptions(
  words: ShellWord[],
  withValue: ReadonlySet<string>,
): { command: ShellWord[]; replace?: string; fromFile: boolean } {
  let replace: string | undefined;
  let fromFile = false;
  let index = 1;
  while (index < words.length) {
    const value = words[index]?.value;
    if (value === undefined || !value.startsWith("-") || value === "-") break;
    if (value === "--") {
      index++;
      break;
    }
    if (value === "-a" || value === "--arg-file" || value.startsWith("--arg-file=")) fromFile = true;
    if (value === "-I") replace = words[index + 1]?.value;
    else if (value.startsWith("-I")) replace = value.slice(2);
    else if (value.startsWith("--replace")) replace = value.includes("=") ? value.slice(value.indexOf("=") + 1) : "{}";
    else if (value === "-i" || value.startsWith("-i")) replace = value.length > 2 ? value.slice(2) : "{}";
    index += withValue.has(value) ? 2 : 1;
  }
  return { command: words.slice(index), ...(replace === undefined ? {} : { replace }), fromFile };
}

/** The command with the input items put where they go: in place of the replace string, else at the end. */
function withItems(command: ShellWord[], items: ShellWord[], replace: string | undefined): ShellWord[] {
  if (replace === undefined || replace === "") return [...command, ...items];
  return command.flatMap((word) => (word.value?.includes(replace) ? items : [word]));
}

/**
 * xargs and GNU parallel run a command on items they read: the command is judged with the items
 * where they are known (`echo / | xargs rm -rf`, `parallel rm -rf ::: /`), else with an item known
 * only at run time.
 */
export function judgeArgumentRunner(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] | undefined {
  if (name !== "xargs" && name !== "parallel") return undefined;
  const { command, replace, fromFile } = commandAfterOptions(
    words,
    name === "xargs" ? xargsOptionsWithValue : parallelOptionsWithValue,
  );
  let program = command;
  let items: ShellWord[];
  const separator = command.findIndex((word) => word.value?.startsWith(":::") === true);
  if (name === "parallel" && separator >= 0) {
    program = command.slice(0, separator);
    items = command
      .slice(separator + 1)
      .filter((word) => !word.value?.startsWith(":::"))
      .map((word) => (command[separator]?.value === "::::" ? unknownItem : word));
  } else items = fromFile ? [unknownItem] : inputItems(context);
  if (program.length === 0 && name === "parallel") {
    // GNU parallel without a command runs each item (each input line) as a command line.
    if (separator < 0) {
      const text = fromFile ? undefined : inputText(context);
      items =
        text === undefined
          ? [unknownItem]
          : text
              .split("\n")
              .filter((line) => line.trim() !== "")
              .map((line) => ({ value: line, text: line }));
    }
    const findings = items.map((item) =>
      item.value === undefined
        ? { level: "DANGEROUS" as const, reason: "parallel runs command lines known only at run time" }
        : (() => {
            const nested = context.judgeNested(item.value);
            return { level: nested.level, reason: `parallel runs: ${nested.reasons.join("; ") || item.value}` };
          })(),
    );
    return findings.length > 0 ? findings : [{ level: "DANGEROUS", reason: "parallel runs command lines it reads" }];
  }
  if (program.length === 0) return [{ level: "MODERATE", reason: `${name} with echo` }];
  const inner = context.judgeWords(withItems(program, items, replace));
  return [{ level: inner.level, reason: `${name} runs: ${inner.reasons.join("; ")}` }];
}
