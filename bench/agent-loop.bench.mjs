// The AI agent loop's own cost per tool call (model time and tool time taken out), with a scripted model that
// answers at once, against running the same tool directly through the same pipeline; and one model call through
// the `local` provider over real HTTP against a bare fetch of the same body, both baselines measured in the same run.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const load = (file) => import(pathToFileURL(path.join(root, "dist", file)).href);

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
  };
}

/** A model that answers at once: `toolCalls` calls of bench_noop per request, then a final answer. */
function scriptedModel(BaseAIProvider, toolCalls) {
  class ScriptedModel extends BaseAIProvider {
    name = "bench";
    capabilities = { tools: true, streaming: false, vision: false, embeddings: false };
    /** Milliseconds spent inside chat, to subtract from the loop's wall time. */
    chatMs = 0;
    /** The first model call as the loop made it (system prompt, request, tool catalog), reused over HTTP below. */
    firstCall;
    async chat(messages, options = {}) {
      const begin = performance.now();
      this.firstCall ??= { messages: [...messages], tools: options.tools ?? [] };
      // Each request has a session of its own, so the tool results in the messages count this request's calls.
      let made = 0;
      for (const message of messages) if (message.role === "tool") made++;
      const usage = { inputTokens: 10, outputTokens: 5 };
      const answer =
        made < toolCalls
          ? {
              content: "",
              tokensUsed: 15,
              model: this.model,
              metadata: {},
              toolCalls: [{ id: `call_${made + 1}`, name: "bench_noop", arguments: { n: made + 1 } }],
              finishReason: "tool-calls",
              usage,
            }
          : { content: "Done.", tokensUsed: 15, model: this.model, metadata: {}, toolCalls: [], finishReason: "stop", usage };
      this.chatMs += performance.now() - begin;
      return answer;
    }
  }
  return new ScriptedModel({ model: "bench" });
}

export async function run() {
  const { AstrOSAgent } = await load("agent/astros-agent.js");
  const { MemoryAuditSink } = await load("agent/pipeline-seams.js");
  const { BaseAIProvider } = await load("ai/base-ai-provider.js");
  const { configSchema } = await load("config/config-schema.js");
  const { defineHandler, definePlugin } = await load("plugins/define-plugin.js");
  const { LocalProvider } = await load("ai/sdk-providers.js");
  const { startOpenAIServer } = await load("ai/scripted-llm-server.js");

  const requests = Number(process.env.BENCH_REQUESTS ?? 200);
  const toolCalls = Number(process.env.BENCH_TOOL_CALLS ?? 10);
  const httpCalls = Number(process.env.BENCH_HTTP_CALLS ?? 300);
  const blocks = 4; // loop and direct runs alternate in blocks, so drift (GC, JIT) hits both alike

  const scratch = mkdtempSync(path.join(os.tmpdir(), "astros-bench-loop-"));
  const handler = { calls: 0, ms: 0 };
  const model = scriptedModel(BaseAIProvider, toolCalls);
  const agent = new AstrOSAgent({
    config: configSchema.parse({
      log_level: "silent",
      database: { url: "sqlite::memory:" },
      plugins: { auto_load: false },
      ai: { provider: "local", routing: "llm", max_steps: 100, confirm_changes: false },
      rate_limits: { requests_per_minute: 0, llm_requests_per_minute: 0, llm_tokens_per_minute: 0 },
    }),
    includeTools: false,
    includeBundledPlugins: false,
    // In memory and capped, so neither number includes the real audit log's write and fsync per entry.
    audit: new MemoryAuditSink(1_000),
    journalDirectory: path.join(scratch, "journal"),
    trashDirectory: path.join(scratch, "Trash"),
    aiProvider: model,
  });
  agent.registerPlugin(
    definePlugin({
      name: "bench",
      version: "1.0.0",
      handlers: {
        noop: defineHandler({
          intent: "bench.noop",
          description: "Does nothing (benchmark).",
          readOnly: true,
          args: z.object({ n: z.number() }),
          run: () => {
            const begin = performance.now();
            handler.calls++;
            const result = { success: true, message: "ok" };
            handler.ms += performance.now() - begin;
            return result;
          },
        }),
      },
    }),
  );
  let server;
  try {
    await agent.start();
    let session = 0;

    /** One request through the loop: its own time per tool call, in µs. */
    const viaLoop = async () => {
      const chat0 = model.chatMs;
      const handler0 = handler.ms;
      const begin = performance.now();
      const response = await agent.processRequest({ text: "bench", userId: "bench", sessionId: `s${session++}` }, {});
      const wall = performance.now() - begin;
      const made = response.data?.toolCalls?.length;
      if (!response.success || made !== toolCalls) {
        throw new Error(`agent loop request failed (${made} tool calls): ${response.message}`);
      }
      return ((wall - (model.chatMs - chat0) - (handler.ms - handler0)) * 1000) / toolCalls;
    };
    /** One call of the same tool straight through the pipeline, no model: its own time in µs. */
    const direct = async () => {
      const handler0 = handler.ms;
      const begin = performance.now();
      const response = await agent.processRequest(
        { text: "bench", userId: "bench", sessionId: "direct" },
        { tool: { name: "bench.noop", args: { n: 1 } } },
      );
      const wall = performance.now() - begin;
      if (!response.success) throw new Error(`direct pipeline call failed: ${response.message}`);
      return (wall - (handler.ms - handler0)) * 1000;
    };

    for (let index = 0; index < Math.max(20, requests / 4); index++) await viaLoop(); // warm-up
    for (let index = 0; index < Math.max(200, (requests * toolCalls) / 4); index++) await direct();
    const loopTimes = [];
    const directTimes = [];
    const handlerCalls0 = handler.calls;
    for (let block = 0; block < blocks; block++) {
      for (let index = 0; index < requests / blocks; index++) loopTimes.push(await viaLoop());
      for (let index = 0; index < (requests * toolCalls) / blocks; index++) directTimes.push(await direct());
    }
    if (handler.calls - handlerCalls0 !== loopTimes.length * toolCalls + directTimes.length) {
      throw new Error(`the tool ran ${handler.calls - handlerCalls0} times, not as planned`);
    }
    const loop = summary(loopTimes);
    const straight = summary(directTimes);

    // The provider layer: the model call the loop made first (system prompt, request, tool catalog) over real HTTP.
    server = await startOpenAIServer(() => ({ toolCalls: [{ name: "bench_noop", arguments: { n: 1 } }] }));
    const provider = new LocalProvider({ baseUrl: server.url, model: "bench", maxRetries: 0 });
    const { messages, tools } = model.firstCall;
    const sdkCall = async () => {
      const begin = performance.now();
      const answer = await provider.chat(messages, { tools });
      const elapsed = performance.now() - begin;
      if (answer.toolCalls.length !== 1) throw new Error(`the local provider returned ${answer.toolCalls.length} tool calls`);
      return elapsed;
    };
    await sdkCall();
    const body = JSON.stringify({ ...server.requests[server.requests.length - 1].body, stream: true });
    const chatUrl = `${server.url}/chat/completions`;
    const fetchCall = async () => {
      const begin = performance.now();
      const reply = await fetch(chatUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
      const text = await reply.text();
      const elapsed = performance.now() - begin;
      if (!reply.ok || !text.includes("[DONE]")) throw new Error(`bare fetch failed: HTTP ${reply.status}`);
      return elapsed;
    };
    for (let index = 0; index < 50; index++) {
      await sdkCall();
      await fetchCall();
    }
    server.requests.length = 0;
    const sdkTimes = [];
    const fetchTimes = [];
    for (let index = 0; index < httpCalls; index++) {
      sdkTimes.push(await sdkCall());
      fetchTimes.push(await fetchCall());
    }
    const sdk = summary(sdkTimes);
    const bare = summary(fetchTimes);

    console.log(
      `${requests} requests × ${toolCalls} tool calls (${toolCalls + 1} model calls each, scripted model answering at once), ` +
        `${requests * toolCalls} direct pipeline calls, alternating in ${blocks} blocks after warm-up; ` +
        `model time ${model.chatMs.toFixed(0)} ms and tool time ${handler.ms.toFixed(1)} ms subtracted`,
    );
    console.log(
      `agent loop: ${loop.mean.toFixed(1)} µs per tool call of its own (per request ÷ ${toolCalls}: p50 ${loop.p50.toFixed(1)}, ` +
        `p99 ${loop.p99.toFixed(1)} µs) — ${(loop.mean / straight.mean).toFixed(2)}× running the same tool directly through ` +
        `the pipeline (${straight.mean.toFixed(1)} µs per call; p50 ${straight.p50.toFixed(1)}, p99 ${straight.p99.toFixed(1)} µs; ` +
        `p50 ratio ${(loop.p50 / straight.p50).toFixed(2)}×)`,
    );
    console.log(
      "  loop = each call's pipeline run (validate, authorize, guard, execute, audit) + the loop's bookkeeping per step " +
        "(messages, rate limiter, metering, an llm-call audit entry, the tool result for the model) + per-request work " +
        `spread over ${toolCalls} calls (tool catalog, system prompt, conversation load and save, request audit entries)`,
    );
    console.log(
      "  direct = processRequest naming the tool: request audit entries, events, then the same pipeline run; no model, " +
        "no catalog, no conversation store. Audit entries go to memory in both (the real log's fsync per entry is not counted)",
    );
    console.log(
      `provider layer (local, OpenAI-compatible SDK, streaming over HTTP to a scripted server on 127.0.0.1, one tool call ` +
        `back): ${sdk.mean.toFixed(2)} ms per model call (p50 ${sdk.p50.toFixed(2)}, p99 ${sdk.p99.toFixed(2)} ms) — ` +
        `${(sdk.mean / bare.mean).toFixed(2)}× a bare fetch of the same ${(body.length / 1024).toFixed(1)} KB body read to ` +
        `the end (${bare.mean.toFixed(2)} ms; p50 ${bare.p50.toFixed(2)}, p99 ${bare.p99.toFixed(2)} ms; ${httpCalls} calls each)`,
    );
  } finally {
    await server?.close();
    await agent.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
