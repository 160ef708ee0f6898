import type { UserRequest } from "../core/types/user-request.js";
import type { PathEffect } from "../plugins/handler-definition.js";
import type { TaintSource } from "./turn-taint.js";

/**
 * The seams of the pipeline every tool call passes through, in this order:
 * validate arguments → authorize → guard → confirm → execute → audit.
 * The agent runs all of them for every call; no caller can skip one.
 */

/** One call of one handler, as the policy sees it. */
export interface ToolCall {
  id: string;
  /** Intent type / tool name, e.g. "files.organize". */
  tool: string;
  plugin: string;
  handler: string;
  args: Record<string, unknown>;
  readOnly: boolean;
  /** The plugin's declared permissions plus the handler's own. */
  requiresPermissions: readonly string[];
  request: UserRequest;
  /** The plugin that made this call through callPlugin, if any. */
  caller?: string;
  /** Shell command lines among the arguments (from the handler's `commandArgs`), judged by the command guard. */
  commands: readonly string[];
  /** File paths among the arguments (from the handler's `pathArgs`), judged by the path guard. */
  paths: readonly string[];
  /** What the call does to each of those paths (the handler's `pathEffects`), judged by the effect policy. */
  effects?: readonly PathEffect[];
  /** The session's workspace folder, set by the interface (never by the request's own text): an extra allowed root. */
  workspace?: string;
  /** True for a server user: the workspace is the only place it may touch, and commands run in the sandbox. */
  confined?: boolean;
  /** AstrOS's own plugins and those listed in permissions.trusted_plugins need no first-use consent. */
  trustedPlugin: boolean;
}

export type Verdict = "allow" | "ask" | "deny";

/** A typed decision with its reason, never a bare boolean. */
export interface Decision {
  verdict: Verdict;
  reason: string;
  /** Risk level when a guard judged it (SAFE, MODERATE, DANGEROUS, FORBIDDEN). */
  risk?: string;
  /** Each reason on its own (reason joins them). */
  reasons?: readonly string[];
  /** The error code a denial is reported with (default GUARD_BLOCKED when risk is set, else PERMISSION_DENIED). */
  code?: string;
  details?: Record<string, unknown>;
  /** Permissions this plugin has not been given yet: "ask" means ask the user for consent to these. */
  consent?: readonly string[];
}

/** A file as a handler named it, where, and what it really is after symbolic links. */
export interface ResourcePath {
  input: string;
  cwd: string;
  realPath: string;
}

/** What the user answered when asked to let a plugin use a permission. */
export type ConsentAnswer = "once" | "always" | "deny";

/** May this user, through this plugin, do this? (PermissionManager plugs in here.) */
export interface ToolAuthorizer {
  authorize(call: ToolCall): Promise<Decision>;
  /**
   * May this call use `permission` on a file a handler touches at run time (as written, relative to `cwd`,
   * and its real path)? Where permissions are scoped by glob, this keeps a handler's own file access
   * inside them, not only the paths it declared.
   */
  authorizeResource?(call: ToolCall, permission: string, file: ResourcePath): Promise<Decision>;
  /** Remember the user's answer to a consent question (the pipeline calls it after asking). */
  recordConsent?(call: ToolCall, permission: string, answer: ConsentAnswer): Promise<void>;
}

/** How risky is this exact action? (Command guard, path guard and bulk limits plug in here.) */
export interface ToolGuard {
  assess(call: ToolCall): Promise<Decision>;
}

/**
 * What the person is asked:
 * - `action`: run something risky (the call, or a command it runs, shown with why it is risky);
 * - `bulk`: change more files than the bulk threshold at once;
 * - `consent`: let a plugin use a permission for the first time (allow once, always, or deny);
 * - `plan`: run a multi-step plan that changes things, shown whole (`steps`) and approved once.
 */
export interface ConfirmationRequest {
  kind: "action" | "bulk" | "consent" | "plan";
  call: ToolCall;
  reasons: string[];
  /** The risk level being confirmed (action). */
  risk?: string;
  /** The exact command line about to run, when a command is being confirmed. */
  command?: string;
  /** How many files a bulk operation touches. */
  count?: number;
  /** What the bulk operation does, in a sentence. */
  summary?: string;
  /** The permission asked for (consent). */
  permission?: string;
  /** Every step of the plan, one line each (plan). */
  steps?: string[];
  /**
   * Set when an AI model proposed this after text that did not come from the person reached the turn
   * (where that text came from): only a person asked now can say yes, never an answer given in advance.
   */
  taint?: readonly TaintSource[];
}

/** An answer with its provenance; `remember` makes a consent answer permanent ("always" / "deny"). */
export interface ConfirmationAnswer {
  approved: boolean;
  remember?: boolean;
  /** How it was answered (e.g. "prompt", "--yes", "websocket"); recorded in the audit log. */
  via?: string;
}

/**
 * Asks on the channel the request came from; approves only on an explicit yes. `inAdvance` names how a
 * channel that answers yes without asking was given (e.g. "--yes"): the request's audit entry records it.
 */
export type ConfirmationChannel = ((request: ConfirmationRequest) => Promise<boolean | ConfirmationAnswer>) & {
  inAdvance?: string;
  /**
   * For a channel that answers in advance: the channel that really asks the person now (the terminal
   * behind `--yes`), if there is one. Questions about what a model proposed after taint go only there.
   */
  live?: ConfirmationChannel;
};

export type AuditEntryType =
  | "request-received"
  | "request-refused"
  | "decision-made"
  | "confirmation-answered"
  | "tool-call-started"
  | "tool-call-completed"
  | "command-started"
  | "command-completed"
  | "files-changed"
  | "request-completed"
  | "reminder-delivered"
  | "llm-call"
  | "process-started"
  | "process-stopped";

export interface AuditEntry {
  type: AuditEntryType;
  requestId: string;
  userId: string;
  sessionId: string;
  /** Epoch milliseconds. */
  time: number;
  outcome?: string;
  detail: Record<string, unknown>;
}

/** Where audit entries go. The durable hash-chained log plugs in here. */
export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

/** Allows everything; stands in until the permission manager is configured. */
export const allowAllAuthorizer: ToolAuthorizer = {
  async authorize() {
    return { verdict: "allow", reason: "no permission policy configured" };
  },
};

/** Allows everything; stands in until the safety guard is configured. */
export const allowAllGuard: ToolGuard = {
  async assess() {
    return { verdict: "allow", reason: "no guard configured" };
  },
};

/** Keeps entries in memory (bounded): the default sink, and handy in tests. */
export class MemoryAuditSink implements AuditSink {
  readonly entries: AuditEntry[] = [];
  constructor(private readonly limit = 10_000) {}
  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
  }
}

/** How a refusal reads when the request's channel could not ask anyone (no terminal, a scheduled run). */
export const noWayToAsk = "nobody could be asked on this channel";

/** The answer's `via` when it says nobody could be asked (worth telling the person), else undefined (a plain "no"). */
export function nobodyAsked(via: string): string | undefined {
  return via.startsWith(noWayToAsk) ? via : undefined;
}

/** Why a confirmation was not given, for a refusal's text: "(not confirmed)", or that nobody could be asked. */
export function notConfirmed(via: string): string {
  const unasked = nobodyAsked(via);
  return unasked === undefined ? "(not confirmed)" : `(not confirmed: ${unasked})`;
}
