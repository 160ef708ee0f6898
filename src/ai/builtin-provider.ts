import os from "node:os";
import { UNKNOWN_INTENT } from "../core/types/intent.js";
import { diskLookup } from "../intent/entities/path-exists.js";
import { parseRequest } from "../intent/parse-request.js";
import type { ChatOptions, ChatResponse, Message, ProviderCapabilities, ProviderConfig } from "./ai-types.js";
import { BaseAIProvider } from "./base-ai-provider.js";
import { builtinEmbedding } from "./builtin-embedding.js";
import { toolWireName } from "./tool-wire-name.js";

/**
 * The offline engine as a provider: always there, free, private, instant. `chat` reads the last
 * request with AstrOS's own grammar and, when the matching tool is offered, answers with that tool
 * call (its confidence is the engine's); after the tool's result it answers with that result.
 * `embed` is the builtin hashing embedding; there is no vision.
 */
export class BuiltinProvider extends BaseAIProvider {
  readonly name = "builtin";
  readonly capabilities: ProviderCapabilities = { tools: true, streaming: true, vision: false, embeddings: true };
  #calls = 0;

  constructor(config: ProviderConfig = {}) {
    super(config);
  }

  override get model(): string {
    return "builtin";
  }

  async chat(messages: readonly Message[], options: ChatOptions = {}): Promise<ChatResponse> {
    const last = messages[messages.length - 1];
    let reply: Omit<ChatResponse, "content" | "model" | "tokensUsed" | "usage">;
    let content: string;
    if (last?.role === "tool") {
      const results = messages.slice(messages.findLastIndex((message) => message.role !== "tool") + 1);
      content = results.map((message) => message.content).join("\n");
      reply = { toolCalls: [], finishReason: "stop", confidence: 1, metadata: {} };
    } else {
      const text = [...messages].reverse().find((message) => message.role === "user")?.content ?? "";
      const parsed = parseRequest(text, {
        context: { now: new Date(), home: os.homedir(), cwd: process.cwd(), exists: diskLookup() },
      });
      const offered = new Set((options.tools ?? []).map((tool) => tool.name));
      const first = parsed.plan?.[0] ?? { intent: parsed.intent, slots: parsed.slots };
      const wire = toolWireName(first.intent);
      if (parsed.intent !== UNKNOWN_INTENT && offered.has(wire)) {
        content = "";
        reply = {
          toolCalls: [{ id: `builtin-${++this.#calls}`, name: wire, arguments: first.slots }],
          finishReason: "tool-calls",
          confidence: parsed.confidence,
          metadata: { intent: parsed.intent, slots: parsed.slots },
        };
      } else {
        content =
          parsed.intent === UNKNOWN_INTENT
            ? "I could not understand that with the offline engine."
            : `I understood this as ${parsed.intent} ${JSON.stringify(parsed.slots)}.`;
        reply = {
          toolCalls: [],
          finishReason: "stop",
          confidence: parsed.confidence,
          metadata: { intent: parsed.intent, slots: parsed.slots, ...(parsed.plan === undefined ? {} : { plan: parsed.plan }) },
        };
      }
    }
    if (content !== "") options.onTextDelta?.(content);
    return { ...reply, content, model: "builtin", tokensUsed: 0, usage: { inputTokens: 0, outputTokens: 0 } };
  }

  override async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((text) => builtinEmbedding(text));
  }
}
