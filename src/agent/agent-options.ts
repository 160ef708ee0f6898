import type { BaseAIProvider } from "../ai/base-ai-provider.js";
import type { AstrOSConfig } from "../config/config-schema.js";
import type { AgentEvent } from "../core/events/agent-event.js";
import type { Logger } from "../core/logging/logger.js";
import type { IntentRecognizer } from "../intent/intent-recognizer.js";
import type { LlmRateLimiter } from "../safety/rate-limit/llm-rate-limiter.js";
import type { RequestRateLimiter } from "../safety/rate-limit/request-rate-limiter.js";
import type { DatabaseManager } from "../store/database-manager.js";
import type { AuditSink, ConfirmationChannel, ToolAuthorizer, ToolGuard } from "./pipeline-seams.js";

/** Longest request text accepted (characters). */
export const maximumRequestLength = 100_000;

export interface AstrOSAgentOptions {
  /** A configuration file read on top of the usual layers (like ASTROS_CONFIG). */
  configPath?: string;
  /** Configuration values applied last (nested, snake_case as in config.toml). */
  configOverrides?: Record<string, unknown>;
  /** An already-loaded configuration; skips loading files and environment. */
  config?: AstrOSConfig;
  /** Use this database instead of opening the configured one (the agent will not close it). */
  database?: DatabaseManager;
  recognizer?: IntentRecognizer;
  logger?: Logger;
  /** Discover plugins on the configured paths at start (default: config plugins.auto_load). */
  discoverPlugins?: boolean;
  /** Also look in AstrOS's own plugins/ folder (default true). */
  includeBundledPlugins?: boolean;
  /** Register AstrOS's own tools: files, system, processes, shell, notes, schedules (default true). */
  includeTools?: boolean;
  /** Who may do what (default: the PermissionManager on the agent's database, with plugin consent). */
  authorizer?: ToolAuthorizer;
  /** How risky is a call (default: the SafetyGuard built from the `[safety]` configuration). */
  guard?: ToolGuard;
  /** Where audit entries go (default: the hash-chained log `audit.log` in the XDG state folder). */
  audit?: AuditSink;
  /** Where the file journal behind undo lives (default: `journal` in the XDG state folder). */
  journalDirectory?: string;
  /** The trash deleted files go to (default: the freedesktop trash, `$XDG_DATA_HOME/Trash`). */
  trashDirectory?: string;
  /** Requests per user per minute (default: from rate_limits.requests_per_minute, counted in rate_limits.store). */
  requestRateLimiter?: RequestRateLimiter;
  /** LLM calls and tokens per user per minute (default: from rate_limits.llm_*, counted in rate_limits.store). */
  llmRateLimiter?: LlmRateLimiter;
  /** The LLM to use instead of the one `ai.provider` names (routing still follows `ai.routing`). */
  aiProvider?: BaseAIProvider;
  /**
   * Run schedules in this process (default false): start() arms the stored schedules, delivers reminders
   * as `reminder` events and runs scheduled requests; stop() disarms them. The REPL and `astros worker` do.
   */
  runSchedules?: boolean;
  now?: () => number;
}

export interface ProcessOptions {
  signal?: AbortSignal;
  /** Receives this request's events as they happen. */
  onEvent?: (event: AgentEvent) => void;
  /**
   * How to ask the person for confirmation on this request's channel. Without one, what needs confirmation
   * follows safety.non_interactive (`deny` by default).
   */
  confirm?: ConfirmationChannel;
  /** The session's workspace folder, an extra allowed root. Set by the interface, never taken from the request. */
  workspace?: string;
  /**
   * The workspace is the only allowed root, and every command runs in the sandbox with AstrOS's own
   * folders and other workspaces hidden: for users of a server, who must see only their own files.
   */
  confine?: boolean;
  /**
   * Run this tool with these arguments instead of recognizing the text (for interfaces that already
   * know the tool: a CLI subcommand, an MCP or LLM tool call). Same pipeline, checks and audit.
   */
  tool?: { name: string; args: Record<string, unknown> };
}
