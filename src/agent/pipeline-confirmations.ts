import { randomUUID } from "node:crypto";
import type { ExecutionScope } from "./execution-scope.js";
import {
  type AuditEntryType,
  type ConfirmationAnswer,
  type ConfirmationRequest,
  type ConsentAnswer,
  noWayToAsk,
  type ToolCall,
} from "./pipeline-seams.js";
import { liveChannel, type TaintSource } from "./turn-taint.js";

export interface PipelineConfirmationsOptions {
  /** safety.non_interactive: what a question gets when the request has no channel. */
  nonInteractive: () => "deny" | "allow";
  audit: (scope: ExecutionScope, type: AuditEntryType, detail: Record<string, unknown>, outcome?: string) => Promise<void>;
}

/**
 * Where the text came from that makes this call untrusted: set when an AI model proposed it (or the
 * call it runs inside) after text that did not come from the person reached the turn. Such a call's
 * questions are answered only by a person asked now, never in advance.
 */
export function untrustedSources(scope: ExecutionScope): readonly TaintSource[] | undefined {
  if (scope.modelProposed !== true || scope.taint?.tainted !== true) return undefined;
  return [...scope.taint.sources];
}

/**
 * How the pipeline asks the person: on the request's channel, under the non-interactive policy when
 * there is none, and only a person asked now for what a model proposed after taint. Every question
 * and answer is audited; anything but an explicit yes is a no.
 */
export class PipelineConfirmations {
  readonly #options: PipelineConfirmationsOptions;

  constructor(options: PipelineConfirmationsOptions) {
    this.#options = options;
  }

  /**
   * Ask on the request's channel. Without a channel the non-interactive policy decides: `deny`
   * refuses, `allow` lets DANGEROUS actions and bulk changes through (never consent, never FORBIDDEN).
   * The answer and how it was given are audited; anything but an explicit yes is a no.
   */
  async ask(
    scope: ExecutionScope,
    call: ToolCall,
    question: Omit<ConfirmationRequest, "call">,
  ): Promise<{ approved: boolean; via: string }> {
    const taint = question.kind === "consent" ? undefined : untrustedSources(scope);
    if (taint !== undefined) question = { ...question, taint };
    const answer = await this.#answer(scope, call, question);
    await this.#options.audit(
      scope,
      "confirmation-answered",
      {
        kind: question.kind,
        ...(taint === undefined ? {} : { taint: scope.taint?.audit() }),
        tool: call.tool,
        plugin: call.plugin,
        reasons: question.reasons,
        via: answer.via,
        ...(question.risk === undefined ? {} : { risk: question.risk }),
        ...(question.command === undefined ? {} : { command: question.command }),
        ...(question.count === undefined ? {} : { count: question.count }),
        ...(question.permission === undefined ? {} : { permission: question.permission }),
      },
      answer.approved ? "confirmed" : "not confirmed",
    );
    return answer;
  }

  /** Allow once, always, or deny; only an answer the person chose to keep is remembered ("always", or a deny they gave). */
  async askConsent(
    scope: ExecutionScope,
    call: ToolCall,
    permission: string,
  ): Promise<{ answer: ConsentAnswer; remember: boolean }> {
    const question = {
      kind: "consent" as const,
      permission,
      reasons: [`the ${call.plugin} plugin asks to use the ${permission} permission for the first time`],
    };
    const answer = await this.#answer(scope, call, question);
    const consent: ConsentAnswer = answer.approved ? (answer.remember ? "always" : "once") : "deny";
    await this.#options.audit(
      scope,
      "confirmation-answered",
      {
        kind: "consent",
        tool: call.tool,
        plugin: call.plugin,
        permission,
        via: answer.via,
        remembered: answer.remember === true,
      },
      consent,
    );
    return { answer: consent, remember: answer.remember === true };
  }

  /**
   * Asks once for a whole plan (the steps, one line each) on the request's channel, under the same
   * policy as any confirmation (no channel: `safety.non_interactive`), and audits the answer.
   */
  async confirmPlan(
    scope: ExecutionScope,
    steps: readonly string[],
    paths: readonly string[],
  ): Promise<{ approved: boolean; via: string }> {
    const call: ToolCall = {
      id: randomUUID(),
      tool: "plan",
      plugin: "core",
      handler: "plan",
      args: { steps },
      readOnly: false,
      requiresPermissions: [],
      request: scope.request,
      commands: [],
      paths,
      trustedPlugin: true,
    };
    const question = {
      kind: "plan" as const,
      reasons: ["it changes files or processes"],
      summary: `run these ${steps.length} steps`,
      steps: [...steps],
    };
    const answer = await this.#answer(scope, call, question);
    await this.#options.audit(
      scope,
      "confirmation-answered",
      { kind: "plan", tool: "plan", plugin: "core", steps, via: answer.via },
      answer.approved ? "confirmed" : "not confirmed",
    );
    return { approved: answer.approved, via: answer.via };
  }

  async #answer(
    scope: ExecutionScope,
    call: ToolCall,
    question: Omit<ConfirmationRequest, "call">,
  ): Promise<ConfirmationAnswer & { via: string }> {
    if (question.risk === "FORBIDDEN") return { approved: false, via: "forbidden actions are never confirmed" };
    if (question.taint !== undefined) return this.#answerLive(scope, call, question);
    if (scope.confirm === undefined) {
      const policy = this.#options.nonInteractive();
      if (policy === "allow" && question.kind !== "consent") {
        return { approved: true, via: "policy safety.non_interactive = allow" };
      }
      return { approved: false, via: `${noWayToAsk} (safety.non_interactive = ${policy})` };
    }
    try {
      const answer = await scope.confirm({ ...question, call });
      if (typeof answer === "boolean") return { approved: answer, via: "channel" };
      return { approved: answer.approved === true, remember: answer.remember === true, via: answer.via ?? "channel" };
    } catch (error) {
      return { approved: false, via: `asking failed (${(error as Error).message})` };
    }
  }

  /**
   * A question about what a model proposed after taint: only a person asked now on the request's channel
   * can say yes. Answers given in advance (`--yes`, an approved plan, safety.non_interactive = allow) do
   * not count; with nobody to ask, the question goes back to the caller (the LLM turn defers it) or is a no.
   */
  async #answerLive(
    scope: ExecutionScope,
    call: ToolCall,
    question: Omit<ConfirmationRequest, "call">,
  ): Promise<ConfirmationAnswer & { via: string }> {
    const live = liveChannel(scope.confirm) ?? scope.untrustedFallback;
    if (live === undefined) {
      const given = scope.confirm?.inAdvance ?? `safety.non_interactive = ${this.#options.nonInteractive()}`;
      return { approved: false, via: `${noWayToAsk} (${given} does not confirm what the AI model proposed)` };
    }
    try {
      const answer = await live({ ...question, call });
      if (typeof answer === "boolean") return { approved: answer, via: "channel" };
      return { approved: answer.approved === true, via: answer.via ?? "channel" };
    } catch (error) {
      return { approved: false, via: `asking failed (${(error as Error).message})` };
    }
  }
}
