import os from "node:os";
import path from "node:path";
import type { Parser } from "web-tree-sitter";
import type { CommandContext } from "./code-runners.js";
import { type ContentChange, contentChanges, redirectChanges } from "./command-changes.js";
import { judgeWrapperOptions } from "./command-options.js";
import { commandPaths, redirectPath } from "./command-paths.js";
import { blockDevice, judgeProgram, programName, rootPackageManagers, rootWrappers, unwrap } from "./command-rules.js";
import { expansionRisks } from "./expansion-risks.js";
import { movedSources, operandWords } from "./file-writers.js";
import { type FindScope, findScope, piedFindScope } from "./find-scope.js";
import { removeLineContinuations } from "./line-continuations.js";
import { forLoopBodies } from "./loop-bodies.js";
import { MadeLinks } from "./made-links.js";
import { projectWrite, runsProjectFiles } from "./project-runners.js";
import { homeRelativeText, isProtectedPath, sensitiveWrite, type TargetContext, targetKind } from "./protected-targets.js";
import { maxRisk, type RiskLevel } from "./risk-level.js";
import { judgeAssignments } from "./shell-builtins.js";
import { loadShellParser } from "./shell-parser.js";
import { homeFolderKey, type ShellWord } from "./shell-words.js";
import { collectScript, type SimpleCommand, type StandardInput } from "./simple-commands.js";
import { judgeRunOfWrittenFile, WrittenFiles } from "./written-files.js";

/** The verdict on one simple command inside the checked text. */
export interface CommandJudgement {
  command: string;
  program: string;
  level: RiskLevel;
  reasons: string[];
  /** The guard has no rule for this program: its effect is not known. */
  unknown?: boolean;
  /** Files it empties or writes over (`: > f`, `truncate`, `tee`, `sqlite3 db 'drop …'`), for the effect policy. */
  changes?: ContentChange[];
  /** The folders this line's `cd`s may have led to before it runs: its relative paths may be in any of them. */
  directories?: string[];
  /** What mv takes away (its sources, as written), not where it puts them (`mv -t ~ file` moves file). */
  moves?: string[];
  /** A find that deletes or rewrites what it matches (`-delete`, `-exec rm`, `| xargs rm`): where and what it may reach. */
  finds?: FindScope;
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
  /** The folder the command runs in, when known: `rm -rf *` there is judged on what it names. */
  cwd?: string;
}

export interface CommandGuardOptions {
  /** What `~` and `$HOME` stand for (default: this process's home folder). */
  homeDirectory?: string;
  /**
   * Folders that must never be deleted, moved or emptied, nor any folder that contains one: the
   * allowed roots and AstrOS's own state. Destroying one is FORBIDDEN like destroying HOME.
   */
  protectedFolders?: readonly string[];
  /** Temporary folders where deleting is routine (default: the system's, /tmp and /var/tmp). */
  temporaryDirectories?: readonly string[];
  /**
   * The user the command runs as: `$USER`, `$(whoami)`, and `~NAME` for the home folder (default: this process's
   * user when the home folder is its own, else the home folder's name).
   */
  userName?: string;
}

/** This process's user, as a shell would say it ($USER, else $LOGNAME, else the system's record). */
export function currentUserName(): string {
  const named = process.env.USER || process.env.LOGNAME;
  if (named !== undefined && named !== "") return named;
  try {
    return os.userInfo().username;
  } catch {
    return path.basename(os.homedir());
  }
}

/** What one check learns as it goes: the files named, the files written, the folders it may be in. */
interface CheckState {
  paths: Set<string>;
  written: WrittenFiles;
  /** Symbolic links made earlier in the line: a later path through one is judged as where it leads. */
  links: MadeLinks;
  workingDirectories: Array<string | undefined>;
  /** The first write earlier in the line that a project runner after it may run (`echo … > package.json`). */
  projectWrite?: string;
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
  readonly #protectedFolders: readonly string[];
  readonly #temporaryDirectories: readonly string[];
  readonly #userName: string;

  private constructor(parser: Parser, options: CommandGuardOptions) {
    this.#parser = parser;
    this.#homeDirectory = path.posix.normalize(options.homeDirectory ?? os.homedir()).replace(/(.)\/+$/, "$1");
    this.#userName =
      options.userName ?? (options.homeDirectory === undefined ? currentUserName() : path.posix.basename(this.#homeDirectory));
    const home = this.#homeDirectory;
    this.#protectedFolders = (options.protectedFolders ?? []).map((folder) =>
      folder === "~" ? home : folder.startsWith("~/") ? path.posix.join(home, folder.slice(2)) : folder,
    );
    this.#temporaryDirectories = options.temporaryDirectories ?? [...new Set([os.tmpdir(), "/tmp", "/var/tmp"])];
  }

  static async create(options: CommandGuardOptions = {}): Promise<CommandGuard> {
    return new CommandGuard(await loadShellParser(), options);
  }

  /**
   * Is this path (absolute, or starting with `~`) the root, a system folder, the home folder, a
   * protected folder or a folder containing one: something no command may delete, move or empty?
   */
  isProtectedPath(target: string): boolean {
    return isProtectedPath(target, this.#targets([undefined]));
  }

  #targets(workingDirectories: readonly (string | undefined)[]): TargetContext {
    return {
      homeDirectory: this.#homeDirectory,
      userName: this.#userName,
      protectedFolders: this.#protectedFolders,
      temporaryDirectories: this.#temporaryDirectories,
      workingDirectories,
    };
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
    const state: CheckState = {
      paths: new Set(),
      written: new WrittenFiles(),
      links: new MadeLinks(this.#homeDirectory),
      workingDirectories: [options.cwd],
    };
    try {
      const input: StandardInput | undefined = options.input === undefined ? undefined : { kind: "text", text: options.input };
      return { ...this.#judgeScript(command, 0, state, input), paths: [...state.paths] };
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
  #judgeScript(text: string, depth: number, state: CheckState, stdin: StandardInput | undefined): Omit<CommandVerdict, "paths"> {
    const paths = state.paths;
    if (depth > maximumNesting) return { level: "DANGEROUS", reasons: ["commands nested too deeply to judge"], commands: [] };
    const tree = this.#parser.parse(removeLineContinuations(text));
    if (tree === null) return { level: "DANGEROUS", reasons: ["the command could not be parsed"], commands: [] };
    try {
      // `$HOME` is `~` to the guard (the home folder, however it is written); the folder itself is known too.
      const script = collectScript(tree.rootNode, {
        HOME: "~",
        // `$PWD` is the folder the command is in when it runs, after any cd: `.` to the guard.
        PWD: ".",
        USER: this.#userName,
        LOGNAME: this.#userName,
        [homeFolderKey]: this.#homeDirectory,
      });
      const verdict: Omit<CommandVerdict, "paths"> = { level: "SAFE", reasons: [], commands: [] };
      const add = (level: RiskLevel, reason: string) => {
        verdict.level = maxRisk(verdict.level, level);
        if (level !== "SAFE" && !verdict.reasons.includes(reason)) verdict.reasons.push(reason);
      };
      if (script.syntaxError) add("DANGEROUS", "the command has a syntax error, so it cannot be judged safely");
      state.written.collect(script);
      for (const finding of expansionRisks(tree.rootNode)) add(finding.level, finding.reason);
      // A loop over known words is judged once per word too: `for d in ~; do rm -rf "$d"; done` deletes HOME.
      for (const body of forLoopBodies(tree.rootNode, this.#homeDirectory)) {
        const nested = this.#judgeScript(body, depth + 1, state, stdin);
        if (nested.level !== "SAFE") add(nested.level, `the loop runs: ${nested.reasons.join("; ")}`);
      }
      for (const finding of judgeAssignments(script.assignments)) add(finding.level, finding.reason);
      for (const command of script.commands) {
        for (const named of commandPaths(command)) paths.add(named);
        const judgement = this.#judgeCommand(command, depth, state, command.stdin ?? stdin);
        verdict.commands.push(judgement);
        for (const reason of judgement.reasons) add(judgement.level, reason);
        if (judgement.reasons.length === 0) add(judgement.level, `${judgement.program}`);
        this.#followDirectoryChange(command, state);
        const ran = unwrap(command.words).words;
        state.projectWrite ??= projectWrite(programName(ran[0]) ?? "", ran, command);
        state.links.record(command.words, state.workingDirectories);
      }
      const targets = this.#targets(state.workingDirectories);
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
          const kind = targetKind(redirect.target, targets);
          const sensitive = sensitiveWrite(redirect.target, targets);
          if (sensitive !== undefined) add("DANGEROUS", `writes ${target}: ${sensitive}`);
          else if (
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
      // The line's redirections write over their targets, from the folder its cds led to: the last command carries them.
      const overwritten = redirectChanges(
        script.redirects.map((redirect) => ({
          ...redirect,
          target: state.links.resolve(redirect.target, state.workingDirectories),
        })),
        state.workingDirectories,
      );
      const last = verdict.commands.at(-1);
      if (last !== undefined && overwritten.length > 0) last.changes = [...(last.changes ?? []), ...overwritten];
      for (const definition of script.functions) {
        if (definition.calls.includes(definition.name) && definition.forks)
          add("FORBIDDEN", `fork bomb: ${definition.name} keeps starting copies of itself`);
      }
      return verdict;
    } finally {
      tree.delete();
    }
  }

  /** `cd DIR`: later commands may run in DIR (or, if the cd fails, where they were). */
  #followDirectoryChange(command: SimpleCommand, state: CheckState): void {
    const words = command.words;
    const name = programName(words[0]);
    if (name !== "cd" && name !== "pushd") return;
    const named = words.slice(1).find((word) => word.value !== "--" && !word.value?.startsWith("-"));
    // `cd h` goes into where the link h (made earlier in the line) leads.
    const through =
      named?.value === undefined
        ? named
        : state.links.resolve({ ...named, value: `${named.value.replace(/\/+$/, "")}/` }, state.workingDirectories);
    const target =
      through === named || through?.value === undefined ? named : { ...through, value: through.value.replace(/(.)\/+$/, "$1") };
    const value = target === undefined ? "~" : (target.value ?? homeRelativeText(target.text));
    const next: Array<string | undefined> = [];
    for (const current of state.workingDirectories) {
      if (value === undefined || value === "-") next.push(undefined);
      else if (value === "~" || value.startsWith("~/")) next.push(path.posix.join(this.#homeDirectory, value.slice(1)));
      else if (value.startsWith("/")) next.push(path.posix.normalize(value));
      // From a folder not known, a relative cd still says where it leads from there (`cd .git/hooks`).
      else
        next.push(
          current === undefined
            ? value.split("/").includes("..")
              ? undefined
              : path.posix.normalize(value)
            : path.posix.join(current, value),
        );
    }
    for (const directory of next) if (!state.workingDirectories.includes(directory)) state.workingDirectories.push(directory);
    if (value !== undefined) state.written.enter(value);
  }

  #judgeCommand(command: SimpleCommand, depth: number, state: CheckState, stdin: StandardInput | undefined): CommandJudgement {
    // A path through a link made earlier in this line is judged as where it leads.
    const unwrapped = unwrap(command.words.map((word) => state.links.resolve(word, state.workingDirectories)));
    const { wrappers } = unwrapped;
    // `sudo -i`, `sudo -s`, `doas -s`: a root shell that runs what it reads.
    const rootShell =
      unwrapped.words.length === 0 &&
      wrappers.some((wrapper) => rootWrappers.has(wrapper)) &&
      command.words.some((word) => /^-[a-zA-Z]*[is]$|^--(login|shell)$/.test(word.value ?? ""));
    const words = rootShell ? [{ value: "sh", text: command.text }] : unwrapped.words;
    const program = programName(words[0]) ?? words[0]?.text ?? wrappers.at(-1) ?? "";
    const assignments = [...(command.assignments ?? [])];
    // `env NAME=value cmd`: the same as `NAME=value cmd`.
    if (wrappers.includes("env")) {
      for (const word of command.words.slice(0, command.words.length - unwrapped.words.length)) {
        const assigned = /^([A-Za-z_]\w*)=(.*)$/s.exec(word.value ?? "");
        if (assigned !== null) assignments.push({ name: assigned[1] ?? "", value: { value: assigned[2], text: word.text } });
      }
    }
    if (words.length === 0) {
      const findings = judgeAssignments(assignments);
      const level = findings.reduce<RiskLevel>((worst, finding) => maxRisk(worst, finding.level), "SAFE");
      return { command: command.text, program, level, reasons: findings.map((finding) => finding.reason) };
    }
    const context: CommandContext = {
      homeDirectory: this.#homeDirectory,
      targets: this.#targets(state.workingDirectories),
      ...(stdin === undefined ? {} : { standardInput: stdin }),
      writtenEarlier: (target) => state.written.touches(target),
      judgeNested: (script, nestedInput) => this.#judgeScript(script, depth + 1, state, nestedInput),
      judgeWords: (inner) => this.#judgeWords(inner, depth + 1, state, stdin),
    };
    const findings = [...judgeAssignments(assignments), ...this.#judgeProgramWord(words, context)];
    findings.push(...judgeWrapperOptions(command.words, unwrapped.words.length, context));
    const ranWritten = judgeRunOfWrittenFile(command, state.written, context);
    if (ranWritten !== undefined) findings.push(ranWritten);
    else if (state.projectWrite !== undefined && runsProjectFiles(program, words))
      findings.push({
        level: "DANGEROUS",
        reason: `${program} runs files of the working folder, after ${state.projectWrite} in the same line`,
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
    const unknown = findings.some((finding) => finding.reason.includes("a program AstrOS does not know"));
    const changes = contentChanges(
      {
        ...command,
        writes: (command.writes ?? []).map((redirect) => ({
          ...redirect,
          target: state.links.resolve(redirect.target, state.workingDirectories),
        })),
      },
      words,
      state.workingDirectories,
    );
    const directories = state.workingDirectories.filter((directory): directory is string => directory !== undefined);
    const moved = program === "mv" ? movedSources(words, operandWords(words)) : [];
    const finds = program === "find" ? findScope(words) : program === "xargs" ? this.#findBefore(words, stdin) : undefined;
    const moves = moved.every((word) => word.value !== undefined) ? moved.map((word) => word.value as string) : [];
    return {
      command: command.text,
      program,
      level,
      reasons,
      ...(unknown ? { unknown } : {}),
      ...(changes.length > 0 ? { changes } : {}),
      ...(directories.length > 0 ? { directories } : {}),
      ...(moves.length > 0 ? { moves } : {}),
      ...(finds === undefined ? {} : { finds }),
    };
  }

  /** `find … | xargs rm`: the scope of the find whose list xargs reads, when xargs changes what it is given. */
  #findBefore(words: ShellWord[], stdin: StandardInput | undefined): FindScope | undefined {
    if (stdin?.kind !== "pipe") return undefined;
    const lister = [...stdin.from].reverse().find((command) => programName(unwrap(command.words).words[0]) === "find");
    return lister === undefined ? undefined : piedFindScope(words, unwrap(lister.words).words);
  }

  /**
   * The program word first: a name built from a glob (`/???/r?`) is computed at run time; a name
   * holding a whole command line (`watch 'rm -rf ~'`, `sg staff 'cmd'`, which run it with sh -c)
   * is judged as one. Then the program's own rule.
   */
  #judgeProgramWord(words: ShellWord[], context: CommandContext) {
    const first = words[0];
    if (first?.glob === true)
      return [
        { level: "DANGEROUS" as RiskLevel, reason: `the program to run is picked by a pattern at run time (${first.text})` },
      ];
    if (first?.value !== undefined && /[\s;&|<>()$`]/.test(first.value.trim())) {
      const line = words.map((word) => word.value ?? word.text).join(" ");
      const nested = context.judgeNested(line);
      return [
        { level: maxRisk("MODERATE", nested.level), reason: `runs the command line ${line}: ${nested.reasons.join("; ")}` },
      ];
    }
    return judgeProgram(words, context);
  }

  /** Judge an argument list as a command (xargs, find -exec), reading the same input as the command that runs it. */
  #judgeWords(
    words: ShellWord[],
    depth: number,
    state: CheckState,
    stdin: StandardInput | undefined,
  ): { level: RiskLevel; reasons: string[] } {
    if (depth > maximumNesting) return { level: "DANGEROUS", reasons: ["commands nested too deeply to judge"] };
    const judgement = this.#judgeCommand(
      { text: words.map((word) => word.text).join(" "), words, substituted: false },
      depth,
      state,
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
