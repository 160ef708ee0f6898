import type { ChatOptions, ChatResponse, Message, ToolCallRequest } from "../ai/ai-types.js";
import { AIError } from "../core/errors/ai-error.js";
import { AstrOSError, toErrorInfo } from "../core/errors/astros-error.js";
import { PermissionError } from "../core/errors/permission-error.js";
import type { AgentEventPayload } from "../core/events/agent-event.js";
import { createResponse, type Response } from "../core/types/response.js";
import type { DeferredQuestion } from "./deferred-confirmation.js";
import type { ToolCatalog } from "./tool-catalog.js";
import { describeSources } from "./turn-taint.js";

/** Characters of a tool's result the model is shown (the rest is cut, and it is told so). */
const toolResultCharacters = 8_000;

/** A confirmation the channel could not ask for: the turn ends and hands it to the caller. */
export type PendingConfirmation = Pick<DeferredQuestion, "tool" | "args" | "kind" | "reasons" | "risk" | "command"> &
  Partial<DeferredQuestion>;

export interface ToolOutcome {
  response: Response;
  /** Set when the call needs a yes that this channel cannot give now. */
  confirmation?: PendingConfirmation;
}

export interface LlmTurnOptions {
  /** One model call (the caller meters it: rate limits, tokens, cost, audit). */
  chat: (messages: readonly Message[], options: ChatOptions) => Promise<ChatResponse>;
  catalog: ToolCatalog;
  /** The system prompt, then the session's earlier turns, then this request. */
  system: string;
  history: readonly Message[];
  text: string;
  maxSteps: number;
  signal: AbortSignal;
  emit: (event: AgentEventPayload) => void;
  /** Run one tool call through the agent's pipeline (validate, authorize, guard, confirm, execute, audit). */
  runTool: (tool: string, args: Record<string, unknown>) => Promise<ToolOutcome>;
}

interface CallRecord {
  tool: string;
  args: Record<string, unknown>;
  success: boolean;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * The tool-calling loop: the model answers or asks for tools; each call goes through the pipeline
 * like any other (an invalid or unknown one is never run: the model is told why); results go back
 * to the model; the turn ends with its final answer, a confirmation the channel could not give, or
 * the step limit. Text streams as `text_delta` events as the model writes it.
 */
export async function runLlmTurn(options: LlmTurnOptions): Promise<{ response: Response; steps: number }> {
  const { catalog, emit } = options;
  let history = [...options.history];
  const turn: Message[] = [{ role: "user", content: options.text }];
  const calls: CallRecord[] = [];
  const suggestions = new Set<string>();
  let squeezed = false;
  for (let step = 1; step <= options.maxSteps; step++) {
    emit({ type: "status", status: "processing", message: step === 1 ? "Thinking" : `Thinking (step ${step})` });
    let answer: ChatResponse;
    try {
      answer = await options.chat([{ role: "system", content: options.system }, ...history, ...turn], {
        tools: catalog.definitions,
        signal: options.signal,
        onTextDelta: (delta) => emit({ type: "text_delta", delta }),
      });
    } catch (error) {
      // Too long for the model: once, drop the earlier turns and shorten this turn's tool results.
      if (!squeezed && AstrOSError.isInstance(error) && error.code === "AI_CONTEXT_TOO_LONG") {
        squeezed = true;
        history = [];
        for (const message of turn) if (message.role === "tool") message.content = cut(message.content, 1_000);
        step--;
        continue;
      }
      throw error;
    }
    turn.push({ role: "assistant", content: answer.content, toolCalls: answer.toolCalls });
    if (answer.toolCalls.length === 0) {
      return { response: finalAnswer(answer.content, calls, suggestions), steps: step };
    }
    for (const call of answer.toolCalls) {
      const reply = await runOne(call, options);
      if (reply.record !== undefined) {
        calls.push(reply.record);
        for (const suggestion of reply.suggestions) suggestions.add(suggestion);
      }
      if (reply.confirmation !== undefined) {
        const response = confirmationRequired(reply.confirmation);
        response.data = { ...response.data, toolCalls: calls.map(({ data: _data, ...call }) => call) };
        return { response, steps: step };
      }
      turn.push({ role: "tool", toolCallId: call.id, toolName: call.name, content: reply.content, isError: reply.isError });
    }
  }
  const error = new AIError(
    `Stopped after ${options.maxSteps} model steps without a final answer${calls.length === 0 ? "" : ` (${calls.length} tool calls made)`}`,
    {
      code: "AI_STEP_LIMIT",
      details: { steps: options.maxSteps, toolCalls: calls.map((call) => call.tool) },
      recovery: "Ask for less at once, or raise ai.max_steps in the configuration.",
    },
  );
  return {
    response: createResponse({
      success: false,
      message: error.message,
      data: { toolCalls: calls },
      suggestions: [...suggestions],
      metadata: { error: toErrorInfo(error) },
    }),
    steps: options.maxSteps,
  };
}

async function runOne(
  call: ToolCallRequest,
  options: LlmTurnOptions,
): Promise<{
  content: string;
  isError: boolean;
  record?: CallRecord;
  suggestions: string[];
  confirmation?: PendingConfirmation;
}> {
  const entry = options.catalog.resolve(call.name);
  if (entry === undefined) {
    return {
      content: `Not run: there is no tool called ${call.name}. The tools are: ${options.catalog.definitions.map((tool) => tool.name).join(", ")}.`,
      isError: true,
      suggestions: [],
    };
  }
  if (call.invalid !== undefined) {
    return {
      content: `Not run: your call of ${call.name} could not be read (${call.invalid}). Send the arguments as one JSON object that matches the tool's schema.`,
      isError: true,
      suggestions: [],
    };
  }
  const { response, confirmation } = await options.runTool(entry.tool, call.arguments);
  const record: CallRecord = {
    tool: entry.tool,
    args: call.arguments,
    success: response.success,
    message: response.message,
    ...(response.data === undefined ? {} : { data: response.data }),
  };
  return {
    content: forModel(response),
    isError: !response.success,
    record,
    suggestions: response.suggestions,
    ...(confirmation === undefined ? {} : { confirmation }),
  };
}

/** A tool's result as the model reads it; a guard's refusal says plainly that it is final. */
function forModel(response: Response): string {
  const error = response.metadata.error;
  const risk = error?.details?.risk;
  if (error !== undefined && error.code === "GUARD_BLOCKED" && risk === "FORBIDDEN") {
    const reasons = (error.details?.reasons as string[] | undefined) ?? [error.message];
    return `Refused by AstrOS's safety guard as FORBIDDEN (${reasons.join("; ")}). It will never run. Tell the user why; do not try to do the same thing another way.`;
  }
  if (error !== undefined) {
    return JSON.stringify({
      success: false,
      error: { code: error.code, message: error.message, ...(error.recovery === undefined ? {} : { recovery: error.recovery }) },
    });
  }
  return cut(
    JSON.stringify({
      success: response.success,
      message: response.message,
      ...(response.data === undefined ? {} : { data: response.data }),
    }),
    toolResultCharacters,
  );
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… [cut: ${text.length - limit} more characters]`;
}

function finalAnswer(text: string, calls: CallRecord[], suggestions: Set<string>): Response {
  const last = calls[calls.length - 1];
  return createResponse({
    success: true,
    message: text.trim() || last?.message || "Done.",
    data: {
      toolCalls: calls.map(({ data: _data, ...call }) => call),
      ...(last?.data === undefined ? {} : { result: last.data }),
    },
    suggestions: [...suggestions],
  });
}

/**
 * The answer to a request stopped at a question nobody could answer: what needs a yes, exactly,
 * as `data.confirmation` (an interface binds its confirmation to it), and why.
 */
export function confirmationRequired(pending: PendingConfirmation, stopped?: Response): Response {
  const what =
    pending.command ??
    (pending.kind === "plan"
      ? `a plan of ${pending.steps?.length ?? 0} steps`
      : pending.kind === "consent"
        ? `let the ${pending.plugin} plugin use ${pending.permission}`
        : `${pending.tool} ${JSON.stringify(pending.args)}`);
  // A change the model proposed after reading text that did not come from the person says so first.
  const message =
    pending.taint !== undefined && pending.taint.length > 0
      ? `Not done: the AI model proposed ${pending.command === undefined ? what : `\`${what}\``} after ${describeSources(pending.taint)} (text that did not come from you); confirm it yourself: run the request where you can be asked (a terminal, the WebSocket, or the API's confirmation token). --yes never confirms what the model proposed after reading such text.`
      : `This needs your confirmation before it runs: ${what} (${pending.reasons.join("; ")}).`;
  return createResponse({
    success: false,
    message,
    data: { confirmation: pending, ...(stopped?.data === undefined ? {} : { result: stopped.data }) },
    requiresFollowup: true,
    metadata: {
      ...(stopped?.metadata ?? {}),
      error: toErrorInfo(
        new PermissionError(`Confirmation required: ${what}`, {
          code: "CONFIRMATION_REQUIRED",
          details: { ...pending },
          recovery: "Confirm it on a channel that can ask (the terminal, the WebSocket, or the API's confirmation), or say no.",
        }),
      ),
    },
  });
}
