import { readFile } from "node:fs/promises";
import path from "node:path";
import type { EmbeddingModel, LanguageModel, ModelMessage, ToolSet } from "ai";
import { AIError } from "../core/errors/ai-error.js";
import { ProcessingError } from "../core/errors/processing-error.js";
import type {
  AIResponse,
  ChatOptions,
  ChatResponse,
  FinishReason,
  GenerationOptions,
  Message,
  ProviderCapabilities,
  ToolCallRequest,
} from "./ai-types.js";
import { BaseAIProvider } from "./base-ai-provider.js";

/** The AI SDK is loaded on first use: a request the builtin engine answers never pays for it. */
const loadSdk = () => import("ai");

const imageTypes: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

/** Largest image `analyzeImage` sends (providers refuse bigger ones anyway). */
const maximumImageBytes = 20 * 1024 * 1024;

/**
 * A provider built on the Vercel AI SDK: it streams every answer (text as it is generated, tool
 * calls whole), retries 429 and 5xx with backoff that honours Retry-After, gives up after
 * `timeoutSeconds`, and turns every failure into an AIError with a stable code and no secret in it.
 * Tool calls are returned to the caller, never run here: AstrOS runs them through its pipeline.
 */
abstract class SdkProvider extends BaseAIProvider {
  readonly capabilities: ProviderCapabilities = { tools: true, streaming: true, vision: true, embeddings: false };
  #model: LanguageModel | undefined;

  override get model(): string {
    return this.config.model || this.defaultModel;
  }

  protected abstract readonly defaultModel: string;
  /** Where requests go, for messages ("the server at … did not answer"). */
  abstract override get endpoint(): string;
  protected abstract createLanguageModel(): Promise<LanguageModel>;

  protected createEmbeddingModel(): Promise<EmbeddingModel> {
    throw this.unsupported("embeddings");
  }

  async chat(messages: readonly Message[], options: ChatOptions = {}): Promise<ChatResponse> {
    const sdk = await loadSdk();
    this.#model ??= await this.createLanguageModel();
    const { system, modelMessages } = toModelMessages(messages);
    const tools: ToolSet | undefined =
      options.tools === undefined || options.tools.length === 0
        ? undefined
        : Object.fromEntries(
            options.tools.map((definition) => [
              definition.name,
              sdk.tool({ description: definition.description, inputSchema: sdk.jsonSchema(definition.parameters) }),
            ]),
          );
    const { signal, timedOut, dispose } = this.#deadline(options.signal);
    let text = "";
    const toolCalls: ToolCallRequest[] = [];
    let usage = { inputTokens: 0, outputTokens: 0 };
    let finishReason: FinishReason = "other";
    let failure: unknown;
    try {
      const result = sdk.streamText({
        model: this.#model,
        ...(system === undefined ? {} : { system }),
        messages: modelMessages,
        ...(tools === undefined ? {} : { tools }),
        maxOutputTokens: options.maxTokens ?? this.config.maxTokens ?? 1024,
        temperature: options.temperature ?? this.config.temperature ?? 0.7,
        maxRetries: this.config.maxRetries ?? 2,
        abortSignal: signal,
        // Errors are read from the stream below; the SDK's default handler would print them.
        onError: () => {},
      });
      for await (const part of result.fullStream) {
        if (part.type === "text-delta") {
          text += part.text;
          options.onTextDelta?.(part.text);
        } else if (part.type === "tool-call") {
          toolCalls.push(readToolCall(part));
        } else if (part.type === "finish") {
          usage = { inputTokens: part.totalUsage.inputTokens ?? 0, outputTokens: part.totalUsage.outputTokens ?? 0 };
          finishReason = readFinishReason(part.finishReason);
        } else if (part.type === "error") {
          failure ??= part.error;
        } else if (part.type === "abort") {
          failure ??= signal.reason ?? new Error("aborted");
        }
      }
    } catch (error) {
      failure ??= error;
    } finally {
      dispose();
    }
    if (failure !== undefined) throw this.#explain(failure, timedOut(), options.signal);
    return {
      content: text,
      tokensUsed: usage.inputTokens + usage.outputTokens,
      model: this.model,
      metadata: { provider: this.name, finishReason },
      toolCalls,
      finishReason,
      usage,
    };
  }

  override async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<number[][]> {
    if (texts.length === 0) return [];
    const sdk = await loadSdk();
    const model = await this.createEmbeddingModel();
    const { signal, timedOut, dispose } = this.#deadline(options.signal);
    try {
      const result = await sdk.embedMany({
        model,
        values: [...texts],
        maxRetries: this.config.maxRetries ?? 2,
        abortSignal: signal,
      });
      return result.embeddings;
    } catch (error) {
      throw this.#explain(error, timedOut(), options.signal);
    } finally {
      dispose();
    }
  }

  override async analyzeImage(imagePath: string, prompt: string, options: GenerationOptions = {}): Promise<AIResponse> {
    const mediaType = imageTypes[path.extname(imagePath).toLowerCase()];
    if (mediaType === undefined) {
      throw new AIError(`${imagePath} is not an image AstrOS can send to a model (PNG, JPEG, GIF or WebP)`, {
        code: "AI_NOT_SUPPORTED",
        details: { path: imagePath },
      });
    }
    const data = await readFile(imagePath);
    if (data.byteLength > maximumImageBytes) {
      throw new AIError(`${imagePath} is too large to send to a model (${data.byteLength} bytes; the limit is 20 MB)`, {
        code: "REQUEST_TOO_LARGE",
        details: { path: imagePath, bytes: data.byteLength },
      });
    }
    const {
      toolCalls: _toolCalls,
      finishReason: _finishReason,
      usage: _usage,
      ...response
    } = await this.chat([{ role: "user", content: prompt, metadata: { images: [{ data, mediaType }] } }], options);
    return response;
  }

  /** The caller's signal, plus the provider's own time limit. */
  #deadline(outer: AbortSignal | undefined): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
    const controller = new AbortController();
    let expired = false;
    const timer = setTimeout(
      () => {
        expired = true;
        controller.abort(new Error("timed out"));
      },
      (this.config.timeoutSeconds ?? 60) * 1000,
    );
    const forward = () => controller.abort(outer?.reason);
    if (outer?.aborted) forward();
    outer?.addEventListener("abort", forward, { once: true });
    return {
      signal: controller.signal,
      timedOut: () => expired,
      dispose: () => {
        clearTimeout(timer);
        outer?.removeEventListener("abort", forward);
      },
    };
  }

  /** Any failure as an AIError a person can act on. Messages name the provider and endpoint, never the key. */
  #explain(error: unknown, timedOut: boolean, outer: AbortSignal | undefined): Error {
    if (AIError.isInstance(error)) return error;
    const provider = this.name;
    if (timedOut) {
      return new AIError(`The ${provider} model did not answer within ${this.config.timeoutSeconds ?? 60} s`, {
        code: "AI_TIMEOUT",
        details: { provider, endpoint: this.endpoint },
        recovery: "Try again, or raise ai.timeout in the configuration.",
      });
    }
    if (outer?.aborted) return new ProcessingError("The request was cancelled", { code: "REQUEST_CANCELLED" });
    const last = lastAttempt(error);
    const attempts = attemptsOf(error);
    const status = typeof last.statusCode === "number" ? last.statusCode : undefined;
    const said = providerMessage(last);
    const details = { provider, endpoint: this.endpoint, ...(status === undefined ? {} : { status }), attempts };
    if (status === 401 || status === 403) {
      return new AIError(`The ${provider} API refused the credentials (HTTP ${status})${said}`, {
        code: "AI_AUTH_FAILED",
        details,
        recovery: `Check the API key: astros credentials set ${provider}_api_key, or the ${provider.toUpperCase()}_API_KEY environment variable.`,
      });
    }
    if (status === 429) {
      const retryAfter = Number.parseFloat(last.responseHeaders?.["retry-after"] ?? "");
      return new AIError(`The ${provider} API is rate-limiting AstrOS (HTTP 429, ${attempts} tries)${said}`, {
        code: "AI_RATE_LIMITED",
        details: {
          ...details,
          ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: Math.max(1, Math.ceil(retryAfter)) } : {}),
        },
        recovery: "Wait a moment and try again, or check the plan's limits with the provider.",
      });
    }
    if (status === 413 || (status === 400 && /context|too long|too many tokens|maximum.*tokens/i.test(said))) {
      return new AIError(`The conversation is too long for the ${provider} model${said}`, {
        code: "AI_CONTEXT_TOO_LONG",
        details,
        recovery: "Start a new session, or ask with less text.",
      });
    }
    if (status === 404) {
      return new AIError(`The ${provider} endpoint does not know the model "${this.model}" (HTTP 404)${said}`, {
        code: "AI_PROVIDER_ERROR",
        details,
        recovery: "Check ai.model (and ai.base_url) in the configuration.",
      });
    }
    if (status !== undefined) {
      return new AIError(`The ${provider} API failed (HTTP ${status}, ${attempts} ${attempts === 1 ? "try" : "tries"})${said}`, {
        code: "AI_PROVIDER_ERROR",
        details,
        recovery: status >= 500 ? "The provider is having trouble; try again in a moment." : "Check the AI settings.",
      });
    }
    const reason = (last.cause as { code?: string } | undefined)?.code ?? (last as { code?: string }).code;
    return new AIError(
      `Could not reach the ${provider} model at ${this.endpoint}: ${reason ?? (last.message || String(error))}`,
      {
        code: "AI_PROVIDER_ERROR",
        details: { ...details, ...(reason === undefined ? {} : { reason }) },
        recovery:
          provider === "local"
            ? "Is the local model server running? Check ai.base_url (e.g. http://127.0.0.1:11434/v1 for Ollama)."
            : "Check the network connection and ai.base_url.",
        cause: error,
      },
    );
  }
}

export class OpenAIProvider extends SdkProvider {
  readonly name = "openai";
  protected readonly defaultModel = "gpt-4o-mini";

  override readonly capabilities: ProviderCapabilities = { tools: true, streaming: true, vision: true, embeddings: true };

  override get endpoint(): string {
    return this.config.baseUrl || "https://api.openai.com/v1";
  }

  protected async createLanguageModel(): Promise<LanguageModel> {
    return (await this.#client()).chat(this.model);
  }

  protected override async createEmbeddingModel(): Promise<EmbeddingModel> {
    return (await this.#client()).embedding(this.config.embeddingModel || "text-embedding-3-small");
  }

  async #client() {
    const { createOpenAI } = await import("@ai-sdk/openai");
    return createOpenAI({
      apiKey: requireKey(this.name, this.config.apiKey ?? process.env.OPENAI_API_KEY),
      ...(this.config.baseUrl ? { baseURL: this.config.baseUrl } : {}),
      ...(typeof this.config.organization === "string" ? { organization: this.config.organization } : {}),
    });
  }
}

export class AnthropicProvider extends SdkProvider {
  readonly name = "anthropic";
  protected readonly defaultModel = "claude-sonnet-4-5";

  override get endpoint(): string {
    return this.config.baseUrl || "https://api.anthropic.com/v1";
  }

  protected async createLanguageModel(): Promise<LanguageModel> {
    const { createAnthropic } = await import("@ai-sdk/anthropic");
    return createAnthropic({
      apiKey: requireKey(this.name, this.config.apiKey ?? process.env.ANTHROPIC_API_KEY),
      ...(this.config.baseUrl ? { baseURL: this.config.baseUrl } : {}),
    })(this.model);
  }
}

/** Any OpenAI-compatible server: Ollama, vLLM, llama.cpp's server, LM Studio. No key needed unless the server wants one. */
export class LocalProvider extends SdkProvider {
  readonly name = "local";
  protected readonly defaultModel = "llama3.2";

  override readonly capabilities: ProviderCapabilities = { tools: true, streaming: true, vision: true, embeddings: true };

  override get endpoint(): string {
    return this.config.baseUrl || "http://127.0.0.1:11434/v1";
  }

  protected async createLanguageModel(): Promise<LanguageModel> {
    return (await this.#client()).chatModel(this.model);
  }

  protected override async createEmbeddingModel(): Promise<EmbeddingModel> {
    return (await this.#client()).textEmbeddingModel(this.config.embeddingModel || this.model);
  }

  async #client() {
    const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
    const apiKey = this.config.apiKey ?? process.env.ASTROS_LOCAL_API_KEY;
    return createOpenAICompatible({
      name: "local",
      baseURL: this.endpoint,
      includeUsage: true,
      ...(apiKey === undefined || apiKey === "" ? {} : { apiKey }),
    });
  }
}

function requireKey(provider: string, key: string | undefined): string {
  if (key !== undefined && key !== "") return key;
  throw new AIError(`The ${provider} AI provider needs an API key, and none is set`, {
    code: "AI_NOT_CONFIGURED",
    details: { provider },
    recovery: `Store it with \`astros credentials set ${provider}_api_key\`, or set ${provider.toUpperCase()}_API_KEY in the environment.`,
  });
}

/** AstrOS messages as the SDK's: system turns become the system prompt; consecutive tool results one tool message. */
function toModelMessages(messages: readonly Message[]): { system: string | undefined; modelMessages: ModelMessage[] } {
  const system = messages
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n\n");
  const modelMessages: ModelMessage[] = [];
  for (const message of messages) {
    if (message.role === "user") {
      const images = (message.metadata?.images ?? []) as { data: Uint8Array; mediaType: string }[];
      modelMessages.push(
        images.length === 0
          ? { role: "user", content: message.content }
          : {
              role: "user",
              content: [
                { type: "text", text: message.content },
                ...images.map((image) => ({ type: "image" as const, image: image.data, mediaType: image.mediaType })),
              ],
            },
      );
    } else if (message.role === "assistant") {
      const calls = (message.toolCalls ?? []).map((call) => ({
        type: "tool-call" as const,
        toolCallId: call.id,
        toolName: call.name,
        input: call.arguments,
      }));
      if (calls.length === 0) modelMessages.push({ role: "assistant", content: message.content });
      else
        modelMessages.push({
          role: "assistant",
          content: [...(message.content === "" ? [] : [{ type: "text" as const, text: message.content }]), ...calls],
        });
    } else if (message.role === "tool") {
      const result = {
        type: "tool-result" as const,
        toolCallId: message.toolCallId ?? "",
        toolName: message.toolName ?? "",
        output:
          message.isError === true
            ? { type: "error-text" as const, value: message.content }
            : { type: "text" as const, value: message.content },
      };
      const previous = modelMessages[modelMessages.length - 1];
      if (previous?.role === "tool") previous.content.push(result);
      else modelMessages.push({ role: "tool", content: [result] });
    }
  }
  return { system: system === "" ? undefined : system, modelMessages };
}

/** A tool call from the stream; one the SDK could not read (bad JSON, unknown tool) is flagged, never dropped. */
function readToolCall(part: {
  toolCallId: string;
  toolName: string;
  input: unknown;
  invalid?: boolean;
  error?: unknown;
}): ToolCallRequest {
  const input = part.input;
  const isObject = typeof input === "object" && input !== null && !Array.isArray(input);
  if (part.invalid === true || !isObject) {
    const reason =
      part.error instanceof Error
        ? part.error.message.split("\n")[0]
        : isObject
          ? "the call could not be read"
          : "the arguments are not a JSON object";
    return {
      id: part.toolCallId,
      name: part.toolName,
      arguments: isObject ? (input as Record<string, unknown>) : {},
      invalid: reason ?? "the call could not be read",
      ...(typeof input === "string" ? { rawArguments: input } : {}),
    };
  }
  return { id: part.toolCallId, name: part.toolName, arguments: input as Record<string, unknown> };
}

function readFinishReason(reason: string): FinishReason {
  switch (reason) {
    case "stop":
    case "length":
    case "content-filter":
    case "error":
    case "other":
    case "tool-calls":
      return reason;
    default:
      return "other";
  }
}

interface ApiFailure {
  message: string;
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  cause?: unknown;
}

/** The SDK wraps retried failures in a RetryError; the last attempt's error says what happened. */
function lastAttempt(error: unknown): ApiFailure {
  const candidate = error as { lastError?: unknown; errors?: unknown[] };
  const last = candidate?.lastError ?? error;
  return (typeof last === "object" && last !== null ? last : { message: String(last) }) as ApiFailure;
}

function attemptsOf(error: unknown): number {
  const errors = (error as { errors?: unknown[] })?.errors;
  return Array.isArray(errors) ? errors.length : 1;
}

/** What the provider itself said, from its error body (`error.message` in both OpenAI's and Anthropic's shapes). */
function providerMessage(failure: ApiFailure): string {
  let said: unknown;
  try {
    said = (JSON.parse(failure.responseBody ?? "") as { error?: { message?: unknown } })?.error?.message;
  } catch {
    said = undefined;
  }
  if (typeof said !== "string" || said === "") return "";
  return `: ${said.length > 300 ? `${said.slice(0, 297)}...` : said}`;
}
