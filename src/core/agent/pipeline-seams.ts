import type { UserRequest } from "../types/user-request.js";

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
}

export type Verdict = "allow" | "ask" | "deny";

/** A typed decision with its reason, never a bare boolean. */
export interface Decision {
  verdict: Verdict;
  reason: string;
  /** Risk level when a guard judged it (SAFE, MODERATE, DANGEROUS, FORBIDDEN). */
  risk?: string;
}

/** May this user, through this plugin, do this? (PermissionManager plugs in here.) */
export interface ToolAuthorizer {
  authorize(call: ToolCall): Promise<Decision>;
}

/** How risky is this exact action? (Command guard, path guard and bulk limits plug in here.) */
export interface ToolGuard {
  assess(call: ToolCall): Promise<Decision>;
}

/** What the person is asked when a decision is "ask". */
export interface ConfirmationRequest {
  call: ToolCall;
  reasons: string[];
}

/** Asks on the channel the request came from; resolves true only on an explicit yes. */
export type ConfirmationChannel = (request: ConfirmationRequest) => Promise<boolean>;

export type AuditEntryType =
  | "request-received"
  | "decision-made"
  | "confirmation-answered"
  | "tool-call-started"
  | "tool-call-completed"
  | "request-completed";

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
