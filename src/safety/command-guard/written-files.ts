import path from "node:path";
import {
  type CommandContext,
  inlineCode,
  interpreterScript,
  isInterpreter,
  printedText,
  type RuleFinding,
  shellScriptOperand,
  shells,
} from "./code-runners.js";
import { writtenFiles } from "./file-writers.js";
import { maxRisk } from "./risk-level.js";
import type { ShellWord } from "./shell-words.js";
import type { ShellScript, SimpleCommand } from "./simple-commands.js";
import { programName, unwrap } from "./unwrap-command.js";

/** A file the command line writes: what goes into it when that is known, and whether it comes from the network. */
interface WrittenEntry {
  path: string;
  /** Known text written whole; undefined when not known (a download, a copy, an append). */
  content?: string;
  /** Appended to (`>>`): what was there before is not known. */
  appended?: boolean;
  downloaded?: boolean;
  folder?: boolean;
  by: string;
}

/** The files written so far in one command line (nested scripts included), for what runs them later. */
export class WrittenFiles {
  readonly #entries: WrittenEntry[] = [];
  /** Folders a `cd` went into: a relative path that runs may be inside one of them. */
  readonly #entered: string[] = [];

  /** Did the command line write, link or move something at this path or at a folder above it? */
  touches(target: string): boolean {
    const wanted = path.posix.normalize(target.replace(/^\.\//, ""));
    return this.#entries.some((entry) => {
      const written = path.posix.normalize(entry.path.replace(/^\.\//, "")).replace(/\/+$/, "");
      return wanted === written || wanted.startsWith(`${written}/`);
    });
  }

  /** A `cd DIR` in the command line. */
  enter(directory: string): void {
    this.#entered.push(directory);
  }

  /** Record every file a script writes: redirects, tee, cp, dd, downloads, clones. */
  collect(script: ShellScript): void {
    const attached = new Set<string>();
    for (const command of script.commands) {
      const words = unwrap(command.words).words;
      const name = programName(words[0]) ?? "";
      for (const redirect of command.writes ?? []) {
        attached.add(redirect.target.text);
        if (redirect.target.value === undefined) continue;
        const text = printedText(command);
        const downloaded = ["curl", "wget", "fetch", "aria2c", "nc", "ncat"].includes(name);
        this.#add({
          path: redirect.target.value,
          ...(text === undefined || downloaded ? {} : { content: text }),
          ...(redirect.operator === ">>" ? { appended: true } : {}),
          ...(downloaded ? { downloaded } : {}),
          by: name,
        });
      }
      for (const written of writtenFiles(name, words)) {
        if (written.target.value === undefined) continue;
        const text = name === "tee" ? pipedText(command) : undefined;
        const appends = name === "tee" && words.some((word) => /^-[a-z]*a|^--append$/.test(word.value ?? ""));
        this.#add({
          path: written.target.value,
          ...(text === undefined ? {} : { content: text }),
          ...(appends ? { appended: true } : {}),
          ...(written.downloaded ? { downloaded: true } : {}),
          ...(written.folder ? { folder: true } : {}),
          by: name,
        });
      }
    }
    for (const redirect of script.redirects) {
      if (redirect.operator.includes("<") && !redirect.operator.includes(">")) continue;
      if (attached.has(redirect.target.text) || redirect.target.value === undefined) continue;
      if (/^(\/dev\/(null|stdout|stderr)|&?\d)$/.test(redirect.target.value)) continue;
      this.#add({ path: redirect.target.value, by: "a redirect" });
    }
  }

  #add(entry: WrittenEntry): void {
    if (/^\/dev\/(null|stdout|stderr)$/.test(entry.path)) return;
    this.#entries.push(entry);
  }

  /** The entry for a path that runs, matched by its normalized path or, failing that, by its file name (a `cd` may lie between). */
  find(target: string): WrittenEntry | undefined {
    const direct = this.#find(target);
    if (direct !== undefined || target.startsWith("/")) return direct;
    for (const directory of this.#entered) {
      const inside = this.#find(path.posix.join(directory, target));
      if (inside !== undefined) return inside;
    }
    return undefined;
  }

  #find(target: string): WrittenEntry | undefined {
    const wanted = path.posix.normalize(target.replace(/^\.\//, ""));
    const byPath = this.#entries.filter((entry) => path.posix.normalize(entry.path.replace(/^\.\//, "")) === wanted);
    const matches =
      byPath.length > 0
        ? byPath
        : this.#entries.filter((entry) => path.posix.basename(entry.path) === path.posix.basename(wanted));
    const inFolder = this.#entries.find(
      (entry) => entry.folder && wanted.startsWith(`${path.posix.normalize(entry.path.replace(/^\.\//, ""))}/`),
    );
    if (matches.length === 0) return inFolder;
    // Written more than once: only one whole, known text is still readable.
    if (matches.length > 1) return { ...(matches.at(-1) as WrittenEntry), content: undefined, appended: true };
    return matches[0];
  }
}

/** The text piped into tee, when it is known. */
function pipedText(command: SimpleCommand): string | undefined {
  const input = command.stdin;
  if (input?.kind === "text") return input.text;
  const last = input?.kind === "pipe" ? input.from.at(-1) : undefined;
  return last === undefined ? undefined : printedText(last);
}

/** The file a command runs as a program or a script: `. f`, `sh f`, `python3 f`, `./f`, `/tmp/s`. */
function fileRun(name: string, words: ShellWord[], command: SimpleCommand): { file: ShellWord; language: string } | undefined {
  if (name === "source" || name === ".") return words[1] === undefined ? undefined : { file: words[1], language: "sh" };
  if (shells.has(name)) {
    const script = shellScriptOperand(words);
    if (script !== undefined && !words.some((word) => /^-[a-z]*c[a-z]*$/.test(word.value ?? "")))
      return { file: script, language: "sh" };
    if (command.stdin?.kind === "file") return { file: command.stdin.target, language: "sh" };
    return undefined;
  }
  if (isInterpreter(name)) {
    const script = interpreterScript(words);
    return script === undefined ? undefined : { file: script, language: name };
  }
  if (name === "make" || name === "gmake") {
    const directory = words.findIndex((word) => word.value === "-C" || word.value === "--directory");
    const folder = directory > 0 ? words[directory + 1]?.value : undefined;
    const file = path.posix.join(folder ?? ".", "Makefile");
    return { file: { value: file, text: file }, language: "make" };
  }
  if (name === "crontab" || name === "at") {
    const file = words.slice(1).find((word) => word.value !== undefined && !word.value.startsWith("-"));
    return file === undefined ? undefined : { file, language: "sh" };
  }
  const program = words[0];
  if (program?.value?.includes("/")) return { file: program, language: "sh" };
  return undefined;
}

/**
 * A command that runs a file this same command line wrote: known text is judged as the code it is
 * (`echo 'rm -rf ~' > x.sh; . ./x.sh` is FORBIDDEN); text not known before it runs (a download, a
 * copy, a decoded blob, an append) is DANGEROUS at least.
 */
export function judgeRunOfWrittenFile(
  command: SimpleCommand,
  written: WrittenFiles,
  context: CommandContext,
): RuleFinding | undefined {
  const words = unwrap(command.words).words;
  const name = programName(words[0]) ?? "";
  const run = fileRun(name, words, command);
  if (run?.file.value === undefined) return undefined;
  const entry = written.find(run.file.value);
  if (entry === undefined) return undefined;
  const what = `${name} runs ${run.file.text}, which this command line ${entry.downloaded ? "downloaded" : `wrote (${entry.by})`}`;
  if (entry.content === undefined || entry.downloaded) {
    return { level: "DANGEROUS", reason: `${what}; what it contains is not known before it runs` };
  }
  let judged: RuleFinding;
  if (run.language === "make") judged = { level: "DANGEROUS", reason: "make runs the recipes in it" };
  else if (run.language === "sh") {
    const nested = context.judgeNested(entry.content);
    judged = { level: nested.level, reason: nested.reasons.join("; ") };
  } else judged = inlineCode(run.language, entry.content, context);
  return {
    level: maxRisk(entry.appended ? "DANGEROUS" : "MODERATE", judged.level),
    reason: `${what}: ${judged.reason || entry.content.trim()}`,
  };
}
