import type { BaseAIProvider } from "../ai/base-ai-provider.js";
import type { AstrOSConfig } from "../config/config-schema.js";
import { AstrOSError } from "../core/errors/astros-error.js";
import { ProcessingError } from "../core/errors/processing-error.js";
import type { Logger } from "../core/logging/logger.js";
import type { Response } from "../core/types/response.js";
import type { PluginRegistry } from "../plugins/plugin-registry.js";
import { stringsIn } from "./argument-strings.js";
import { addUsage, type ConversationStore, emptyUsage } from "./conversation-store.js";
import { createDeferringChannel, isDeferring } from "./deferred-confirmation.js";
import { errorResponse } from "./error-response.js";
import type { ExecutionScope } from "./execution-scope.js";
import { runLlmTurn } from "./llm-turn.js";
import { type AIMeter, meteredAI } from "./metered-ai.js";
import { systemPrompt } from "./system-prompt.js";
import { buildToolCatalog } from "./tool-catalog.js";
import { toolIntent } from "./tool-intent.js";
import type { ToolPipeline } from "./tool-pipeline.js";
import { type TaintSource, TurnTaint } from "./turn-taint.js";

export interface ModelRequestOptions {
  scope: ExecutionScope;
  llm: BaseAIProvider;
  registry: PluginRegistry;
  pipeline: ToolPipeline;
  conversations: ConversationStore;
  config: AstrOSConfig;
  /** How the model's calls are counted (rate limits, pricing, audit, totals). */
  meter: AIMeter;
  logger: Logger;
}

/**
 * A request the LLM takes: the tool-calling loop, every call through the pipeline, metered. Every tool
 * result taints the turn; what the model proposes after that needs a person's yes (see TurnTaint).
 */
export async function runModelRequest(options: ModelRequestOptions): Promise<Response> {
  const { scope, llm, registry, pipeline, conversations, config } = options;
  const { request } = scope;
  const conversation = await conversations.load(request.userId, request.sessionId);
  let usage = emptyUsage();
  const ai = meteredAI(
    options.meter,
    { requestId: scope.requestId, userId: request.userId, sessionId: request.sessionId },
    (call) => {
      usage = addUsage(usage, call);
    },
  );
  // A channel that cannot ask now (an API call, or nobody to ask under the `deny` policy) defers:
  // the question ends the turn and goes back to the caller as a confirmation request.
  const confirm = scope.confirm ?? (config.safety.non_interactive === "deny" ? createDeferringChannel() : undefined);
  // A change the model proposes after taint that nobody can confirm now goes back to the caller the same way.
  const untrustedFallback = isDeferring(confirm) ? confirm : createDeferringChannel();
  const taint = scope.taint ?? new TurnTaint();
  // Earlier turns of this conversation that carried outside text still do: the model reads them again.
  if (conversation.taint !== undefined) taint.mark(conversation.taint);
  const runTool = async (tool: string, args: Record<string, unknown>) => {
    const askedBefore = untrustedFallback.deferred.length;
    const intent = toolIntent(request, tool, args);
    const match = registry.findHandlers(intent)[0];
    if (match === undefined) {
      const error = new ProcessingError(`No enabled plugin handles "${tool}"`, { code: "NO_HANDLER" });
      return { response: errorResponse(error, { intent: tool }) };
    }
    const confirmBecause = config.ai.confirm_changes && !match.handler.readOnly ? "the AI model proposed this change" : undefined;
    const callScope: ExecutionScope = { ...scope, confirm, taint, modelProposed: true, untrustedFallback };
    const response = await pipeline.run(match, intent, callScope, undefined, confirmBecause);
    // Whatever the tool answered goes back to the model: from now on the turn is tainted.
    taint.mark(taintSource(tool, args, match.handler));
    const deferred = untrustedFallback.deferred[askedBefore];
    return { response, ...(deferred === undefined ? {} : { confirmation: { ...deferred, tool, args } }) };
  };
  let turn: { response: Response; steps: number };
  try {
    turn = await runLlmTurn({
      chat: (messages, chatOptions) => ai.chat(messages, chatOptions),
      catalog: buildToolCatalog(registry),
      system: systemPrompt(request, conversation.summary),
      history: conversation.turns,
      text: request.text,
      maxSteps: config.ai.max_steps,
      signal: scope.signal,
      emit: scope.emit,
      runTool,
    });
  } catch (error) {
    // A typed failure (timeout, rate limit, cancel) is the answer; what the turn spent still counts.
    if (!AstrOSError.isInstance(error)) throw error;
    options.logger.info("request failed", { requestId: scope.requestId, code: error.code, error: error.message });
    turn = { response: errorResponse(error, {}), steps: usage.requests };
  }
  const { response, steps } = turn;
  const tools = (response.data?.toolCalls ?? []) as { tool: string }[];
  response.metadata = {
    ...response.metadata,
    intent: tools[0]?.tool ?? "chat",
    route: "llm",
    provider: llm.name,
    model: llm.model,
    steps,
    usage,
    tokensUsed: usage.inputTokens + usage.outputTokens,
    ...(usage.costUnknown === true ? {} : { costUsd: usage.costUsd }),
    sessionUsage: addUsage(conversation.usage, usage),
  };
  return response;
}

/** Where a tool's result came from, for the taint it brings: the tool, and the path or command it was given. */
function taintSource(
  tool: string,
  args: Record<string, unknown>,
  handler: { pathArgs: readonly string[]; commandArgs: readonly string[] },
): TaintSource {
  const [named] = stringsIn(args, handler.pathArgs);
  const [command] = stringsIn(args, handler.commandArgs);
  return { source: tool, ...(named === undefined ? {} : { path: named }), ...(command === undefined ? {} : { command }) };
}
