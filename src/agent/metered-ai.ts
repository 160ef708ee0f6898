import type { AIResponse, ChatOptions, ChatResponse, GenerationOptions, Message, TokenUsage } from "../ai/ai-types.js";
import type { BaseAIProvider } from "../ai/base-ai-provider.js";
import { builtinEmbedding, builtinEmbeddingDimensions } from "../ai/builtin-embedding.js";
import { estimateCost, type ModelPrice, modelPrice } from "../ai/model-pricing.js";
import type { Logger } from "../core/logging/logger.js";
import type { LlmRateLimiter } from "../safety/rate-limit/llm-rate-limiter.js";
import { estimateTokens, type UsageTotals } from "./conversation-store.js";
import type { AuditSink } from "./pipeline-seams.js";

/** What every AI call is counted against, and where it is recorded. */
export interface AIMeter {
  provider: BaseAIProvider;
  limiter: LlmRateLimiter;
  audit: AuditSink;
  logger: Logger;
  pricing: Readonly<Record<string, ModelPrice>>;
  maxTokens: number;
  temperature: number;
  now: () => number;
  /** Every call's usage, for the process's totals. */
  onUsage: (usage: UsageTotals) => void;
}

/** Who a call is for: the request, and the plugin that made it when a plugin did. */
export interface AICaller {
  requestId: string;
  userId: string;
  sessionId: string;
  plugin?: string;
}

export interface MeteredAI {
  chat(messages: readonly Message[], options?: ChatOptions): Promise<ChatResponse>;
  complete(prompt: string, options?: GenerationOptions): Promise<AIResponse>;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
  readonly embeddingModel: string;
  analyzeImage(realPath: string, prompt: string, options?: GenerationOptions): Promise<AIResponse>;
}

/**
 * The provider, with every call counted: the user's LLM rate limits before it (calls and estimated
 * tokens), the real tokens after it, the estimated cost, an `llm-call` audit entry, and the totals
 * of the request (`onUsage`) and of the process. The builtin engine is free and not limited.
 */
export function meteredAI(meter: AIMeter, caller: AICaller, onUsage: (usage: UsageTotals) => void = () => {}): MeteredAI {
  const { provider } = meter;
  const offline = provider.name === "builtin";
  const price = modelPrice(provider.name, provider.model, meter.pricing);
  let calls = 0;

  const metered = async <T>(
    kind: string,
    estimatedTokens: number,
    work: () => Promise<T>,
    spentOf: (result: T) => TokenUsage,
    detailOf: (result: T) => Record<string, unknown> = () => ({}),
  ): Promise<T> => {
    const step = ++calls;
    const grant = offline ? undefined : await meter.limiter.acquire({ userId: caller.userId, estimatedTokens });
    const started = meter.now();
    let result: { value: T } | undefined;
    try {
      result = { value: await work() };
      return result.value;
    } finally {
      const spent = result === undefined ? { inputTokens: 0, outputTokens: 0 } : spentOf(result.value);
      if (grant !== undefined) await meter.limiter.settle({ grant, actualTokens: spent.inputTokens + spent.outputTokens });
      const cost = estimateCost(price, spent);
      const usage: UsageTotals = {
        requests: 1,
        ...spent,
        costUsd: cost ?? 0,
        ...(cost === undefined ? { costUnknown: true } : {}),
      };
      onUsage(usage);
      meter.onUsage(usage);
      if (!offline) {
        await meter.audit
          .record({
            type: "llm-call",
            requestId: caller.requestId,
            userId: caller.userId,
            sessionId: caller.sessionId,
            time: meter.now(),
            detail: {
              kind,
              provider: provider.name,
              model: provider.model,
              step,
              ...(caller.plugin === undefined ? {} : { plugin: caller.plugin }),
              inputTokens: spent.inputTokens,
              outputTokens: spent.outputTokens,
              ...(cost === undefined ? { costUnknown: true } : { costUsd: cost }),
              durationMs: meter.now() - started,
              ...(result === undefined ? {} : detailOf(result.value)),
            },
            outcome: result === undefined ? "failure" : "success",
          })
          .catch((error: unknown) => meter.logger.error("could not write the audit log", { error: (error as Error).message }));
      }
    }
  };

  const generation = (options: GenerationOptions) => ({
    maxTokens: options.maxTokens ?? meter.maxTokens,
    temperature: options.temperature ?? meter.temperature,
  });
  const chat = (messages: readonly Message[], options: ChatOptions = {}) => {
    const { maxTokens, temperature } = generation(options);
    const estimate =
      messages.reduce((sum, message) => sum + estimateTokens(message.content) + 4, 0) +
      estimateTokens(JSON.stringify(options.tools ?? [])) +
      maxTokens;
    return metered(
      "chat",
      estimate,
      () => provider.chat(messages, { ...options, maxTokens, temperature }),
      (answer) => answer.usage,
      (answer) => (answer.toolCalls.length === 0 ? {} : { toolCalls: answer.toolCalls.map((call) => call.name) }),
    );
  };
  const hasEmbeddings = provider.capabilities.embeddings;
  return {
    chat,
    complete: async (prompt, options = {}) => {
      const {
        toolCalls: _calls,
        finishReason: _reason,
        usage: _usage,
        ...response
      } = await chat([{ role: "user", content: prompt }], options);
      return response;
    },
    embeddingModel: hasEmbeddings
      ? `${provider.name}/${provider.config.embeddingModel ?? "default"}`
      : `builtin-hash-${builtinEmbeddingDimensions}`,
    embed: (texts, signal) => {
      if (!hasEmbeddings) return Promise.resolve(texts.map((text) => builtinEmbedding(text)));
      const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
      return metered(
        "embed",
        tokens,
        () => provider.embed(texts, signal === undefined ? {} : { signal }),
        () => ({ inputTokens: tokens, outputTokens: 0 }),
      );
    },
    analyzeImage: (realPath, prompt, options = {}) => {
      const { maxTokens, temperature } = generation(options);
      return metered(
        "image",
        estimateTokens(prompt) + 1_600 + maxTokens,
        () => provider.analyzeImage(realPath, prompt, { ...options, maxTokens, temperature }),
        (response) => ({ inputTokens: response.tokensUsed, outputTokens: 0 }),
      );
    },
  };
}
