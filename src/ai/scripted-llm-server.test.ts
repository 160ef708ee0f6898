import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { embedMany, generateText, jsonSchema, type ModelMessage, streamText, tool } from "ai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ScriptedLlmServer, startAnthropicServer, startOpenAIServer } from "./scripted-llm-server.js";

// "claude-test" is not a model the SDK knows, so it warns about max tokens on every call.
const logWarnings = globalThis.AI_SDK_LOG_WARNINGS;
beforeAll(() => {
  globalThis.AI_SDK_LOG_WARNINGS = false;
});
afterAll(() => {
  globalThis.AI_SDK_LOG_WARNINGS = logWarnings;
});

// No execute function: the tests look at the calls the model asked for, as AstrOS's planner does.
const tools = {
  read_file: tool({
    description: "Read a text file",
    inputSchema: jsonSchema<{ path: string }>({
      type: "object",
      properties: { path: { type: "string" } },
      required: ["path"],
      additionalProperties: false,
    }),
  }),
};

const servers: ScriptedLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function openAI(...args: Parameters<typeof startOpenAIServer>) {
  const server = await startOpenAIServer(...args);
  servers.push(server);
  return { server, provider: createOpenAI({ apiKey: "test", baseURL: server.url }) };
}

async function anthropic(...args: Parameters<typeof startAnthropicServer>) {
  const server = await startAnthropicServer(...args);
  servers.push(server);
  return { server, model: createAnthropic({ apiKey: "test", baseURL: server.url })("claude-test") };
}

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of stream) if (piece !== "") pieces.push(piece);
  return pieces;
}

describe("startOpenAIServer with @ai-sdk/openai", () => {
  it("streams text in several deltas with the scripted usage", async () => {
    const { server, provider } = await openAI([{ text: "Hello there from a scripted model", usage: { input: 12, output: 7 } }]);
    const result = streamText({ model: provider.chat("gpt-test"), prompt: "Say hello" });

    const deltas = await collect(result.textStream);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("Hello there from a scripted model");
    expect(await result.finishReason).toBe("stop");
    const usage = await result.usage;
    expect([usage.inputTokens, usage.outputTokens, usage.totalTokens]).toEqual([12, 7, 19]);
    expect((await result.response).modelId).toBe("gpt-test");

    const [request] = server.requests;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe("Bearer test");
    expect(request?.body).toMatchObject({ model: "gpt-test", stream: true, stream_options: { include_usage: true } });
    expect(request?.body.messages).toEqual([{ role: "user", content: "Say hello" }]);
  });

  it("streams tool calls whose arguments arrive in pieces, and records the tool definitions", async () => {
    const { server, provider } = await openAI([
      { text: "Let me look.", toolCalls: [{ name: "read_file", arguments: { path: "/tmp/notes.txt" } }] },
    ]);
    const result = streamText({ model: provider.chat("gpt-test"), prompt: "Read my notes", tools });

    let argumentDeltas = 0;
    for await (const part of result.fullStream) if (part.type === "tool-input-delta") argumentDeltas += 1;
    expect(argumentDeltas).toBeGreaterThan(1);
    expect(await result.text).toBe("Let me look.");
    expect(await result.finishReason).toBe("tool-calls");
    const [call] = await result.toolCalls;
    expect(call).toMatchObject({ toolCallId: "call_1", toolName: "read_file", input: { path: "/tmp/notes.txt" } });
    expect(server.requests[0]?.body.tools).toEqual([
      expect.objectContaining({
        type: "function",
        function: expect.objectContaining({ name: "read_file", parameters: expect.objectContaining({ required: ["path"] }) }),
      }),
    ]);
  });

  it("answers without streaming, and receives the tool result on the next request", async () => {
    const { server, provider } = await openAI([
      { toolCalls: [{ name: "read_file", arguments: { path: "/tmp/a.txt" } }] },
      { text: "The file says hi." },
    ]);
    const model = provider.chat("gpt-test");
    const first = await generateText({ model, prompt: "What is in /tmp/a.txt?", tools });
    expect(first.finishReason).toBe("tool-calls");
    expect(first.toolCalls).toEqual([
      expect.objectContaining({ toolCallId: "call_1", toolName: "read_file", input: { path: "/tmp/a.txt" } }),
    ]);
    expect(first.usage.inputTokens).toBeGreaterThan(0);

    const toolResult: ModelMessage = {
      role: "tool",
      content: [{ type: "tool-result", toolCallId: "call_1", toolName: "read_file", output: { type: "text", value: "hi" } }],
    };
    const messages: ModelMessage[] = [
      { role: "user", content: "What is in /tmp/a.txt?" },
      ...first.response.messages,
      toolResult,
    ];
    const second = await generateText({ model, messages, tools });

    expect(second.text).toBe("The file says hi.");
    expect(server.requests[0]?.body.stream).toBeUndefined();
    expect(server.requests[1]?.body.messages).toEqual([
      { role: "user", content: "What is in /tmp/a.txt?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "read_file", arguments: '{"path":"/tmp/a.txt"}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "hi" },
    ]);
    expect(server.pending).toBe(0);
  });

  it("lets the SDK retry a 429 with retry-after: 0", async () => {
    const { server, provider } = await openAI([{ status: 429, headers: { "retry-after": "0" } }, { text: "ok" }]);
    const started = Date.now();
    const result = await generateText({ model: provider.chat("gpt-test"), prompt: "hi", maxRetries: 1 });

    expect(result.text).toBe("ok");
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1500); // retry-after honoured, not the 2 s default backoff
  });

  it("passes an error body and status through to the SDK's error", async () => {
    const body = {
      error: {
        message: "This model's maximum context length is 8192 tokens.",
        type: "invalid_request_error",
        param: "messages",
        code: "context_length_exceeded",
      },
    };
    const { provider } = await openAI([{ status: 400, body }]);

    await expect(generateText({ model: provider.chat("gpt-test"), prompt: "hi", maxRetries: 0 })).rejects.toMatchObject({
      statusCode: 400,
      message: "This model's maximum context length is 8192 tokens.",
      data: body,
    });
  });

  it("turns malformed tool arguments into an invalid tool call, streamed or not", async () => {
    const malformed = { toolCalls: [{ name: "read_file", arguments: '{"path": "/tmp/a' }] };
    const { provider } = await openAI([malformed, malformed]);
    const model = provider.chat("gpt-test");

    const generated = await generateText({ model, prompt: "read", tools });
    expect(generated.toolCalls[0]).toMatchObject({ toolName: "read_file", invalid: true, input: '{"path": "/tmp/a' });

    const streamed = streamText({ model, prompt: "read", tools });
    expect((await streamed.toolCalls)[0]).toMatchObject({ toolName: "read_file", invalid: true });
  });

  it("embeds deterministically with the configured size, without using chat replies", async () => {
    const { server, provider } = await openAI([{ text: "unused" }], { embeddingDimensions: 16 });
    const { embeddings, usage } = await embedMany({
      model: provider.embedding("text-embedding-3-small"),
      values: ["cat", "dog", "cat"],
    });

    expect(embeddings.map((vector) => vector.length)).toEqual([16, 16, 16]);
    expect(embeddings[0]).toEqual(embeddings[2]);
    expect(embeddings[0]).not.toEqual(embeddings[1]);
    expect(Math.hypot(...(embeddings[0] ?? []))).toBeCloseTo(1);
    expect(usage.tokens).toBeGreaterThan(0);
    expect(server.requests[0]).toMatchObject({ path: "/v1/embeddings", body: { input: ["cat", "dog", "cat"] } });
    expect(server.pending).toBe(1);
  });

  it("fails clearly when the script runs out, and answers a script function", async () => {
    const { provider } = await openAI([]);
    await expect(generateText({ model: provider.chat("gpt-test"), prompt: "hi", maxRetries: 0 })).rejects.toThrow(
      "scripted server: no reply left for request 1",
    );
    // The SDK retries the 500, but without waiting out its backoff.
    const started = Date.now();
    await expect(generateText({ model: provider.chat("gpt-test"), prompt: "hi" })).rejects.toThrow("no reply left for request 4");
    expect(Date.now() - started).toBeLessThan(1500);

    const echo = await openAI((request) => ({ text: `you said: ${request.body.messages.at(-1).content}` }));
    expect((await generateText({ model: echo.provider.chat("gpt-test"), prompt: "ping" })).text).toBe("you said: ping");
    echo.server.push({ text: "queued first" });
    expect((await generateText({ model: echo.provider.chat("gpt-test"), prompt: "ping" })).text).toBe("queued first");
  });

  it("answers unknown paths with 404 and bad JSON with 400, in OpenAI's error shape", async () => {
    const { server } = await openAI([{ text: "unused" }]);
    const missing = await fetch(`${server.url}/models`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: { message: "Invalid URL (GET /v1/models)", type: "invalid_request_error" },
    });

    const bad = await fetch(`${server.url}/chat/completions`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error", param: null, code: null } });
    expect(server.requests.map((request) => request.body)).toEqual([expect.anything(), "{not json"]);
    expect(server.pending).toBe(1);
  });
});

describe("startOpenAIServer with @ai-sdk/openai-compatible", () => {
  it("streams text and tool calls with usage when includeUsage is set", async () => {
    const { server } = await openAI([
      {
        text: "Reading it now.",
        toolCalls: [{ name: "read_file", arguments: { path: "/etc/hosts" } }],
        usage: { input: 30, output: 9 },
      },
    ]);
    const local = createOpenAICompatible({ name: "local", baseURL: server.url, includeUsage: true });
    const result = streamText({ model: local.chatModel("llama"), prompt: "hosts?", tools });

    expect((await collect(result.textStream)).length).toBeGreaterThan(1);
    expect(await result.toolCalls).toEqual([expect.objectContaining({ toolName: "read_file", input: { path: "/etc/hosts" } })]);
    const usage = await result.usage;
    expect([usage.inputTokens, usage.outputTokens]).toEqual([30, 9]);
    expect(server.requests[0]?.body).toMatchObject({ model: "llama", stream: true, stream_options: { include_usage: true } });
  });

  it("sends no usage chunk when the client did not ask for one", async () => {
    const { server } = await openAI([{ text: "no usage here" }]);
    const local = createOpenAICompatible({ name: "local", baseURL: server.url });
    const result = streamText({ model: local.chatModel("llama"), prompt: "hi" });

    expect(await result.text).toBe("no usage here");
    expect((await result.usage).inputTokens).toBeUndefined();
    expect(server.requests[0]?.body.stream_options).toBeUndefined();
  });
});

describe("startAnthropicServer with @ai-sdk/anthropic", () => {
  it("streams text deltas and tool_use input in pieces, with usage", async () => {
    const { server, model } = await anthropic([
      {
        text: "Checking the file for you.",
        toolCalls: [{ name: "read_file", arguments: { path: "/tmp/b.txt" } }],
        usage: { input: 40, output: 11 },
      },
    ]);
    const result = streamText({ model, prompt: "Read /tmp/b.txt", tools });

    let argumentDeltas = 0;
    const textDeltas: string[] = [];
    for await (const part of result.fullStream) {
      if (part.type === "tool-input-delta") argumentDeltas += 1;
      if (part.type === "text-delta") textDeltas.push(part.text);
    }
    expect(textDeltas.length).toBeGreaterThan(1);
    expect(argumentDeltas).toBeGreaterThan(1);
    expect(await result.text).toBe("Checking the file for you.");
    expect(await result.finishReason).toBe("tool-calls");
    expect(await result.toolCalls).toEqual([
      expect.objectContaining({ toolCallId: "toolu_1", toolName: "read_file", input: { path: "/tmp/b.txt" } }),
    ]);
    const usage = await result.usage;
    expect([usage.inputTokens, usage.outputTokens]).toEqual([40, 11]);

    const [request] = server.requests;
    expect(request?.path).toBe("/v1/messages");
    expect(request?.headers["x-api-key"]).toBe("test");
    expect(request?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request?.body).toMatchObject({ model: "claude-test", stream: true });
    expect(request?.body.tools).toEqual([
      expect.objectContaining({ name: "read_file", input_schema: expect.objectContaining({ required: ["path"] }) }),
    ]);
  });

  it("answers without streaming, and receives the tool result on the next request", async () => {
    const { server, model } = await anthropic([
      { toolCalls: [{ name: "read_file", arguments: { path: "/tmp/c.txt" } }] },
      { text: "It says hello.", finishReason: "length" },
    ]);
    const first = await generateText({ model, prompt: "What is in /tmp/c.txt?", tools });
    expect(first.toolCalls).toEqual([
      expect.objectContaining({ toolCallId: "toolu_1", toolName: "read_file", input: { path: "/tmp/c.txt" } }),
    ]);

    const toolResult: ModelMessage = {
      role: "tool",
      content: [{ type: "tool-result", toolCallId: "toolu_1", toolName: "read_file", output: { type: "text", value: "hello" } }],
    };
    const second = await generateText({
      model,
      messages: [{ role: "user", content: "What is in /tmp/c.txt?" }, ...first.response.messages, toolResult],
      tools,
    });

    expect(second.text).toBe("It says hello.");
    expect(second.finishReason).toBe("length");
    expect(server.requests[1]?.body.messages.at(-1)).toEqual({
      role: "user",
      content: [expect.objectContaining({ type: "tool_result", tool_use_id: "toolu_1", content: "hello" })],
    });
  });

  it("retries a 429 rate_limit_error and reports a 400 in Anthropic's error shape", async () => {
    const { server, model } = await anthropic([
      { status: 429, headers: { "retry-after": "0" } },
      { text: "ok" },
      { status: 400 },
    ]);
    expect((await generateText({ model, prompt: "hi", maxRetries: 1 })).text).toBe("ok");
    expect(server.requests).toHaveLength(2);

    const failure = generateText({ model, prompt: "hi", maxRetries: 0 });
    await expect(failure).rejects.toMatchObject({
      statusCode: 400,
      data: { type: "error", error: { type: "invalid_request_error" } },
    });
  });

  it("turns malformed streamed tool input into an invalid tool call", async () => {
    const { model } = await anthropic([{ toolCalls: [{ name: "read_file", arguments: '{"path": ' }] }]);
    const result = streamText({ model, prompt: "read", tools });
    expect((await result.toolCalls)[0]).toMatchObject({ toolName: "read_file", invalid: true });
  });
});

describe("hung requests", () => {
  it("reject promptly on the caller's timeout", async () => {
    const { server, provider } = await openAI([{ hang: true }]);
    const started = Date.now();
    await expect(
      generateText({ model: provider.chat("gpt-test"), prompt: "hi", abortSignal: AbortSignal.timeout(300), maxRetries: 0 }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
  });

  it("do not hold close() open", async () => {
    const { server, model } = await anthropic([{ hang: true }]);
    const pending = generateText({ model, prompt: "hi", maxRetries: 0 }).catch((error: unknown) => error);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
