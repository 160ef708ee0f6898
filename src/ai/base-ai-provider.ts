import { AIError } from "../core/errors/ai-error.js";
import type {
  AIResponse,
  ChatOptions,
  ChatResponse,
  GenerationOptions,
  Message,
  ProviderCapabilities,
  ProviderConfig,
} from "./ai-types.js";

/**
 * The seed's BaseAIProvider: complete, chat, embed and analyzeImage, plus tool calls and streaming
 * through `chat`'s options. A provider says what it can do in `capabilities`; what it cannot do
 * fails with AI_NOT_SUPPORTED and a message naming the provider, never silently.
 */
export abstract class BaseAIProvider {
  /** The name it is registered under (`openai`, `anthropic`, `local`, `builtin`, ...). */
  abstract readonly name: string;
  abstract readonly capabilities: ProviderCapabilities;

  constructor(readonly config: ProviderConfig = {}) {}

  /** The model that answers (for accounting and status). */
  get model(): string {
    return this.config.model ?? "";
  }

  /** Where requests go (empty for a provider that runs in this process). */
  get endpoint(): string {
    return "";
  }

  /** A completion of one prompt: a chat with a single user turn. */
  async complete(prompt: string, options: GenerationOptions = {}): Promise<AIResponse> {
    const {
      toolCalls: _toolCalls,
      finishReason: _finishReason,
      usage: _usage,
      ...response
    } = await this.chat([{ role: "user", content: prompt }], options);
    return response;
  }

  /** Answer a conversation; with `tools`, the answer may be tool calls for the caller to run. */
  abstract chat(messages: readonly Message[], options?: ChatOptions): Promise<ChatResponse>;

  /** One vector per text. */
  async embed(_texts: readonly string[], _options: { signal?: AbortSignal } = {}): Promise<number[][]> {
    throw this.unsupported("embeddings");
  }

  /** Describe or answer a question about an image file (providers with vision). */
  async analyzeImage(_imagePath: string, _prompt: string, _options: GenerationOptions = {}): Promise<AIResponse> {
    throw this.unsupported("image analysis");
  }

  protected unsupported(what: string): AIError {
    return new AIError(`The ${this.name} AI provider has no ${what}`, {
      code: "AI_NOT_SUPPORTED",
      details: { provider: this.name, capability: what },
      recovery:
        what === "embeddings"
          ? "Use a provider that has them (openai, local) or the builtin embedding."
          : "Configure a provider whose model has vision (openai, anthropic, or a local vision model).",
    });
  }
}

/** A provider class as `registerProvider` takes it. */
export type AIProviderClass = new (config: ProviderConfig) => BaseAIProvider;
