import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AIProvider } from "../ai/ai-provider.js";
import {
  type ScriptedLlmServer,
  type ScriptedReply,
  startAnthropicServer,
  startOpenAIServer,
} from "../ai/scripted-llm-server.js";
import { configSchema } from "../config/config-schema.js";
import type { AgentEvent } from "../core/events/agent-event.js";
import { AstrOSAgent } from "./astros-agent.js";
import { type ConfirmationRequest, MemoryAuditSink } from "./pipeline-seams.js";
import { createTestAgent } from "./testing/test-agent.js";

/**
 * The agent with a real LLM provider (its SDK code, HTTP and server-sent events) talking to a
 * scripted server on 127.0.0.1 in that provider's wire protocol, and AstrOS's real tools working
 * on real temp folders. Every tool call the model makes meets the same pipeline as a builtin one.
 */

const apiKey = "sk-test-DO-NOT-LOG-4f2a9c";

interface ProviderKind {
  name: string;
  start: (script: ScriptedReply[]) => Promise<ScriptedLlmServer>;
  settings: (url: string) => Record<string, unknown>;
}

const kinds: ProviderKind[] = [
  {
    name: "openai",
    start: (script) => startOpenAIServer(script),
    settings: (url) => ({ provider: "openai", base_url: url, providers: { openai: { api_key: apiKey } } }),
  },
  {
    name: "anthropic",
    start: (script) => startAnthropicServer(script),
    settings: (url) => ({
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      base_url: url,
      providers: { anthropic: { api_key: apiKey } },
    }),
  },
  {
    name: "local",
    start: (script) => startOpenAIServer(script),
    settings: (url) => ({ provider: "local", base_url: url, model: "qwen-test" }),
  },
];

let root: string;
let scratch: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-llm-root-"));
  scratch = await mkdtemp(path.join(os.tmpdir(), "astros-llm-scratch-"));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(root, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

async function startAgent(kind: ProviderKind, script: ScriptedReply[], ai: Record<string, unknown> = {}) {
  const server = await kind.start(script);
  cleanups.push(() => server.close());
  const audit = new MemoryAuditSink();
  const agent = createTestAgent(root, {
    config: { ai: { routing: "llm", max_retries: 1, timeout: 10, ...kind.settings(server.url), ...ai } },
    agent: { audit, journalDirectory: path.join(scratch, "journal"), trashDirectory: path.join(scratch, "Trash") },
  });
  await agent.start();
  cleanups.push(() => agent.stop());
  const events: AgentEvent[] = [];
  const questions: ConfirmationRequest[] = [];
  const ask = (text: string, options: { answer?: boolean; channel?: boolean; sessionId?: string } = {}) =>
    agent.processRequest(
      { text, userId: "ada", sessionId: options.sessionId ?? "s1", context: { cwd: root, home: root } },
      {
        onEvent: (event) => events.push(event),
        ...(options.channel === false
          ? {}
          : {
              confirm: async (question: ConfirmationRequest) => {
                questions.push(question);
                return options.answer ?? true;
              },
            }),
      },
    );
  return { agent, server, audit, events, questions, ask };
}

/** What the model was sent as tool results in a request, in both wire formats. */
function toolResults(body: { messages: { role: string; content: unknown }[] }): string[] {
  const results: string[] = [];
  for (const message of body.messages) {
    if (message.role === "tool") results.push(String(message.content));
    if (Array.isArray(message.content)) {
      for (const block of message.content as { type: string; content?: unknown }[]) {
        if (block.type === "tool_result") results.push(JSON.stringify(block.content));
      }
    }
  }
  return results;
}

describe.each(kinds)("the agent with the $name provider", (kind) => {
  it("runs a multi-step tool use through the pipeline, asks before the change, and streams the answer", async () => {
    await writeFile(path.join(root, "big.pdf"), Buffer.alloc(4096));
    await writeFile(path.join(root, "small.txt"), "hi");
    await mkdir(path.join(root, "Archive"));
    const { server, audit, events, questions, ask } = await startAgent(kind, [
      { toolCalls: [{ name: "files_search", arguments: { path: root, minSize: 1000 } }] },
      {
        text: "Moving it now.",
        toolCalls: [
          {
            name: "files_move",
            arguments: { source: root, destination: path.join(root, "Archive"), files: [path.join(root, "big.pdf")] },
          },
        ],
      },
      { text: "I moved big.pdf into Archive. Say undo to put it back." },
    ]);

    const response = await ask("put the big files away in Archive");

    expect(response.success, response.message).toBe(true);
    expect(response.message).toBe("I moved big.pdf into Archive. Say undo to put it back.");
    expect(existsSync(path.join(root, "Archive", "big.pdf"))).toBe(true);
    expect(existsSync(path.join(root, "small.txt"))).toBe(true);
    // The search is read-only and ran unasked; the move was shown and confirmed.
    expect(questions.map((question) => question.call.tool)).toEqual(["files.move"]);
    expect(questions[0]?.reasons).toContain("the AI model proposed this change");
    expect(events.filter((event) => event.type === "tool_call").map((event) => event.tool)).toEqual([
      "files.search",
      "files.move",
    ]);
    expect(events.filter((event) => event.type === "tool_complete").every((event) => event.success)).toBe(true);
    expect(events.filter((event) => event.type === "text_delta").length).toBeGreaterThan(2);
    // The tools were offered with their schemas, and each result went back to the model.
    expect(server.requests).toHaveLength(3);
    const offered = JSON.stringify(server.requests[0]?.body.tools);
    expect(offered).toContain("files_search");
    expect(offered).toContain("minSize");
    expect(toolResults(server.requests[1]?.body).join(" ")).toContain("big.pdf");
    expect(toolResults(server.requests[2]?.body).join(" ")).toContain("Archive");
    // Accounting: three model calls, audited with their tokens.
    const calls = audit.entries.filter((entry) => entry.type === "llm-call");
    expect(calls).toHaveLength(3);
    expect(calls.every((entry) => (entry.detail.inputTokens as number) > 0)).toBe(true);
    expect(response.metadata.usage).toMatchObject({ requests: 3 });
    expect(response.metadata.tokensUsed).toBeGreaterThan(0);
    expect(response.suggestions).toContain("undo");
    // The key went to the server, and nowhere else.
    const sent = JSON.stringify(server.requests[0]?.headers);
    if (kind.name !== "local") expect(sent).toContain(apiKey);
    expect(JSON.stringify(audit.entries)).not.toContain(apiKey);
    expect(JSON.stringify(response)).not.toContain(apiKey);
  });

  it("never runs a FORBIDDEN command the model proposes, and tells the model why", async () => {
    const marker = path.join(root, "ran");
    const { server, questions, ask } = await startAgent(kind, [
      { toolCalls: [{ name: "shell_run", arguments: { command: `touch ${marker}; mkfs.ext4 /dev/astros-no-such-device` } }] },
      { text: "I can't do that: AstrOS refuses to erase file systems." },
    ]);

    const response = await ask("format the disk");

    expect(existsSync(marker)).toBe(false);
    expect(questions).toEqual([]);
    const told = toolResults(server.requests[1]?.body).join(" ");
    expect(told).toContain("FORBIDDEN");
    expect(told).toContain("mkfs.ext4 erases a file system");
    expect(told).toContain("never run");
    expect(response.data?.toolCalls).toEqual([expect.objectContaining({ tool: "shell.run", success: false })]);
  });

  it("asks before a DANGEROUS command; a no means it does not run, and the model hears it", async () => {
    const doomed = path.join(root, "doomed");
    await mkdir(doomed);
    const { server, questions, ask } = await startAgent(kind, [
      { toolCalls: [{ name: "shell_run", arguments: { command: `find ${doomed} -delete` } }] },
      { text: "Understood, I left it alone." },
    ]);

    const response = await ask("wipe the doomed folder", { answer: false });

    expect(existsSync(doomed)).toBe(true);
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatchObject({ kind: "action", risk: "DANGEROUS", command: `find ${doomed} -delete` });
    expect(toolResults(server.requests[1]?.body).join(" ")).toContain("not confirmed");
    expect(response.message).toBe("Understood, I left it alone.");
  });

  it("ends the turn with a confirmation request when the channel cannot ask", async () => {
    const doomed = path.join(root, "doomed");
    await mkdir(doomed);
    const { server, ask } = await startAgent(kind, [
      { toolCalls: [{ name: "shell_run", arguments: { command: `find ${doomed} -delete` } }] },
      { text: "should not be asked for" },
    ]);

    const response = await ask("wipe the doomed folder", { channel: false });

    expect(existsSync(doomed)).toBe(true);
    expect(response.success).toBe(false);
    expect(response.requiresFollowup).toBe(true);
    expect(response.metadata.error?.code).toBe("CONFIRMATION_REQUIRED");
    expect(response.data?.confirmation).toMatchObject({
      tool: "shell.run",
      risk: "DANGEROUS",
      command: `find ${doomed} -delete`,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("never runs malformed, invalid or unknown tool calls, and lets the model correct itself", async () => {
    const made = path.join(root, "made");
    const { server, questions, ask } = await startAgent(kind, [
      {
        toolCalls: [
          { name: "files_mkdir", arguments: `{"path": "${made}` },
          { name: "files_mkdir", arguments: { path: 42 } },
          { name: "files_obliterate", arguments: { path: made } },
        ],
      },
      { toolCalls: [{ name: "files_mkdir", arguments: { path: made } }] },
      { text: "Made the folder." },
    ]);

    const response = await ask("make a folder called made");

    expect(response.success, response.message).toBe(true);
    expect(existsSync(made)).toBe(true);
    expect(questions).toHaveLength(1);
    const told = toolResults(server.requests[1]?.body);
    expect(told).toHaveLength(3);
    expect(told[0]).toContain("could not be read");
    expect(told[1]).toContain("PLUGIN_ARGUMENTS_INVALID");
    expect(told[2]).toContain("no tool called files_obliterate");
  });

  it("waits out a 429 with Retry-After and carries on", async () => {
    const { server, ask } = await startAgent(kind, [{ status: 429, headers: { "retry-after": "0" } }, { text: "Hello there." }]);
    const response = await ask("say hello in a friendly way please");
    expect(response.success, response.message).toBe(true);
    expect(response.message).toBe("Hello there.");
    expect(server.requests).toHaveLength(2);
  });

  it("gives a clear error when the model does not answer in time", async () => {
    const { ask } = await startAgent(kind, [{ hang: true }], { timeout: 0.5, max_retries: 0 });
    const started = Date.now();
    const response = await ask("tell me something");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(response.success).toBe(false);
    expect(response.metadata.error?.code).toBe("AI_TIMEOUT");
    expect(response.metadata).toMatchObject({ route: "llm", usage: { requests: 1, inputTokens: 0 } });
    expect(response.message).toContain("did not answer within 0.5 s");
  });

  it("reports a server that keeps failing, with the status and no secret", async () => {
    const { server, ask } = await startAgent(kind, [{ status: 503 }, { status: 503 }], { max_retries: 1 });
    const response = await ask("tell me something");
    expect(server.requests).toHaveLength(2);
    expect(response.metadata.error?.code).toBe("AI_PROVIDER_ERROR");
    expect(response.message).toContain("HTTP 503, 2 tries");
    expect(JSON.stringify(response)).not.toContain(apiKey);
  });
});

describe("the agent loop and hybrid routing", () => {
  const local = kinds[2] as ProviderKind;

  it("stops at the step limit", async () => {
    const again = { toolCalls: [{ name: "files_list", arguments: { path: root } }] };
    const { server, ask } = await startAgent(local, [again, again, again], { max_steps: 2 });
    const response = await ask("keep listing");
    expect(server.requests).toHaveLength(2);
    expect(response.success).toBe(false);
    expect(response.metadata.error?.code).toBe("AI_STEP_LIMIT");
  });

  it("keeps what the builtin engine is sure of offline and sends the rest to the LLM, with the conversation", async () => {
    await writeFile(path.join(root, "notes.txt"), "hi");
    const { server, ask, agent } = await startAgent(
      local,
      [{ text: "A haiku: files at rest." }, { text: "Glad you liked it." }],
      {
        routing: "hybrid",
      },
    );

    const listed = await ask("list the files in this folder");
    expect(listed.success, listed.message).toBe(true);
    expect(listed.metadata.route).toBeUndefined();
    expect(server.requests).toHaveLength(0);

    const poem = await ask("write me a haiku about tidy folders");
    expect(poem.metadata.route).toBe("llm");
    expect(poem.message).toBe("A haiku: files at rest.");

    await ask("I loved that one");
    const sent = JSON.stringify(server.requests[1]?.body.messages);
    // The follow-up carries both earlier turns (the offline one too) and the system context.
    expect(sent).toContain("list the files in this folder");
    expect(sent).toContain("write me a haiku about tidy folders");
    expect(sent).toContain("A haiku: files at rest.");
    expect(sent).toContain(`Working folder: ${root}`);

    const status = await agent.getStatus();
    expect(status.ai).toMatchObject({ provider: "local", model: "qwen-test", routing: "hybrid", requests: 2 });
    expect((await agent.sessionUsage("ada", "s1")).requests).toBe(2);
    expect((await agent.sessionUsage("ada", "another")).requests).toBe(0);
  });

  it("retries once without the earlier turns when the conversation is too long for the model", async () => {
    const tooLong = {
      status: 400,
      body: {
        error: {
          message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      },
    };
    const { server, ask } = await startAgent(local, [
      { text: "first answer" },
      tooLong,
      { text: "short answer" },
      tooLong,
      tooLong,
    ]);
    await ask("the first question here");
    const response = await ask("the second question");
    expect(response.message).toBe("short answer");
    expect(JSON.stringify(server.requests[1]?.body.messages)).toContain("the first question here");
    expect(JSON.stringify(server.requests[2]?.body.messages)).not.toContain("the first question here");

    const failed = await ask("a third question");
    expect(failed.metadata.error?.code).toBe("AI_CONTEXT_TOO_LONG");
    expect(failed.message).toContain("maximum context length is 8192 tokens");
    expect(server.requests).toHaveLength(5);
  });

  it("lets a follow-up the builtin engine understands act on what the model's tools found", async () => {
    await writeFile(path.join(root, "a.log"), "a");
    await writeFile(path.join(root, "b.log"), "b");
    await writeFile(path.join(root, "keep.txt"), "k");
    const { server, ask, questions } = await startAgent(
      local,
      [{ toolCalls: [{ name: "files_search", arguments: { path: root, ext: "log" } }] }, { text: "Found two log files." }],
      { routing: "hybrid" },
    );
    expect((await ask("I think some chatter got saved somewhere around here, can you see it")).message).toBe(
      "Found two log files.",
    );
    const deleted = await ask("delete them");
    expect(deleted.success, deleted.message).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(questions.length).toBeGreaterThan(0);
    expect(existsSync(path.join(root, "a.log"))).toBe(false);
    expect(existsSync(path.join(root, "b.log"))).toBe(false);
    expect(existsSync(path.join(root, "keep.txt"))).toBe(true);
  });

  it("never calls the LLM with routing builtin", async () => {
    const { server, ask } = await startAgent(local, [{ text: "no" }], { routing: "builtin" });
    const response = await ask("write me a haiku about tidy folders");
    expect(response.metadata.error?.code).toBe("INTENT_UNKNOWN");
    expect(server.requests).toHaveLength(0);
  });

  it("drops the oldest turns to fit the token budget and keeps a line on each", async () => {
    const long = "word ".repeat(200);
    const { server, ask } = await startAgent(local, [{ text: "one" }, { text: "two" }, { text: "three" }, { text: "four" }], {
      context_tokens: 400,
    });
    await ask(`first ${long}`);
    await ask(`second ${long}`);
    await ask(`third ${long}`);
    await ask("and now?");
    const last = JSON.stringify(server.requests[3]?.body.messages);
    expect(last).toContain("Earlier in this conversation (summarised)");
    expect(last).toContain('asked \\"first word');
    expect(last).not.toContain(`first ${long}`);
    expect(last).toContain("third word");
  });

  it("refuses an unknown provider, naming the known ones", async () => {
    expect(() => AIProvider.create("nope")).toThrow(
      /no AI provider called "nope"; the known ones are builtin, openai, anthropic, local/,
    );
    const agent = new AstrOSAgent({
      config: configSchema.parse({ log_level: "silent", database: { url: "sqlite::memory:" }, ai: { provider: "nope" } }),
      includeTools: false,
      includeBundledPlugins: false,
      journalDirectory: path.join(scratch, "journal"),
    });
    await expect(agent.start()).rejects.toMatchObject({ code: "AI_PROVIDER_UNKNOWN" });
  });
});
