import os from "node:os";
import type { Parser } from "web-tree-sitter";
import { commandPaths, redirectPath } from "./command-paths.js";
import {
  blockDevice,
  classifyTarget,
  judgeProgram,
  programName,
  rootPackageManagers,
  rootWrappers,
  unwrap,
} from "./command-rules.js";
import { removeLineContinuations } from "./line-continuations.js";
import { maxRisk, type RiskLevel } from "./risk-level.js";
import { loadShellParser } from "./shell-parser.js";
import type { ShellWord } from "./shell-words.js";
import { collectScript, type SimpleCommand, type StandardInput } from "./simple-commands.js";

/** The verdict on one simple command inside the checked text. */
export interface CommandJudgement {
  command: string;
  program: string;
  level: RiskLevel;
  reasons: string[];
}

/** The verdict on a whole command line: its highest risk, why, and each command it contains. */
export interface CommandVerdict {
  level: RiskLevel;
  reasons: string[];
  commands: CommandJudgement[];
  /**
   * Arguments and redirect targets that may name files, in nested scripts too (`sh -c`, `eval`), as
   * written (`~` for the home folder): the pipeline checks them with the path guard.
   */
  paths: string[];
}

const maximumNesting = 4;
const maximumLength = 100_000;

export interface CheckOptions {
  /**
   * Text the command will read on its standard input (a handler's `exec` input): a shell, an
   * interpreter or xargs reading it is judged on it (`bash` with input `rm -rf /` is FORBIDDEN).
   */
  input?: string;
}

/**
 * The command guard: parses a command line with a real shell grammar and judges every simple command
 * it contains (lists, pipelines, subshells, substitutions, `sh -c`, `eval`, `find -exec`, `xargs`,
 * wrappers such as sudo/env/nice/chroot/strace), plus redirections, fork bombs, and the code a shell
 * or an interpreter reads on its standard input (here-strings, here-documents, what is piped into it:
 * downloaded or decoded code, `echo '…' | sh`). Text that is only data (quoted arguments of harmless
 * programs) stays harmless.
 */
export class CommandGuard {
  readonly #parser: Parser;
  readonly #homeDirectory: string;

  private constructor(parser: Parser, homeDirectory: string) {
    this.#parser = parser;
    this.#homeDirectory = homeDirectory;
  }

  static async create(options: { homeDirectory?: string } = {}): Promise<CommandGuard> {
    return new CommandGuard(await loadShellParser(), options.homeDirectory ?? os.homedir());
  }

  /** Judge a command line. Never throws: anything that cannot be understood is at least DANGEROUS. */
  check(command: string, options: CheckOptions = {}): CommandVerdict {
    if (typeof command !== "string" || command.trim() === "")
      return { level: "SAFE", reasons: ["empty command"], commands: [], paths: [] };
    if (command.length > maximumLength || (options.input?.length ?? 0) > maximumLength)
      return {
        level: "DANGEROUS",
        reasons: [`command or input too long to judge (${command.length + (options.input?.length ?? 0)} characters)`],
        commands: [],
        paths: [],
      };
    const paths = new Set<string>();
    try {
      const input: StandardInput | undefined = options.input === undefined ? undefined : { kind: "text", text: options.input };
      return { ...this.#judgeScript(command, 0, paths, input), paths: [...paths] };
    } catch (error) {
      return {
        level: "DANGEROUS",
        reasons: [`the guard could not judge it (${(error as Error).message})`],
        commands: [],
        paths: [],
      };
    }
  }

  /** Judge a script reading `stdin`; the files its commands name are added to `paths`. */
  #judgeScript(text: string, depth: number, paths: Set<string>, stdin: StandardInput | undefined): Omit<CommandVerdict, "paths"> {
    if (depth > maximumNesting) return { level: "DANGEROUS", reasons: ["commands nested too deeply to judge"], commands: [] };
    const tree = this.#parser.parse(removeLineContinuations(text));
    if (tree === null) return { level: "DANGEROUS", reasons: ["the command could not be parsed"], commands: [] };
    try {
      const script = collectScript(tree.rootNode);
      const verdict: Omit<CommandVerdict, "paths"> = { level: "SAFE", reasons: [], commands: [] };
      const add = (level: RiskLevel, reason: string) => {
        verdict.level = maxRisk(verdict.level, level);
        if (level !== "SAFE" && !verdict.reasons.includes(reason)) verdict.reasons.push(reason);
      };
      if (script.syntaxError) add("DANGEROUS", "the command has a syntax error, so it cannot be judged safely");
      for (const command of script.commands) {
        for (const named of commandPaths(command)) paths.add(named);
        const judgement = this.#judgeCommand(command, depth, paths, command.stdin ?? stdin);
        verdict.commands.push(judgement);
        for (const reason of judgement.reasons) add(judgement.level, reason);
        if (judgement.reasons.length === 0) add(judgement.level, `${judgement.program}`);
      }
      for (const redirect of script.redirects) {
        const named = redirectPath(redirect);
        if (named !== undefined) paths.add(named);
        if (redirect.operator.includes("<") && !redirect.operator.includes(">")) continue;
        const target = redirect.target.value;
        if (target === undefined) add("DANGEROUS", `writes to a file named at run time (${redirect.target.text})`);
        else if (blockDevice.test(target)) add("FORBIDDEN", `writes directly to the disk ${target}`);
        else if (target === "/dev/null" || target === "/dev/stdout" || target === "/dev/stderr" || /^&?\d$/.test(target))
          continue;
        else {
          const kind = classifyTarget(target, this.#homeDirectory);
          if (
            kind === "root" ||
            kind === "system" ||
            target.startsWith("/etc/") ||
            target.startsWith("/boot/") ||
            target.startsWith("/usr/")
          ) {
            add("DANGEROUS", `overwrites a system file (${target})`);
          } else add("MODERATE", `${redirect.operator === ">>" ? "appends to" : "writes"} ${target}`);
        }
      }
      for (const definition of script.functions) {
        if (definition.calls.includes(definition.name) && definition.forks)
          add("FORBIDDEN", `fork bomb: ${definition.name} keeps starting copies of itself`);
      }
      return verdict;
    } finally {
      tree.delete();
    }
  }

  #judgeCommand(command: SimpleCommand, depth: number, paths: Set<string>, stdin: StandardInput | undefined): CommandJudgement {
    const unwrapped = unwrap(command.words);
    const { wrappers } = unwrapped;
    // `sudo -i`, `sudo -s`, `doas -s`: a root shell that runs what it reads.
    const rootShell =
      unwrapped.words.length === 0 &&
      wrappers.some((wrapper) => rootWrappers.has(wrapper)) &&
      command.words.some((word) => /^-[a-zA-Z]*[is]$|^--(login|shell)$/.test(word.value ?? ""));
    const words = rootShell ? [{ value: "sh", text: command.text }] : unwrapped.words;
    const program = programName(words[0]) ?? words[0]?.text ?? wrappers.at(-1) ?? "";
    if (words.length === 0) {
      return { command: command.text, program, level: "SAFE", reasons: [] };
    }
    const findings = judgeProgram(words, {
      homeDirectory: this.#homeDirectory,
      ...(stdin === undefined ? {} : { standardInput: stdin }),
      judgeNested: (script, nestedInput) => this.#judgeScript(script, depth + 1, paths, nestedInput),
      judgeWords: (inner) => this.#judgeWords(inner, depth + 1, paths, stdin),
    });
    let level: RiskLevel = "SAFE";
    const reasons: string[] = [];
    for (const finding of findings) {
      level = maxRisk(level, finding.level);
      if (finding.level !== "SAFE") reasons.push(finding.reason);
    }
    const installs = rootPackageManagers.has(program) && level === "MODERATE";
    const asRoot = wrappers.find((wrapper) => rootWrappers.has(wrapper));
    if (asRoot !== undefined && level !== "SAFE" && level !== "FORBIDDEN" && !installs) {
      level = maxRisk(level, "DANGEROUS");
      reasons.push(`runs as root (${asRoot})`);
    }
    return { command: command.text, program, level, reasons };
  }

  /** Judge an argument list as a command (xargs, find -exec), reading the same input as the command that runs it. */
  #judgeWords(
    words: ShellWord[],
    depth: number,
    paths: Set<string>,
    stdin: StandardInput | undefined,
  ): { level: RiskLevel; reasons: string[] } {
    const judgement = this.#judgeCommand(
      { text: words.map((word) => word.text).join(" "), words, substituted: false },
      depth,
      paths,
      stdin,
    );
    return { level: judgement.level, reasons: judgement.reasons.length > 0 ? judgement.reasons : [judgement.program] };
  }
}

let sharedGuard: Promise<CommandGuard> | undefined;

/** Judge a command line with a guard shared by the whole process. */
export async function checkCommand(command: string, options: CheckOptions = {}): Promise<CommandVerdict> {
  sharedGuard ??= CommandGuard.create();
  return (await sharedGuard).check(command, options);
}
