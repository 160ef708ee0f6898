import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import { MemoryAuditSink } from "../agent/pipeline-seams.js";
import { createTestAgent } from "../agent/testing/test-agent.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import { AIProvider } from "./ai-provider.js";
import type { ChatOptions, ChatResponse, Message } from "./ai-types.js";
import { BaseAIProvider } from "./base-ai-provider.js";
import { builtinEmbedding, cosineSimilarity } from "./builtin-embedding.js";
import { estimateCost, modelPrice } from "./model-pricing.js";
import { type ScriptedLlmServer, startAnthropicServer, startOpenAIServer } from "./scripted-llm-server.js";

/** The providers on their own (complete, embed, analyzeImage, the registry) and as plugins reach them (`context.ai`). */

let folder: string;
const servers: ScriptedLlmServer[] = [];
const agents: AstrOSAgent[] = [];

beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "astros-ai-"));
});
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  for (const server of servers.splice(0)) await server.close();
  await rm(folder, { recursive: true, force: true });
});

async function openai(script: Parameters<typeof startOpenAIServer>[0] = []) {
  const server = await startOpenAIServer(script, { embeddingDimensions: 6 });
  servers.push(server);
  return server;
}

// A 1×1 transparent PNG.
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

describe("AI providers", () => {
  it("complete() answers a prompt and counts its tokens (OpenAI)", async () => {
    const server = await openai([{ text: "Four.", usage: { input: 12, output: 2 } }]);
    const provider = AIProvider.create("openai", { apiKey: "k", baseUrl: server.url, model: "gpt-4o-mini" });
    const response = await provider.complete("What is 2 + 2?", { maxTokens: 20, temperature: 0 });
    expect(response).toMatchObject({ content: "Four.", tokensUsed: 14, model: "gpt-4o-mini" });
    expect(server.requests[0]?.body).toMatchObject({ model: "gpt-4o-mini", max_tokens: 20, temperature: 0 });
    expect(server.requests[0]?.body.messages).toEqual([{ role: "user", content: "What is 2 + 2?" }]);
  });

  it("embed() returns the provider's vectors (OpenAI-compatible) and the builtin one needs no model", async () => {
    const server = await openai();
    const local = AIProvider.create("local", { baseUrl: server.url, model: "m", embeddingModel: "nomic-embed-text" });
    const vectors = await local.embed(["one", "two"]);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(6);
    expect(server.requests[0]?.body).toMatchObject({ model: "nomic-embed-text", input: ["one", "two"] });

    const builtin = AIProvider.create("builtin");
    const [photos, photo, taxes] = await builtin.embed(["holiday photos 2024", "photo from the holiday", "tax return"]);
    expect(photos).toHaveLength(384);
    expect(cosineSimilarity(photos as number[], photo as number[])).toBeGreaterThan(
      cosineSimilarity(photos as number[], taxes as number[]),
    );
    expect(builtinEmbedding("same text")).toEqual(builtinEmbedding("same text"));
  });

  it("analyzeImage() sends the image to a vision model; providers without vision say so", async () => {
    await writeFile(path.join(folder, "pixel.png"), png);
    const server = await startAnthropicServer([{ text: "A single transparent pixel." }]);
    servers.push(server);
    const anthropic = AIProvider.create("anthropic", { apiKey: "k", baseUrl: server.url, model: "claude-sonnet-4-5" });
    const response = await anthropic.analyzeImage(path.join(folder, "pixel.png"), "What is in this picture?");
    expect(response.content).toBe("A single transparent pixel.");
    const content = JSON.stringify(server.requests[0]?.body.messages);
    expect(content).toContain('"type":"image"');
    expect(content).toContain(png.toString("base64"));
    expect(content).toContain("What is in this picture?");

    await expect(AIProvider.create("builtin").analyzeImage(path.join(folder, "pixel.png"), "what?")).rejects.toMatchObject({
      code: "AI_NOT_SUPPORTED",
      message: "The builtin AI provider has no image analysis",
    });
    await expect(anthropic.embed(["x"])).rejects.toMatchObject({ code: "AI_NOT_SUPPORTED" });
    await expect(anthropic.analyzeImage(path.join(folder, "notes.txt"), "what?")).rejects.toMatchObject({
      code: "AI_NOT_SUPPORTED",
    });
  });

  it("needs an API key for OpenAI and Anthropic, and says where to put it", async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      await expect(AIProvider.create("openai", { baseUrl: "http://127.0.0.1:9/v1" }).complete("hi")).rejects.toMatchObject({
        code: "AI_NOT_CONFIGURED",
        recovery: expect.stringContaining("astros credentials set openai_api_key"),
      });
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it("registers a provider of one's own and creates it by name", async () => {
    class EchoProvider extends BaseAIProvider {
      readonly name = "echo";
      readonly capabilities = { tools: false, streaming: false, vision: false, embeddings: false };
      async chat(messages: readonly Message[], options: ChatOptions = {}): Promise<ChatResponse> {
        const content = `echo: ${messages[messages.length - 1]?.content ?? ""}`;
        options.onTextDelta?.(content);
        return {
          content,
          tokensUsed: 0,
          model: "echo-1",
          metadata: {},
          toolCalls: [],
          finishReason: "stop",
          usage: { inputTokens: 0, outputTokens: 0 },
        };
      }
    }
    AIProvider.registerProvider("echo", EchoProvider);
    expect(AIProvider.listProviders()).toContain("echo");
    expect((await AIProvider.create("Echo").complete("hi")).content).toBe("echo: hi");
    expect(() => AIProvider.registerProvider("bad name!", EchoProvider)).toThrow(/cannot name an AI provider/);
  });

  it("estimates cost from list prices, dated snapshots and configured prices; unknown models are not free", () => {
    expect(estimateCost(modelPrice("openai", "gpt-4o-mini"), { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(
      0.75,
    );
    expect(modelPrice("openai", "gpt-4o-2024-08-06")).toEqual({ input: 2.5, output: 10 });
    expect(modelPrice("openai", "my-finetune")).toBeUndefined();
    expect(modelPrice("openai", "my-finetune", { "my-finetune": { input: 1, output: 2 } })).toEqual({ input: 1, output: 2 });
    expect(modelPrice("local", "llama3.2")).toEqual({ input: 0, output: 0 });
  });
});

describe("the agent's AI for plugins and its limits", () => {
  const describer = definePlugin({
    name: "describer",
    version: "1.0.0",
    requiresPermissions: ["ai", "file_system"],
    handlers: {
      describe: defineHandler({
        intent: "describer.describe",
        args: z.object({ path: z.string() }),
        readOnly: true,
        run: async (args, context) => {
          const answer = await context.ai.analyzeImage(args.path, "Describe it in five words.");
          const [vector] = await context.ai.embed([answer.content]);
          return {
            success: true,
            message: answer.content,
            data: { provider: context.ai.provider, dimensions: vector?.length, embeddingModel: context.ai.embeddingModel },
          };
        },
      }),
    },
  });
  const nosy = definePlugin({
    name: "nosy",
    version: "1.0.0",
    handlers: {
      ask: defineHandler({
        intent: "nosy.ask",
        run: async (_args, context) => ({ success: true, message: (await context.ai.complete("hi")).content }),
      }),
    },
  });

  async function start(ai: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const audit = new MemoryAuditSink();
    const agent = createTestAgent(folder, {
      config: { ai, ...(extra as Record<string, Record<string, unknown>>) },
      agent: { audit, includeTools: false },
    });
    agents.push(agent);
    agent.registerPlugin(describer);
    agent.registerPlugin(nosy);
    await agent.start();
    return { agent, audit };
  }

  it("lets a plugin with the ai permission analyze an image inside the allowed places, metered and audited", async () => {
    await writeFile(path.join(folder, "pixel.png"), png);
    const server = await openai([{ text: "One tiny see-through pixel.", usage: { input: 90, output: 6 } }]);
    const { agent, audit } = await start({
      provider: "openai",
      model: "gpt-4o-mini",
      base_url: server.url,
      providers: { openai: { api_key: "k" } },
    });

    const described = await agent.processRequest(
      { text: "describe", userId: "ada" },
      { tool: { name: "describer.describe", args: { path: path.join(folder, "pixel.png") } } },
    );
    expect(described.success, described.message).toBe(true);
    expect(described.message).toBe("One tiny see-through pixel.");
    expect(described.data).toMatchObject({ provider: "openai", dimensions: 6, embeddingModel: "openai/default" });
    const calls = audit.entries.filter((entry) => entry.type === "llm-call");
    expect(calls.map((entry) => entry.detail.kind)).toEqual(["image", "embed"]);
    expect(calls[0]?.detail).toMatchObject({ plugin: "describer", provider: "openai", model: "gpt-4o-mini" });
    expect((await agent.getStatus()).ai?.requests).toBe(2);

    const outside = await agent.processRequest(
      { text: "describe", userId: "ada" },
      { tool: { name: "describer.describe", args: { path: "/etc/hostname" } } },
    );
    expect(outside.metadata.error?.code).toBe("PATH_DENIED");
    expect(server.requests.filter((recorded) => recorded.path.endsWith("/chat/completions"))).toHaveLength(1);
  });

  it("refuses the AI to a plugin that did not declare the ai permission", async () => {
    const { agent } = await start({});
    const response = await agent.processRequest({ text: "ask" }, { tool: { name: "nosy.ask", args: {} } });
    expect(response.metadata.error?.code).toBe("PERMISSION_DENIED");
    expect(response.message).toContain("without declaring the ai permission");
  });

  it("enforces the user's LLM request limit before calling the model", async () => {
    const server = await openai([{ text: "first" }, { text: "second" }]);
    const { agent } = await start(
      { provider: "local", model: "m", base_url: server.url, routing: "llm" },
      { rate_limits: { llm_requests_per_minute: 1 } },
    );
    const first = await agent.processRequest({ text: "tell me a joke", userId: "ada" });
    expect(first.message).toBe("first");
    const second = await agent.processRequest({ text: "tell me another", userId: "ada" });
    expect(second.metadata.error?.code).toBe("RATE_LIMITED");
    expect(server.requests).toHaveLength(1);
    const other = await agent.processRequest({ text: "tell me one", userId: "bob" });
    expect(other.message).toBe("second");
  });

  it("reports tokens and an estimated cost per request and per session", async () => {
    const server = await openai([
      { text: "one", usage: { input: 1000, output: 100 } },
      { text: "two", usage: { input: 2000, output: 200 } },
    ]);
    const { agent } = await start({
      provider: "openai",
      model: "gpt-4o-mini",
      base_url: server.url,
      routing: "llm",
      providers: { openai: { api_key: "k" } },
    });
    const first = await agent.processRequest({ text: "hello there model", userId: "ada", sessionId: "s" });
    expect(first.metadata).toMatchObject({ tokensUsed: 1100, usage: { requests: 1, inputTokens: 1000, outputTokens: 100 } });
    expect(first.metadata.costUsd).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 10);
    const second = await agent.processRequest({ text: "and again", userId: "ada", sessionId: "s" });
    expect(second.metadata.sessionUsage).toMatchObject({ requests: 2, inputTokens: 3000, outputTokens: 300 });
    expect(await agent.sessionUsage("ada", "s")).toMatchObject({ requests: 2, inputTokens: 3000, outputTokens: 300 });
  });
});
