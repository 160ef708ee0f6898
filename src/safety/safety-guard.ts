import { lstatSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Decision, ToolCall, ToolGuard } from "../agent/pipeline-seams.js";
import type { SafetyConfig } from "../config/config-schema.js";
import type { PathEffect } from "../plugins/handler-definition.js";
import { CommandGuard, type CommandVerdict, currentUserName } from "./command-guard/command-guard.js";
import { maxRisk, type RiskLevel } from "./command-guard/risk-level.js";
import type { Effect, EffectKind } from "./effect-policy/effect.js";
import { type EffectDecision, EffectPolicy } from "./effect-policy/effect-policy.js";
import type { StatePlace } from "./effect-policy/protected-places.js";
import { reachedByFind, reachedByPattern } from "./effect-policy/state-reach.js";
import { PathGuard, type PathVerdict } from "./path-guard/path-guard.js";
import { resolveRealPath } from "./path-guard/resolve-real-path.js";

/** Files every command may name: the null device, terminals, standard streams and descriptors. */
const harmlessDevices = /^\/dev\/(null|zero|full|u?random|tty|stdin|stdout|stderr|fd\/\d+)$|^\/proc\/self\/fd\/\d+$/;

export interface SafetyGuardOptions {
  config: SafetyConfig;
  homeDirectory?: string;
  /** AstrOS's own data, config and state folders: sensitive unless allowed. */
  ownDirectories?: readonly string[];
  /** More folders a confined user's sandbox hides (where workspaces are kept). */
  hiddenFromConfined?: readonly string[];
  /**
   * AstrOS's own state, each said as a person would read it (database, journal, trash, audit log, keys,
   * configuration): the effect policy refuses to delete, move, empty or overwrite any of it, or a folder holding it.
   * The own directories are always part of it.
   */
  state?: readonly StatePlace[];
}

/** What the policy does with each risk level: FORBIDDEN never runs, DANGEROUS asks, the rest runs (MODERATE is reported). */
export function verdictForRisk(level: RiskLevel): Decision["verdict"] {
  return level === "FORBIDDEN" ? "deny" : level === "DANGEROUS" ? "ask" : "allow";
}

/**
 * The pipeline's guard: judges the commands and paths a tool call names (the handler's
 * `commandArgs` and `pathArgs`) before the handler runs, and the same checks back the
 * guarded `exec` and `files` every handler gets, so what a handler does at run time is judged too.
 */
export class SafetyGuard implements ToolGuard {
  readonly config: SafetyConfig;
  readonly paths: PathGuard;
  /** The one effect policy: what no door may destroy, and what every door asks about before writing. */
  readonly policy: EffectPolicy;
  /** AstrOS's own folders (configuration, data, state): hidden from a confined user's sandbox. */
  readonly ownDirectories: readonly string[];
  /** What a confined user's commands cannot see: AstrOS's own folders and the workspaces of everyone. */
  readonly hiddenFromConfined: readonly string[];
  /** One command guard per home folder `~` stands for (a handler may give a command another HOME). */
  readonly #commands = new Map<string, Promise<CommandGuard>>();
  readonly #homeDirectory: string;

  constructor(options: SafetyGuardOptions) {
    this.config = options.config;
    this.ownDirectories = options.ownDirectories ?? [];
    this.hiddenFromConfined = [...this.ownDirectories, ...(options.hiddenFromConfined ?? [])];
    this.#homeDirectory = options.homeDirectory ?? os.homedir();
    this.paths = new PathGuard({
      ...(options.config.allowed_roots.length === 0 ? {} : { roots: options.config.allowed_roots }),
      homeDirectory: this.#homeDirectory,
      sensitivePaths: options.config.sensitive_paths,
      allowSensitive: options.config.allow_sensitive,
      ownDirectories: options.ownDirectories ?? [],
    });
    const stated = new Set((options.state ?? []).map((place) => path.resolve(place.path)));
    this.policy = new EffectPolicy({
      homeDirectory: this.#homeDirectory,
      allowedRoots: options.config.allowed_roots,
      state: [
        ...(options.state ?? []),
        ...this.ownDirectories
          .filter((folder) => !stated.has(path.resolve(folder)))
          .map((folder) => ({ path: folder, what: "own files" })),
      ],
    });
  }

  /**
   * A path a call names, as the effect acts on it: the real path, except that deleting or moving a symbolic link acts
   * on the link itself (never on what it points to), and `folder/*` is everything in the folder (emptying it).
   * `folders` caches the real paths of folders (a bulk move judges thousands of files in a few folders).
   */
  async realEffect(
    effect: PathEffect,
    call: Pick<ToolCall, "request">,
    cwd = requestDirectory(call),
    folders?: Map<string, Promise<string>>,
  ): Promise<Effect> {
    const input = effect.input;
    const expanded =
      input === "~" ? this.#homeDirectory : input.startsWith("~/") ? `${this.#homeDirectory}/${input.slice(2)}` : input;
    const absolute = path.isAbsolute(expanded) ? expanded : `${cwd}/${expanded}`;
    let kind = effect.kind;
    let target = absolute;
    if (/\/\*$/.test(absolute) && (kind === "delete" || kind === "move")) {
      kind = "empty";
      target = absolute.slice(0, -2) || "/";
    }
    const name = path.basename(target);
    if (target.endsWith("/") || name === "" || name === "." || name === "..") {
      return { kind, path: await resolveRealPath(target, { cwd: "/" }), shown: input };
    }
    const parent = path.dirname(target);
    let folder = folders?.get(parent);
    if (folder === undefined) {
      folder = resolveRealPath(parent, { cwd: "/" });
      folders?.set(parent, folder);
    }
    const entry = path.join(await folder, name);
    // Deleting or moving a symbolic link acts on the link (its own path, no need to look); but a link in /proc or
    // /dev (/proc/self/cwd, /dev/fd/3) is no file to remove: it stands for what it points to.
    const magic = /^\/(?:proc|dev)\//.test(entry);
    if ((kind === "delete" || kind === "move") && !magic) return { kind, path: entry, shown: input };
    // Creating never writes through a link: what is created is a new entry at this path (moves never overwrite).
    if (kind === "create") return { kind, path: entry, shown: input };
    if (!isLink(entry)) return { kind: created(kind, entry), path: entry, shown: input };
    const real = await resolveRealPath(entry, { cwd: "/" });
    return { kind: created(kind, real), path: real, shown: input };
  }

  /** The effect policy's answer on what a call does to the paths it names (the session's workspace is protected too). */
  async judgeEffects(
    effects: readonly PathEffect[],
    call: Pick<ToolCall, "request" | "workspace">,
    cwd = requestDirectory(call),
  ): Promise<EffectDecision> {
    const real: Effect[] = [];
    const folders = new Map<string, Promise<string>>();
    for (const effect of effects) {
      try {
        real.push(await this.realEffect(effect, call, cwd, folders));
      } catch (error) {
        // A path that cannot be resolved cannot be judged: refused, as every safety path fails closed.
        return {
          verdict: "deny",
          risk: "FORBIDDEN",
          reasons: [`${effect.input} cannot be judged (${(error as Error).message})`],
          reason: `forbidden: ${effect.input} cannot be judged (${(error as Error).message})`,
        };
      }
    }
    return this.policy.judge(real, call.workspace === undefined ? {} : { workspaces: [call.workspace] });
  }

  /**
   * Judge a command line (the shell parser is loaded on first use). `input` is what the command will
   * read on standard input; `homeDirectory` is the HOME it will run with, when not the user's, so that
   * `~` and `$HOME` are judged as the folder they will really be.
   */
  async judgeCommand(
    command: string,
    options: { input?: string; homeDirectory?: string; cwd?: string } = {},
  ): Promise<CommandVerdict> {
    const home = options.homeDirectory ?? this.#homeDirectory;
    let guard = this.#commands.get(home);
    if (guard === undefined) {
      guard = CommandGuard.create({
        homeDirectory: home,
        protectedFolders: [...this.config.allowed_roots, ...this.ownDirectories],
        // `$USER` and `~NAME` are this process's user when the home folder is its own.
        ...(home === os.homedir() ? { userName: currentUserName() } : {}),
      });
      this.#commands.set(home, guard);
    }
    // The folder it runs in: `cd .. && rm -rf u` from /home/u is judged as deleting /home/u.
    return (await guard).check(command, {
      ...(options.input === undefined ? {} : { input: options.input }),
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
  }

  /** Judge a path against the roots and sensitive paths; the session's workspace is a root too. */
  checkPath(
    input: string,
    call: Pick<ToolCall, "request" | "workspace" | "confined">,
    cwd = requestDirectory(call),
  ): Promise<PathVerdict> {
    return this.paths.check(input, {
      cwd,
      extraRoots: call.workspace === undefined ? [] : [call.workspace],
      // A confined call (a server user) has its workspace and nothing else; without one, nothing.
      ...(call.confined === true ? { onlyExtraRoots: true } : {}),
    });
  }

  /**
   * The path guard's word on the files a command names, where it runs (`cwd`): one outside the allowed
   * roots, or a key or credential, makes the command at least DANGEROUS, so it runs only after a yes.
   * The files API refuses such paths outright; a command may have a reason (`df /`), so it is asked.
   * In the sandbox (`isolated`: read-only system, no network) only keys and credentials are asked about.
   * Best effort: what a program opens by itself, unnamed, is not seen here.
   */
  async judgeNamedPaths(
    verdict: CommandVerdict,
    options: {
      call: Pick<ToolCall, "request" | "workspace" | "confined">;
      cwd: string;
      isolated?: boolean;
      /** The HOME the command runs with, when not the user's: `~` in its paths means that folder. */
      homeDirectory?: string;
    },
  ): Promise<CommandVerdict> {
    if (verdict.level === "FORBIDDEN") return verdict;
    // What the command deletes or moves, judged by the effect policy: `rm -r ~/.local` holds AstrOS's state.
    const destroys = await this.judgeCommandEffects(verdict, options);
    if (destroys.verdict === "deny")
      return { ...verdict, level: "FORBIDDEN", reasons: [...verdict.reasons, ...destroys.reasons] };
    const reasons: string[] = [];
    const outside: string[] = [];
    const home = options.homeDirectory;
    const named = verdict.paths.map((input) =>
      home === undefined ? input : input === "~" ? home : input.startsWith("~/") ? path.join(home, input.slice(2)) : input,
    );
    for (const input of new Set(named)) {
      if (harmlessDevices.test(input)) continue;
      const checked = await this.checkPath(input, options.call, options.cwd);
      const sensitive = checked.allowed ? this.paths.sensitiveMatch(input, { cwd: options.cwd }) : undefined;
      if (!checked.allowed && options.call.confined === true) outside.push(input);
      else if (!checked.allowed && (checked.rule === "sensitive" || options.isolated !== true))
        reasons.push(namedPathReason(input, checked.rule));
      else if (sensitive !== undefined) reasons.push(`${input} may match ${sensitive}, which holds keys or credentials`);
    }
    // A confined user's command may name nothing outside the workspace, whoever would confirm it.
    if (outside.length > 0) {
      return {
        ...verdict,
        level: "FORBIDDEN",
        reasons: [...verdict.reasons, ...outside.map((input) => `${input} is outside your workspace`)],
      };
    }
    if (reasons.length === 0) return verdict;
    return { ...verdict, level: maxRisk(verdict.level, "DANGEROUS"), reasons: [...verdict.reasons, ...reasons] };
  }

  /**
   * The effects of a command line's deleting and moving programs (rm, rmdir, unlink, shred, mv, trash) on the paths
   * they name, judged by the effect policy, so a command and a request that destroy the same place get the same answer.
   */
  async judgeCommandEffects(
    verdict: CommandVerdict,
    options: { call: Pick<ToolCall, "request" | "workspace">; cwd?: string; homeDirectory?: string },
  ): Promise<EffectDecision> {
    const effects: PathEffect[] = [];
    const expand = (input: string, home = options.homeDirectory) =>
      home === undefined ? input : input === "~" ? home : input.startsWith("~/") ? path.join(home, input.slice(2)) : input;
    for (const judged of verdict.commands) {
      // What it empties or writes over (`: > audit.log`, `truncate -s0`, `sqlite3 astros.db 'drop …'`), after any cd.
      for (const change of judged.changes ?? []) {
        const input = expand(change.path);
        // `cp notes.txt ~/projects`: writing "over" a folder that is there puts a file into it.
        if (isFolder(path.resolve(options.cwd ?? requestDirectory(options.call), input))) continue;
        effects.push({ kind: change.kind, input });
      }
      const kind =
        judged.program === "gio"
          ? gioVerbs.get(/^\S+\s+(\S+)/.exec(judged.command.trim())?.[1] ?? "")
          : destroyingPrograms.get(judged.program);
      if (kind === undefined || judged.command === "") continue;
      const own = await this.judgeCommand(
        judged.command,
        options.homeDirectory === undefined ? {} : { homeDirectory: options.homeDirectory },
      );
      const named = own.paths.map((input) => {
        const home = options.homeDirectory;
        if (home === undefined) return input;
        return input === "~" ? home : input.startsWith("~/") ? path.join(home, input.slice(2)) : input;
      });
      // mv's last operand is where things go, not what goes.
      // (`mv -t ~ file`: the command guard says which operands are taken away.)
      const taken =
        kind === "move" && judged.moves !== undefined
          ? judged.moves.map((input) => expand(input))
          : kind === "move" && named.length > 1
            ? named.slice(0, -1)
            : named;
      effects.push(...taken.map((input) => ({ kind, input })));
      // After `cd DIR` in the same line, a relative path names something in DIR too (`cd ~/.local/state/astros; rm -f audit.log`).
      for (const input of taken)
        if (!path.isAbsolute(input) && !input.startsWith("~"))
          for (const directory of judged.directories ?? []) effects.push({ kind, input: path.join(directory, input) });
    }
    effects.push(...this.#reachedState(verdict, effects, options));
    if (effects.length === 0) return { verdict: "allow", risk: "SAFE", reasons: [], reason: "it destroys nothing it names" };
    return this.judgeEffects(effects, options.call, options.cwd ?? requestDirectory(options.call));
  }

  /**
   * AstrOS's own places a command reaches without naming them: through a pattern among what it deletes or empties
   * (`rm -f ~/.local/state/*\/audit.log`), or a find that deletes or rewrites its matches over a folder holding them
   * (`find ~/.local/state -name 'audit*' -delete`, `… | xargs rm`).
   */
  #reachedState(
    verdict: CommandVerdict,
    effects: readonly PathEffect[],
    options: { call: Pick<ToolCall, "request">; cwd?: string; homeDirectory?: string },
  ): PathEffect[] {
    const own = this.policy.places.filter((place) => place.role === "state" || place.role === "config");
    const home = options.homeDirectory ?? this.#homeDirectory;
    const cwd = options.cwd ?? requestDirectory(options.call);
    const absolute = (input: string, folder = cwd) =>
      input === "~" ? home : input.startsWith("~/") ? path.join(home, input.slice(2)) : path.resolve(folder, input);
    const found: PathEffect[] = [];
    for (const effect of effects)
      if (/[*?[]/.test(effect.input))
        for (const place of reachedByPattern(absolute(effect.input), own)) found.push({ kind: place.kind, input: place.path });
    for (const judged of verdict.commands) {
      if (judged.finds === undefined) continue;
      const folders = [cwd, ...(judged.directories ?? [])];
      const starts = judged.finds.starts.flatMap((start) =>
        path.isAbsolute(start) || start.startsWith("~") ? [absolute(start)] : folders.map((folder) => absolute(start, folder)),
      );
      for (const place of reachedByFind({ ...judged.finds, starts }, own)) found.push({ kind: place.kind, input: place.path });
    }
    return found;
  }

  async assess(call: ToolCall): Promise<Decision> {
    let level: RiskLevel = "SAFE";
    const reasons: string[] = [];
    for (const command of call.commands) {
      const verdict = await this.judgeCommand(command, { cwd: requestDirectory(call) });
      level = maxRisk(level, verdict.level);
      if (verdict.level !== "SAFE") reasons.push(...verdict.reasons.map((reason) => `${command}: ${reason}`));
      if (verdict.level === "FORBIDDEN") break;
    }
    for (const command of level === "FORBIDDEN" ? [] : call.commands) {
      const destroys = await this.judgeCommandEffects(await this.judgeCommand(command, { cwd: requestDirectory(call) }), {
        call,
      });
      if (destroys.verdict === "deny") {
        level = "FORBIDDEN";
        reasons.push(...destroys.reasons.map((reason) => `${command}: ${reason}`));
      }
    }
    if (level === "FORBIDDEN") {
      return {
        verdict: "deny",
        risk: level,
        reasons,
        reason: `forbidden: ${reasons.join("; ")}`,
        details: { commands: call.commands },
      };
    }
    // What the call does to the paths it names, judged before whether it may touch them: deleting the home folder is
    // FORBIDDEN (never asked), whichever door asked and wherever the home folder is.
    const effects = await this.judgeEffects(
      call.effects ?? call.paths.map((input) => ({ kind: call.readOnly ? "read" : "modify", input })),
      call,
    );
    if (effects.verdict === "deny") {
      return {
        verdict: "deny",
        risk: "FORBIDDEN",
        reasons: effects.reasons,
        reason: effects.reason,
        details: effects.details ?? {},
      };
    }
    if (effects.verdict === "ask") {
      level = maxRisk(level, "DANGEROUS");
      reasons.push(...effects.reasons);
    }
    for (const input of call.paths) {
      const verdict = await this.checkPath(input, call);
      if (!verdict.allowed) {
        return {
          verdict: "deny",
          // A Windows-style path is a request to correct, not a refusal (the path guard says how).
          reason: verdict.rule === "windows-path" ? verdict.reason : `access to ${verdict.reason}`,
          code: verdict.rule === "windows-path" ? "REQUEST_INVALID" : "PATH_DENIED",
          details: { path: verdict.path, realPath: verdict.realPath, rule: verdict.rule },
        };
      }
    }
    if (level === "SAFE") return { verdict: "allow", risk: level, reason: "nothing risky" };
    return { verdict: verdictForRisk(level), risk: level, reasons, reason: `${level.toLowerCase()}: ${reasons.join("; ")}` };
  }
}

/** Programs that delete or move the paths they are given, and which. */
const destroyingPrograms = new Map<string, "delete" | "move">([
  ["rm", "delete"],
  ["rmdir", "delete"],
  ["unlink", "delete"],
  ["shred", "delete"],
  ["srm", "delete"],
  ["trash", "delete"],
  ["trash-put", "delete"],
  ["mv", "move"],
]);

/** gio's verbs that delete or move the paths after them (`gio trash ~/x`). */
const gioVerbs = new Map<string, "delete" | "move">([
  ["trash", "delete"],
  ["remove", "delete"],
  ["rm", "delete"],
  ["move", "move"],
  ["mv", "move"],
]);

/** Overwriting a file that is not there yet creates it (and is said so). */
function created(kind: EffectKind, target: string): EffectKind {
  if (kind !== "overwrite") return kind;
  try {
    return lstatSync(target, { throwIfNoEntry: false }) === undefined ? "create" : kind;
  } catch {
    return kind;
  }
}

/** Whether `entry` is a folder (following links); false when it is not there or cannot be looked at. */
function isFolder(entry: string): boolean {
  try {
    return statSync(entry, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

/** Whether `entry` is a symbolic link itself (false when it cannot be looked at: the real path decides then). */
function isLink(entry: string): boolean {
  try {
    return lstatSync(entry, { throwIfNoEntry: false })?.isSymbolicLink() === true;
  } catch {
    return false;
  }
}

/** The folder relative paths in a request mean: the caller's working directory when it sent one. */
export function requestDirectory(call: Pick<ToolCall, "request">): string {
  const cwd = call.request.context.cwd;
  return typeof cwd === "string" && cwd.startsWith("/") ? cwd : os.homedir();
}

function namedPathReason(input: string, rule: Exclude<PathVerdict["rule"], "allowed">): string {
  switch (rule) {
    case "sensitive":
      return `it uses ${input}, which holds keys or credentials (safety.allow_sensitive)`;
    case "traversal":
      return `it uses ${input}, where '..' leads outside the allowed locations`;
    case "symlink-escape":
      return `it uses ${input}, where a symbolic link leads outside the allowed locations`;
    case "invalid":
      return `it uses ${input}, a path the guard cannot judge`;
    default:
      return `it uses ${input}, outside the allowed locations (safety.allowed_roots)`;
  }
}
