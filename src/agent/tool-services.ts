import { lstatSync, statSync } from "node:fs";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BaseAIProvider } from "../ai/base-ai-provider.js";
import type { SafetyConfig } from "../config/config-schema.js";
import { PermissionError } from "../core/errors/permission-error.js";
import { ProcessingError } from "../core/errors/processing-error.js";
import { openForReading } from "../exec/boundary/file-boundary.js";
import { cleanEnvironment } from "../exec/clean-environment.js";
import { FileManager } from "../exec/file-manager.js";
import type { FileJournal } from "../exec/journal/file-journal.js";
import { runProcess } from "../exec/run-process.js";
import { sandboxStatus } from "../exec/sandbox-status.js";
import type { ExecOptions, ExecResult, GuardedFiles, HandlerAI, HandlerContext } from "../plugins/handler-context.js";
import type { PathEffect } from "../plugins/handler-definition.js";
import type { TimeLimitControl } from "../plugins/with-time-limit.js";
import { maxRisk } from "../safety/command-guard/risk-level.js";
import type { Effect } from "../safety/effect-policy/effect.js";
import type { EffectDecision } from "../safety/effect-policy/effect-policy.js";
import { environmentRisks } from "../safety/environment-risks.js";
import { pathDenied } from "../safety/path-guard/path-guard.js";
import type { SafetyGuard } from "../safety/safety-guard.js";
import { requestDirectory } from "../safety/safety-guard.js";
import type { MeteredAI } from "./metered-ai.js";
import {
  type AuditEntryType,
  type ConfirmationRequest,
  type Decision,
  nobodyAsked,
  noWayToAsk,
  type ResourcePath,
  type ToolCall,
} from "./pipeline-seams.js";

/** A risk the response should mention (MODERATE commands, confirmed DANGEROUS ones). */
export interface RiskNotice {
  level: string;
  reasons: string[];
  command?: string;
}

export interface ToolServicesOptions {
  call: ToolCall;
  safety: SafetyGuard;
  signal: AbortSignal;
  /** Ask on the request's channel (with the non-interactive policy and auditing): approved only on a yes, and how it was answered. */
  ask: (request: Omit<ConfirmationRequest, "call">) => Promise<{ approved: boolean; via: string }>;
  audit: (type: AuditEntryType, detail: Record<string, unknown>, outcome?: string) => Promise<void>;
  /** Commands the user already confirmed for this call (judged before the handler ran). */
  preApproved: ReadonlySet<string>;
  notices: RiskNotice[];
  /** The journal behind undo, and the trash deletes go to. */
  journal: FileJournal;
  trashDirectory: string;
  /** What the journal calls this operation (the request's text). */
  describe: () => string;
  /** The user's permissions scoped by glob, for the files a handler touches at run time (the authorizer's). */
  authorizeResource?: (permission: string, file: ResourcePath) => Promise<Decision>;
  /** The handler's time limit, once it runs: paused while a person is asked or a command runs (it has its own limit). */
  timeLimit: { control?: TimeLimitControl };
  /** The AI provider, metered for this call (made on first use). */
  ai: () => { provider: BaseAIProvider; metered: MeteredAI };
}

/**
 * The guarded powers a handler gets: commands through the command guard and the sandboxed runner,
 * files through the path guard, bulk confirmations through the policy. A handler that did not
 * declare the permission a power needs cannot use it.
 */
export function createToolServices(options: ToolServicesOptions): {
  services: Pick<HandlerContext, "exec" | "files" | "confirmBulk" | "confirm" | "ai">;
  /** Commit this call's file changes as one undoable operation; its id and size, if anything changed. */
  finish: () => Promise<{ operationId: string; changes: number } | undefined>;
} {
  const { call, safety } = options;
  /** Time waiting for a person or for a command (which has its own limit) is not the handler's. */
  const paused = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = options.timeLimit.control?.pause();
    try {
      return await work();
    } finally {
      release?.();
    }
  };
  /** The answer with how it was given (a refusal can say nobody could be asked). */
  const answer = (question: Parameters<ToolServicesOptions["ask"]>[0]) => paused(() => options.ask(question));
  const ask = async (question: Parameters<ToolServicesOptions["ask"]>[0]) => (await answer(question)).approved;
  const config: SafetyConfig = safety.config;
  /** A yes in this call to a bulk change or a step the handler described: the person saw what it does, no second question. */
  let confirmedInCall = false;
  const remember = (approved: boolean): boolean => {
    if (approved) confirmedInCall = true;
    return approved;
  };
  const requirePermission = (permission: string, what: string) => {
    if (call.requiresPermissions.includes(permission)) return;
    throw new PermissionError(
      `The ${call.plugin} plugin's ${call.handler} handler used ${what} without declaring the ${permission} permission`,
      {
        code: "PERMISSION_DENIED",
        details: { plugin: call.plugin, handler: call.handler, permission },
        recovery: `The plugin must declare "${permission}" in requiresPermissions (and the user must allow it).`,
      },
    );
  };
  const guardPath = async (input: string): Promise<string> => {
    const verdict = await safety.checkPath(input, call);
    if (verdict.allowed) return verdict.realPath;
    await options.audit(
      "decision-made",
      { step: "files", tool: call.tool, plugin: call.plugin, path: input, rule: verdict.rule },
      "deny",
    );
    throw pathDenied(verdict);
  };
  /** A file a handler touches: the path guard, then the user's file_system permission on it. */
  const guardFile = async (input: string): Promise<string> => {
    const realPath = await guardPath(input);
    if (options.authorizeResource === undefined) return realPath;
    const decision = await options.authorizeResource("file_system", { input, cwd: requestDirectory(call), realPath });
    if (decision.verdict === "allow") return realPath;
    await options.audit(
      "decision-made",
      { step: "files", tool: call.tool, plugin: call.plugin, path: input, reason: decision.reason },
      "deny",
    );
    throw new PermissionError(`Not done: ${decision.reason}`, {
      code: "PERMISSION_DENIED",
      details: { plugin: call.plugin, handler: call.handler, ...decision.details },
      recovery: "An administrator can change it with `astros permissions`.",
    });
  };

  /**
   * Where a command runs: the folder asked for (which must be allowed), else the request's folder, else,
   * when that is outside the allowed roots (AstrOS started from elsewhere), the first allowed root.
   */
  const workingDirectory = async (asked: string | undefined): Promise<string> => {
    if (asked !== undefined) return guardPath(asked);
    const fromRequest = await safety.checkPath(requestDirectory(call), call);
    if (fromRequest.allowed) return fromRequest.realPath;
    const [firstRoot] = await safety.paths.roots();
    return guardPath(firstRoot ?? requestDirectory(call));
  };

  const exec = async (command: string, execOptions: ExecOptions = {}): Promise<ExecResult> => {
    requirePermission("shell", "a shell command");
    if (typeof command !== "string" || command.trim() === "") {
      throw new ProcessingError("No command to run", { code: "REQUEST_INVALID" });
    }
    // Judged with what the command will read and the HOME it will have: `bash` fed `rm -rf /`, or
    // `rm -rf ~/usr` with HOME=/, is as FORBIDDEN as the plain command.
    // A confined user's command runs with their workspace as HOME (the sandbox's), whatever the handler asked.
    const home = call.confined === true && call.workspace !== undefined ? call.workspace : execOptions.env?.HOME;
    const judged = await safety.judgeCommand(command, {
      ...(execOptions.input === undefined ? {} : { input: execOptions.input }),
      ...(home === undefined ? {} : { homeDirectory: home }),
      // Where it will run: a relative `cd ..` is judged from there.
      cwd: path.resolve(requestDirectory(call), execOptions.cwd ?? "."),
    });
    if (judged.level === "FORBIDDEN") {
      const denied = { tool: call.tool, plugin: call.plugin, command, level: judged.level, reasons: judged.reasons };
      await options.audit("decision-made", { step: "exec", ...denied }, "deny");
      throw new PermissionError(`Not run, forbidden: ${command} (${judged.reasons.join("; ")})`, {
        code: "GUARD_BLOCKED",
        details: { command, level: judged.level, reasons: judged.reasons },
      });
    }
    const cwd = await workingDirectory(execOptions.cwd);
    // A confined user's commands always run in the sandbox, or not at all.
    const sandbox = execOptions.isolate === true || call.confined === true ? await sandboxStatus() : undefined;
    if (call.confined === true && sandbox?.available !== true) {
      throw new PermissionError(
        `Not run: ${command}: commands of server users run only in the sandbox, which is not available here (${sandbox?.reason})`,
        {
          code: "GUARD_BLOCKED",
          details: { command, sandbox: sandbox?.reason },
          recovery: "The server's administrator can install bubblewrap (apt install bubblewrap).",
        },
      );
    }
    // The files the command names, judged where and how it runs: outside the roots or sensitive means asking first.
    const named = await safety.judgeNamedPaths(judged, {
      call,
      cwd,
      isolated: sandbox?.available === true,
      ...(home === undefined ? {} : { homeDirectory: home }),
    });
    const environment = environmentRisks(execOptions.env, cleanEnvironment(process.env));
    const level = maxRisk(
      named.level,
      environment.forbidden.length > 0 ? "FORBIDDEN" : environment.dangerous.length > 0 ? "DANGEROUS" : "SAFE",
    );
    const verdict = { ...named, level, reasons: [...named.reasons, ...environment.forbidden, ...environment.dangerous] };
    const detail = { tool: call.tool, plugin: call.plugin, command, level: verdict.level, reasons: verdict.reasons };
    if (verdict.level === "FORBIDDEN") {
      await options.audit("decision-made", { step: "exec", ...detail }, "deny");
      throw new PermissionError(`Not run, forbidden: ${command} (${verdict.reasons.join("; ")})`, {
        code: "GUARD_BLOCKED",
        details: { command, level: verdict.level, reasons: verdict.reasons },
      });
    }
    // A yes to the command before the handler ran did not see the environment or the input the handler gives it.
    const unseen = environment.dangerous.length > 0 || execOptions.input !== undefined;
    if (verdict.level === "DANGEROUS" && (!options.preApproved.has(command) || unseen)) {
      const given = await answer({ kind: "action", risk: verdict.level, command, reasons: verdict.reasons });
      if (!given.approved) {
        const why = nobodyAsked(given.via) === undefined ? "" : ` (${noWayToAsk})`;
        throw new PermissionError(`Not run, not confirmed${why}: ${command} (${verdict.reasons.join("; ")})`, {
          code: "GUARD_BLOCKED",
          details: { command, level: verdict.level, reasons: verdict.reasons },
        });
      }
    }
    if (verdict.level === "MODERATE" || verdict.level === "DANGEROUS") {
      options.notices.push({ level: verdict.level, reasons: verdict.reasons, command });
    }
    const isolated = sandbox?.available === true;
    if (sandbox !== undefined) {
      // The sandbox could not prove itself: say so, and run unisolated only if the user agrees.
      if (
        !sandbox.available &&
        !(await ask({
          kind: "action",
          risk: verdict.level,
          command,
          reasons: [`it cannot run isolated: ${sandbox.reason}`],
        }))
      ) {
        throw new PermissionError(
          `Not run: ${command} could not be isolated (${sandbox.reason}) and running it unisolated was not confirmed`,
          {
            code: "GUARD_BLOCKED",
            details: { command, sandbox: sandbox.reason },
          },
        );
      }
    }
    await options.audit("command-started", {
      ...detail,
      cwd,
      isolated,
      detach: execOptions.detach === true,
      ...(execOptions.input === undefined ? {} : { input: execOptions.input.slice(0, 2000) }),
      ...(execOptions.env === undefined ? {} : { env: Object.keys(execOptions.env) }),
    });
    const timeoutSeconds = execOptions.timeoutSeconds ?? config.command_timeout;
    const result = await paused(() =>
      runProcess({
        command,
        cwd,
        timeoutMilliseconds: Math.max(1, timeoutSeconds * 1000),
        outputLimit: config.command_output_limit,
        ...(execOptions.env === undefined ? {} : { env: execOptions.env }),
        ...(execOptions.input === undefined ? {} : { input: execOptions.input }),
        signal: options.signal,
        ...(isolated
          ? {
              // A confined user's sandbox holds the system's programs and their workspace, nothing else of the machine.
              isolation:
                call.confined === true && call.workspace !== undefined
                  ? { confinedTo: call.workspace, ...(config.confined_network ? { network: true } : {}) }
                  : { writable: [cwd] },
            }
          : {}),
        ...(execOptions.detach === true ? { detach: true } : {}),
      }),
    );
    await options.audit(
      "command-completed",
      {
        tool: call.tool,
        plugin: call.plugin,
        command,
        exitCode: result.exitCode,
        signal: result.signal,
        timedOut: result.timedOut,
        truncated: result.truncated,
        durationMs: result.durationMs,
      },
      result.exitCode === 0 ? "success" : "failure",
    );
    return {
      command,
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: result.stdout,
      stderr: result.stderr,
      truncated: result.truncated,
      timedOut: result.timedOut,
      durationMs: result.durationMs,
      risk: verdict.level,
      isolated,
    };
  };

  let manager: FileManager | undefined;
  const fileManager = (): FileManager => {
    requirePermission("file_system", "files");
    manager ??= new FileManager({
      journal: options.journal,
      operation: {
        userId: call.request.userId,
        sessionId: call.request.sessionId,
        tool: call.tool,
        description: options.describe(),
      },
      resolve: guardFile,
      trashDirectory: options.trashDirectory,
    });
    return manager;
  };
  /**
   * The bulk limit holds whether or not a handler asks itself: past safety.bulk_threshold changes in one
   * call with no yes to a bulk change or a described step, the next change asks first (and stops on a no).
   */
  let changed = 0;
  const admit = async (count: number): Promise<void> => {
    if (!confirmedInCall && changed + count > config.bulk_threshold) {
      const reason = `more than safety.bulk_threshold = ${config.bulk_threshold} files in one go (${changed} changed so far)`;
      const question = { kind: "bulk" as const, count: changed + count, summary: `${call.tool} goes on changing files` };
      if (!remember(await ask({ ...question, reasons: [reason] }))) {
        throw new PermissionError(`Not done: ${call.tool} would change ${reason}, and that was not confirmed`, {
          code: "GUARD_BLOCKED",
          details: { tool: call.tool, plugin: call.plugin, changed, threshold: config.bulk_threshold },
          recovery: "The changes made so far can be reverted with `astros undo`.",
        });
      }
    }
    changed += count;
  };
  /** The file manager for a change of `count` files (permission first, then the bulk limit). */
  const changing = async (count: number): Promise<FileManager> => {
    const manager = fileManager();
    await admit(count);
    return manager;
  };
  /**
   * The effect policy at run time: what a handler (or a plugin through callPlugin) really does to files is judged like
   * what it declared, so a handler that trashes the home folder by itself is refused as the request would be. A risky
   * write the person already confirmed for this call (the same reason) is not asked again.
   */
  const confirmedReasons = new Set(options.notices.filter((notice) => notice.level === "DANGEROUS").flatMap((n) => n.reasons));
  const judgeEffects = async (effects: PathEffect[]): Promise<void> => decide(await safety.judgeEffects(effects, call));
  /** Go on, ask, or refuse, as the policy decided. */
  const decide = async (decision: EffectDecision): Promise<void> => {
    if (decision.verdict === "allow") return;
    if (decision.verdict === "ask" && decision.reasons.every((reason) => confirmedReasons.has(reason))) return;
    const detail = { step: "files", tool: call.tool, plugin: call.plugin, risk: decision.risk, reasons: decision.reasons };
    if (decision.verdict === "ask") {
      const given = await answer({ kind: "action", risk: decision.risk, reasons: [...decision.reasons] });
      if (given.approved) {
        for (const reason of decision.reasons) confirmedReasons.add(reason);
        options.notices.push({ level: decision.risk, reasons: [...decision.reasons] });
        return;
      }
      const why = nobodyAsked(given.via) === undefined ? "" : ` (${noWayToAsk})`;
      throw new PermissionError(`Not done, not confirmed${why}: ${decision.reasons.join("; ")}`, {
        code: "GUARD_BLOCKED",
        details: { risk: decision.risk, reasons: decision.reasons },
        recovery: "Confirm it when asked (in a terminal, or with --yes for what you asked yourself).",
      });
    }
    await options.audit("decision-made", detail, "deny");
    throw new PermissionError(`Not done: ${decision.reason}`, {
      code: "GUARD_BLOCKED",
      details: { risk: decision.risk, reasons: decision.reasons },
    });
  };
  /** Where a move or copy to `destination` creates its file: inside it when it is a folder, else at it. */
  const createdBy = (source: string, destination: string): PathEffect => {
    const into = statSync(expandedPath(destination), { throwIfNoEntry: false })?.isDirectory() === true;
    return { kind: "create", input: into ? path.join(destination, path.basename(source)) : destination };
  };
  const expandedPath = (input: string): string => {
    const home = os.homedir();
    const expanded = input === "~" ? home : input.startsWith("~/") ? path.join(home, input.slice(2)) : input;
    return path.resolve(requestDirectory(call), expanded);
  };
  /**
   * Moves judged by the policy (what goes, and what is created where it goes), each path resolved once (folders and
   * destinations cached: an organize moves thousands of files between a few folders). A folder moved into itself (or
   * into a folder inside it) is bad input, said plainly, never a file system error with a stack trace.
   */
  const judgeMoves = async (moves: ReadonlyArray<{ source: string; destination: string }>): Promise<void> => {
    const folders = new Map<string, Promise<string>>();
    const intoFolder = new Map<string, boolean>();
    const effects: Effect[] = [];
    let intoItself: { source: string; destination: string } | undefined;
    for (const { source, destination } of moves) {
      let into = intoFolder.get(destination);
      if (into === undefined) {
        into = statSync(expandedPath(destination), { throwIfNoEntry: false })?.isDirectory() === true;
        intoFolder.set(destination, into);
      }
      const created = into ? path.join(destination, path.basename(source)) : destination;
      const from = await safety.realEffect({ kind: "move", input: source }, call, undefined, folders);
      const to = await safety.realEffect({ kind: "create", input: created }, call, undefined, folders);
      effects.push(from, to);
      if (from.path !== undefined && to.path?.startsWith(`${from.path}/`) === true) intoItself ??= { source, destination };
    }
    // What the policy forbids is refused as that first; a move into itself is then bad input.
    await decide(safety.policy.judge(effects, call.workspace === undefined ? {} : { workspaces: [call.workspace] }));
    if (intoItself !== undefined) {
      const { source, destination } = intoItself;
      throw new ProcessingError(`${source} cannot be moved into itself (${destination} is inside it); nothing was moved`, {
        code: "REQUEST_INVALID",
        details: { source, destination },
        recovery: "Move it to a folder outside it.",
      });
    }
  };
  const writing = (input: string): PathEffect => ({
    kind: lstatSync(expandedPath(input), { throwIfNoEntry: false }) === undefined ? "create" : "overwrite",
    input,
  });
  const files: GuardedFiles = {
    resolve: (input) => fileManager().resolve(input),
    readFile: (input, readOptions) => fileManager().readFile(input, readOptions),
    listDirectory: (input) => fileManager().listDirectory(input),
    stat: (input) => fileManager().stat(input),
    writeFile: async (input, content) => {
      const manager = await changing(1);
      await judgeEffects([writing(input)]);
      return manager.writeFile(input, content);
    },
    createDirectory: async (input) => {
      const manager = fileManager();
      await judgeEffects([{ kind: "create", input }]);
      return manager.createDirectory(input);
    },
    moveFile: async (source, destination) => {
      const manager = await changing(1);
      await judgeMoves([{ source, destination }]);
      return manager.moveFile(source, destination);
    },
    moveFiles: async (moves) => {
      const manager = await changing(moves.length);
      await judgeMoves(moves);
      return manager.moveFiles(moves);
    },
    planMoves: (moves) => fileManager().planMoves(moves),
    copyFile: async (source, destination) => {
      const manager = await changing(1);
      await judgeEffects([createdBy(source, destination)]);
      return manager.copyFile(source, destination);
    },
    renameFile: async (source, newName) => {
      const manager = await changing(1);
      await judgeEffects([
        { kind: "move", input: source },
        { kind: "create", input: path.join(path.dirname(expandedPath(source)), newName) },
      ]);
      return manager.renameFile(source, newName);
    },
    deleteFile: async (input) => {
      const manager = await changing(1);
      await judgeEffects([{ kind: "delete", input }]);
      return manager.deleteFile(input);
    },
    setMode: async (input, mode) => {
      const manager = await changing(1);
      // New permissions replace what a path lets anyone do: refused on protected places, asked on start-up files.
      await judgeEffects([{ kind: "overwrite", input }]);
      return manager.setMode(input, mode);
    },
  };

  const confirmBulk = async (count: number, summary: string): Promise<boolean> => {
    if (!Number.isFinite(count) || count <= config.bulk_threshold) return Number.isFinite(count);
    return remember(
      await ask({
        kind: "bulk",
        count,
        summary,
        reasons: [`${count} changes at once (more than safety.bulk_threshold = ${config.bulk_threshold})`],
      }),
    );
  };

  const confirm = async (summary: string, reasons: readonly string[] = []): Promise<boolean> =>
    remember(await ask({ kind: "action", risk: "DANGEROUS", summary, reasons: reasons.length === 0 ? [summary] : [...reasons] }));

  /** Commit this call's file changes as one undoable operation; its id, if anything changed. */
  const finish = async (): Promise<{ operationId: string; changes: number } | undefined> => {
    const operation = await manager?.operation;
    if (operation === undefined) return undefined;
    const changes = operation.changes;
    const operationId = await manager?.finish();
    return operationId === undefined ? undefined : { operationId, changes };
  };

  let engine: ReturnType<ToolServicesOptions["ai"]> | undefined;
  /** The provider, once the handler is known to have declared the `ai` permission. */
  const engineOf = () => {
    engine ??= options.ai();
    return engine;
  };
  const model = () => {
    requirePermission("ai", "the AI provider");
    return engineOf();
  };
  const ai: HandlerAI = {
    get provider() {
      return engineOf().provider.name;
    },
    get model() {
      return engineOf().provider.model;
    },
    get capabilities() {
      return { ...engineOf().provider.capabilities };
    },
    get embeddingModel() {
      return engineOf().metered.embeddingModel;
    },
    complete: (prompt, generation) => model().metered.complete(prompt, { signal: options.signal, ...generation }),
    chat: (messages, chatOptions) => model().metered.chat(messages, { signal: options.signal, ...chatOptions }),
    embed: (texts) => model().metered.embed(texts, options.signal),
    analyzeImage: async (input, prompt, generation) => {
      const { metered } = model();
      const realPath = await guardFile(input);
      // Opened through the file boundary (no link on any folder of the way or at the name, no hard link); the
      // provider reads that open file through a private link named like it (it judges the image type by the name).
      const { handle, info } = await openForReading(realPath);
      const folder = await mkdtemp(path.join(os.tmpdir(), "astros-image-"));
      try {
        if (!info.isFile())
          throw new ProcessingError(`${realPath} is not a file`, { code: "REQUEST_INVALID", details: { path: realPath } });
        const opened = path.join(folder, `image${path.extname(realPath).toLowerCase()}`);
        await symlink(`/proc/self/fd/${handle.fd}`, opened);
        return await metered.analyzeImage(opened, prompt, { signal: options.signal, ...generation });
      } finally {
        await handle.close();
        await rm(folder, { recursive: true, force: true });
      }
    },
  };

  return { services: { exec, files, confirmBulk, confirm, ai }, finish };
}
