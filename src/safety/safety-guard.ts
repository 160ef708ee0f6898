import os from "node:os";
import type { SafetyConfig } from "../config/config-schema.js";
import type { Decision, ToolCall, ToolGuard } from "../core/agent/pipeline-seams.js";
import { CommandGuard, type CommandVerdict } from "./command-guard/command-guard.js";
import { maxRisk, type RiskLevel } from "./command-guard/risk-level.js";
import { PathGuard, type PathVerdict } from "./path-guard/path-guard.js";

export interface SafetyGuardOptions {
  config: SafetyConfig;
  homeDirectory?: string;
  /** AstrOS's own data, config and state folders: sensitive unless allowed. */
  ownDirectories?: readonly string[];
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
  #commands: Promise<CommandGuard> | undefined;
  readonly #homeDirectory: string;

  constructor(options: SafetyGuardOptions) {
    this.config = options.config;
    this.#homeDirectory = options.homeDirectory ?? os.homedir();
    this.paths = new PathGuard({
      ...(options.config.allowed_roots.length === 0 ? {} : { roots: options.config.allowed_roots }),
      homeDirectory: this.#homeDirectory,
      sensitivePaths: options.config.sensitive_paths,
      allowSensitive: options.config.allow_sensitive,
      ownDirectories: options.ownDirectories ?? [],
    });
  }

  /** Judge a command line (the shell parser is loaded on first use). */
  async judgeCommand(command: string): Promise<CommandVerdict> {
    this.#commands ??= CommandGuard.create({ homeDirectory: this.#homeDirectory });
    return (await this.#commands).check(command);
  }

  /** Judge a path against the roots and sensitive paths; the session's workspace is a root too. */
  checkPath(input: string, call: Pick<ToolCall, "request" | "workspace">): Promise<PathVerdict> {
    return this.paths.check(input, {
      cwd: requestDirectory(call),
      extraRoots: call.workspace === undefined ? [] : [call.workspace],
    });
  }

  async assess(call: ToolCall): Promise<Decision> {
    let level: RiskLevel = "SAFE";
    const reasons: string[] = [];
    for (const command of call.commands) {
      const verdict = await this.judgeCommand(command);
      level = maxRisk(level, verdict.level);
      if (verdict.level !== "SAFE") reasons.push(...verdict.reasons.map((reason) => `${command}: ${reason}`));
      if (verdict.level === "FORBIDDEN") break;
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
    for (const input of call.paths) {
      const verdict = await this.checkPath(input, call);
      if (!verdict.allowed) {
        return {
          verdict: "deny",
          reason: `access to ${verdict.reason}`,
          code: "PATH_DENIED",
          details: { path: verdict.path, realPath: verdict.realPath, rule: verdict.rule },
        };
      }
    }
    if (level === "SAFE") return { verdict: "allow", risk: level, reason: "nothing risky" };
    return { verdict: verdictForRisk(level), risk: level, reasons, reason: `${level.toLowerCase()}: ${reasons.join("; ")}` };
  }
}

/** The folder relative paths in a request mean: the caller's working directory when it sent one. */
export function requestDirectory(call: Pick<ToolCall, "request">): string {
  const cwd = call.request.context.cwd;
  return typeof cwd === "string" && cwd.startsWith("/") ? cwd : os.homedir();
}
