/**
 * The shapes every AI provider speaks, from the seed's AI Provider API (`AIResponse`, `Message`),
 * plus what the agent loop needs: tool definitions, tool calls, streaming and token usage.
 */

/** One turn of a conversation. `tool` messages carry a tool's result back to the model. */
export interface Message {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  timestamp?: Date;
  metadata?: Record<string, unknown>;
  /** Tools the assistant asked for in this turn (assistant messages). */
  toolCalls?: readonly ToolCallRequest[];
  /** The call this message answers (tool messages). */
  toolCallId?: string;
  /** The tool that answered (tool messages). */
  toolName?: string;
  /** True when the tool failed or was refused (tool messages). */
  isError?: boolean;
}

/** A tool the model may call: a plugin handler, by its wire name, with its argument schema. */
export interface ToolDefinition {
  /** The name the model sees (`files_search`: providers allow only letters, digits, `_` and `-`). */
  name: string;
  description: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

/** A tool call as the model made it. */
export interface ToolCallRequest {
  id: string;
  /** The wire name of the tool. */
  name: string;
  /** The arguments, parsed from the model's JSON. */
  arguments: Record<string, unknown>;
  /** Why the call could not be read (malformed JSON, not an object, an unknown tool); such a call is never run. */
  invalid?: string;
  /** The arguments exactly as the model sent them, when they could not be parsed. */
  rawArguments?: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Why the model stopped: it answered, it wants tools run, it ran out of tokens, or something else. */
export type FinishReason = "stop" | "tool-calls" | "length" | "content-filter" | "error" | "other";

/** The seed's AIResponse: the text, tokens used, the model that answered, and anything else in metadata. */
export interface AIResponse {
  content: string;
  tokensUsed: number;
  model: string;
  /** How sure the provider is, where it can say (the builtin engine does; LLMs do not). */
  confidence?: number;
  metadata: Record<string, unknown>;
}

/** A chat answer: the AIResponse plus the tool calls and usage the agent loop acts on. */
export interface ChatResponse extends AIResponse {
  toolCalls: ToolCallRequest[];
  finishReason: FinishReason;
  usage: TokenUsage;
}

export interface GenerationOptions {
  /** Most tokens to generate (default: the provider's configured ai.max_tokens). */
  maxTokens?: number;
  /** 0..2 (default: ai.temperature). */
  temperature?: number;
  signal?: AbortSignal;
}

export interface ChatOptions extends GenerationOptions {
  /** Tools the model may call; the caller runs them (the provider never does). */
  tools?: readonly ToolDefinition[];
  /** Receives the answer's text as it is generated. */
  onTextDelta?: (delta: string) => void;
}

/** What a provider can do; the agent and plugins check before asking. */
export interface ProviderCapabilities {
  tools: boolean;
  streaming: boolean;
  vision: boolean;
  embeddings: boolean;
}

/** A provider's settings: the `[ai]` table merged with `[ai.providers.<name>]`. */
export interface ProviderConfig {
  model?: string;
  /** Endpoint (OpenAI-compatible servers: up to `/v1`). */
  baseUrl?: string;
  apiKey?: string;
  /** Model for `embed` (default: the provider's own). */
  embeddingModel?: string;
  maxTokens?: number;
  temperature?: number;
  /** Retries of a failed call (429, 5xx, network), with backoff that honours Retry-After (default 2). */
  maxRetries?: number;
  /** Seconds one call may take (default 60). */
  timeoutSeconds?: number;
  /** Anything else the provider understands (organization, headers, ...). */
  [setting: string]: unknown;
}
