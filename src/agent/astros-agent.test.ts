import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { configSchema } from "../config/config-schema.js";
import type { Intent } from "../core/types/intent.js";
import { BasePlugin } from "../plugins/base-plugin.js";
import { pluginHandler } from "../plugins/decorators.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import { AstrOSTestClient } from "../testing.js";
import { AstrOSAgent, type AstrOSAgentOptions } from "./astros-agent.js";
import { MemoryAuditSink, type ToolCall } from "./pipeline-seams.js";

const clients: AstrOSTestClient[] = [];
function client(options: ConstructorParameters<typeof AstrOSTestClient>[0] = {}): AstrOSTestClient {
  const created = new AstrOSTestClient(options);
  clients.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((created) => created.stop()));
});

/** An agent on in-memory SQLite with no plugin discovery, for tests that set the pipeline's seams themselves. */
function bareAgent(options: Omit<AstrOSAgentOptions, "config" | "includeBundledPlugins"> = {}): AstrOSAgent {
  return new AstrOSAgent({
    config: configSchema.parse({ database: { url: "sqlite::memory:" }, plugins: { auto_load: false } }),
    includeBundledPlugins: false,
    ...options,
  });
}

/** A greeting plugin that records whether its handler ran. */
function trackingPlugin(name: string) {
  const state = { ran: false };
  const plugin = definePlugin({
    name,
    version: "1.0.0",
    handlers: {
      greet: defineHandler({
        intent: "greeting",
        run: () => {
          state.ran = true;
          return { success: true, message: "done" };
        },
      }),
    },
  });
  return { plugin, state };
}

function greeter(options: { name: string; priority: number; message: string; examples?: string[] }) {
  return definePlugin({
    name: options.name,
    version: "1.0.0",
    handlers: {
      greet: defineHandler({
        intent: "greeting",
        priority: options.priority,
        examples: options.examples ?? [],
        run: () => ({ success: true, message: options.message }),
      }),
    },
  });
}

describe("AstrOSAgent request pipeline", () => {
  it("routes a recognised request to the plugin's handler and returns its response", async () => {
    const test = client({ plugins: [greeter({ name: "greeter", priority: 5, message: "Hi!" })] });
    const response = await test.processText("hello");
    expect(response.success).toBe(true);
    expect(response.message).toBe("Hi!");
    expect(response.metadata).toMatchObject({ intent: "greeting", plugin: "greeter", handler: "greet" });
    expect(typeof response.metadata.requestId).toBe("string");
  });

  it("gives the intent to the highest-priority handler when several take it", async () => {
    const test = client({
      plugins: [greeter({ name: "low", priority: 2, message: "low" }), greeter({ name: "high", priority: 8, message: "high" })],
    });
    expect((await test.processText("hello")).message).toBe("high");
  });

  it("skips a plugin whose canHandle() declines the intent", async () => {
    class Picky extends BasePlugin {
      readonly name = "picky";
      readonly version = "1.0.0";
      readonly description = "declines everything";
      readonly author = "tests";
      override canHandle() {
        return false;
      }
      @pluginHandler("greeting", { priority: 10 })
      async greet() {
        return { success: true, message: "picky" };
      }
    }
    const test = client({ plugins: [Picky, greeter({ name: "fallback", priority: 1, message: "fallback" })] });
    expect((await test.processText("hello")).message).toBe("fallback");
  });

  it("turns a handler that throws into an error response and keeps serving requests", async () => {
    let calls = 0;
    const flaky = definePlugin({
      name: "flaky",
      version: "1.0.0",
      handlers: {
        greet: defineHandler({
          intent: "greeting",
          run: () => {
            calls += 1;
            if (calls === 1) throw new Error("disk on fire");
            return { success: true, message: "recovered" };
          },
        }),
      },
    });
    const test = client({ plugins: [flaky] });
    const failed = await test.processText("hello");
    expect(failed.success).toBe(false);
    expect(failed.message).toContain("flaky");
    expect(failed.message).toContain("disk on fire");
    expect(failed.metadata.error).toMatchObject({ code: "PLUGIN_HANDLER_FAILED", category: "plugin" });
    expect((await test.processText("hello")).message).toBe("recovered");
  });

  it("stops waiting for a handler after the plugin time limit and aborts its signal", async () => {
    let aborted = false;
    const slow = definePlugin({
      name: "slow",
      version: "1.0.0",
      handlers: {
        greet: defineHandler({
          intent: "greeting",
          run: (_args, context) =>
            new Promise((resolve) => {
              context.signal.addEventListener("abort", () => {
                aborted = true;
                resolve({ success: true, message: "too late" });
              });
            }),
        }),
      },
    });
    const test = client({ plugins: [slow], timeoutSeconds: 0.2 });
    const response = await test.processText("hello");
    expect(response.success).toBe(false);
    expect(response.metadata.error?.code).toBe("PLUGIN_TIMEOUT");
    expect(aborted).toBe(true);
  });

  it("answers a request cancelled mid-handler (Ctrl-C) as cancelled, never as a fault in the plugin", async () => {
    const cancel = new AbortController();
    const waiting = definePlugin({
      name: "waiting",
      version: "1.0.0",
      handlers: {
        greet: defineHandler({
          intent: "greeting",
          run: (_args, context) =>
            new Promise((_resolve, reject) => {
              context.signal.addEventListener("abort", () => reject(context.signal.reason));
              setTimeout(() => cancel.abort(new Error("cancelled with Ctrl-C")), 20);
            }),
        }),
      },
    });
    const test = client({ plugins: [waiting] });
    const response = await test.processText("hello", {}, { signal: cancel.signal });
    expect(response.success).toBe(false);
    expect(response.message).toBe("Cancelled; nothing was changed.");
    expect(response.metadata.error?.code).toBe("REQUEST_CANCELLED");
    expect(response.suggestions.join(" ")).not.toContain("fault in the plugin");
  });

  it("validates arguments against the handler's schema before it runs", async () => {
    let ran = false;
    const strict = definePlugin({
      name: "strict",
      version: "1.0.0",
      handlers: {
        greet: defineHandler({
          intent: "greeting",
          args: z.object({ name: z.string({ error: "name is required" }) }),
          run: ({ name }) => {
            ran = true;
            return { success: true, message: `hi ${name}` };
          },
        }),
      },
    });
    const test = client({ plugins: [strict] });
    const response = await test.processText("hello");
    expect(response.success).toBe(false);
    expect(response.metadata.error?.code).toBe("PLUGIN_ARGUMENTS_INVALID");
    expect(response.message).toContain("name");
    expect(ran).toBe(false);
  });

  it("emits task_started, status, tool_call, tool_complete and task_completed in order", async () => {
    const streaming = definePlugin({
      name: "streaming",
      version: "1.0.0",
      handlers: {
        greet: defineHandler({
          intent: "greeting",
          run: (_args, context) => {
            context.progress(50, "halfway");
            context.text("Hel");
            context.text("lo");
            return { success: true, message: "Hello" };
          },
        }),
      },
    });
    const test = client({ plugins: [streaming] });
    const seen: string[] = [];
    await test.processText("hello", {}, { onEvent: (event) => seen.push(event.type) });
    expect(seen).toEqual([
      "task_started",
      "status",
      "tool_call",
      "status",
      "text_delta",
      "text_delta",
      "tool_complete",
      "status",
      "task_completed",
    ]);
    expect(test.events.map((event) => event.type)).toEqual(seen);
    const progress = test.events.find((event) => event.type === "status" && event.message === "halfway");
    expect(progress).toMatchObject({ progress: 50 });
  });

  it("audits the request, both decisions, the tool call and the outcome, in order", async () => {
    const test = client({ plugins: [greeter({ name: "greeter", priority: 5, message: "Hi!" })] });
    const response = await test.processText("hello", { userId: "ada", sessionId: "s-1" });
    expect(test.audit.entries.map((entry) => [entry.type, entry.outcome])).toEqual([
      ["request-received", undefined],
      ["decision-made", "allow"],
      ["decision-made", "allow"],
      ["tool-call-started", undefined],
      ["tool-call-completed", "success"],
      ["request-completed", "success"],
    ]);
    expect(new Set(test.audit.entries.map((entry) => `${entry.userId}/${entry.sessionId}/${entry.requestId}`))).toEqual(
      new Set([`ada/s-1/${response.metadata.requestId}`]),
    );
  });

  it("refuses to run anything when the audit log cannot be written (fails closed)", async () => {
    const tracked = trackingPlugin("tracked");
    const agent = bareAgent({
      audit: {
        record: async () => {
          throw new Error("disk full");
        },
      },
    });
    agent.registerPlugin(tracked.plugin);
    await agent.start();
    try {
      const response = await agent.processRequest({ text: "hello" });
      expect(response.success).toBe(false);
      expect(response.message).toContain("disk full");
      expect(tracked.state.ran).toBe(false);
    } finally {
      await agent.stop();
    }
  });

  it("answers an unknown request with what it can do instead, and never runs a handler", async () => {
    const test = client({ plugins: [greeter({ name: "greeter", priority: 5, message: "Hi!", examples: ["hello"] })] });
    const response = await test.processText("organize a party for saturday");
    expect(response.success).toBe(false);
    expect(response.metadata.intent).toBe("unknown");
    expect(response.metadata.error?.code).toBe("INTENT_UNKNOWN");
    expect(response.suggestions).toContain("help");
    expect(response.message).toMatch(/add an LLM: set ai.provider \(openai, anthropic or local\)/);
    expect(test.events.some((event) => event.type === "tool_call")).toBe(false);
  });

  it("rejects an empty or oversized request with a clear error", async () => {
    const test = client();
    expect((await test.processText("   ")).metadata.error?.code).toBe("REQUEST_INVALID");
    const huge = await test.processText("a".repeat(100_001));
    expect(huge.metadata.error?.code).toBe("REQUEST_INVALID");
    expect(huge.message).toMatch(/too long/);
  });

  it("answers help from the loaded plugins' handlers", async () => {
    const test = client({ plugins: [greeter({ name: "greeter", priority: 5, message: "Hi!", examples: ["hello"] })] });
    const response = await test.processText("what can you do?");
    expect(response.success).toBe(true);
    // AstrOS's own handlers (undo, the trash, history) and the plugin's, each once.
    const capabilities = response.data?.capabilities as Array<{ intent: string; plugin: string }>;
    expect(capabilities).toContainEqual(expect.objectContaining({ intent: "files.undo", plugin: "core", example: "undo" }));
    expect(capabilities).toContainEqual({ intent: "greeting", plugin: "greeter", description: "", example: "hello" });
    expect(capabilities.filter((capability) => capability.plugin === "greeter")).toHaveLength(1);
  });

  it("learns phrasings from handler examples", async () => {
    const test = client({
      plugins: [
        definePlugin({
          name: "weather",
          version: "1.0.0",
          handlers: {
            forecast: defineHandler({
              intent: "weather.forecast",
              examples: ["will it rain tomorrow"],
              run: () => ({ success: true, message: "Dry." }),
            }),
          },
        }),
      ],
    });
    expect((await test.processText("Will it rain tomorrow?")).message).toBe("Dry.");
  });
});

describe("AstrOSAgent safety seams", () => {
  const asking = (reason: string) => ({ assess: async () => ({ verdict: "ask" as const, reason, risk: "DANGEROUS" }) });

  it("refuses an action that needs confirmation when the channel cannot ask (fails closed)", async () => {
    const { plugin, state } = trackingPlugin("risky");
    const guarded = bareAgent({
      guard: asking("it deletes things"),
    });
    guarded.registerPlugin(plugin);
    await guarded.start();
    try {
      const refused = await guarded.processRequest({ text: "hello" });
      expect(refused.success).toBe(false);
      expect(refused.metadata.error?.code).toBe("GUARD_BLOCKED");
      expect(refused.message).toContain("it deletes things");
      expect(state.ran).toBe(false);

      const declined = await guarded.processRequest({ text: "hello" }, { confirm: async () => false });
      expect(declined.success).toBe(false);
      expect(state.ran).toBe(false);

      const asked: ToolCall[] = [];
      const confirmed = await guarded.processRequest(
        { text: "hello" },
        {
          confirm: async ({ call }) => {
            asked.push(call);
            return true;
          },
        },
      );
      expect(confirmed.success).toBe(true);
      expect(state.ran).toBe(true);
      expect(asked[0]).toMatchObject({ tool: "greeting", plugin: "risky", handler: "greet" });
    } finally {
      await guarded.stop();
    }
  });

  it("denies when the guard or authorizer throws, and audits the decision", async () => {
    const audit = new MemoryAuditSink();
    const agent = bareAgent({
      authorizer: {
        authorize: async () => {
          throw new Error("permission store unreachable");
        },
      },
      audit,
    });
    agent.registerPlugin(greeter({ name: "greeter", priority: 5, message: "Hi!" }));
    await agent.start();
    try {
      const response = await agent.processRequest({ text: "hello" });
      expect(response.success).toBe(false);
      expect(response.metadata.error?.code).toBe("PERMISSION_DENIED");
      expect(response.message).toContain("permission store unreachable");
      const decision = audit.entries.find((entry) => entry.type === "decision-made");
      expect(decision).toMatchObject({ outcome: "deny", detail: { step: "authorizer" } });
      expect(audit.entries.some((entry) => entry.type === "tool-call-started")).toBe(false);
    } finally {
      await agent.stop();
    }
  });

  it("sends callPlugin through the same pipeline, with the caller named", async () => {
    const seen: ToolCall[] = [];
    const agent = bareAgent({
      guard: {
        assess: async (call) => {
          seen.push(call);
          return call.plugin === "vault"
            ? { verdict: "deny", reason: "the vault is closed", risk: "FORBIDDEN" }
            : { verdict: "allow", reason: "ok" };
        },
      },
    });
    class Caller extends BasePlugin {
      readonly name = "caller";
      readonly version = "1.0.0";
      readonly description = "calls the vault";
      readonly author = "tests";
      @pluginHandler("greeting")
      async greet(_intent: Intent) {
        const inner = await this.callPlugin("vault", "open", { door: 1 });
        return { success: true, message: `vault said: ${inner.message}`, data: { inner: inner.success } };
      }
    }
    let opened = false;
    agent.registerPlugin(Caller);
    agent.registerPlugin(
      definePlugin({
        name: "vault",
        version: "1.0.0",
        handlers: {
          open: defineHandler({
            intent: "vault.open",
            run: () => {
              opened = true;
              return { success: true, message: "open" };
            },
          }),
        },
      }),
    );
    await agent.start();
    try {
      const response = await agent.processRequest({ text: "hello" });
      expect(response.message).toContain("the vault is closed");
      expect(response.data).toEqual({ inner: false });
      expect(opened).toBe(false);
      expect(seen.map((call) => [call.plugin, call.caller])).toEqual([
        ["caller", undefined],
        ["vault", "caller"],
      ]);
      expect(seen[1]?.args).toEqual({ door: 1 });
    } finally {
      await agent.stop();
    }
  });
});

describe("AstrOSAgent lifecycle and registration", () => {
  it("refuses a second plugin with the same name", async () => {
    const test = client({ plugins: [greeter({ name: "twin", priority: 5, message: "one" })] });
    await test.start();
    expect(() => test.loadPlugin(greeter({ name: "twin", priority: 5, message: "two" }))).toThrow(/already registered/);
    expect((await test.processText("hello")).message).toBe("one");
  });

  it("returns a handle that disables, re-enables and removes a plugin", async () => {
    const test = client();
    await test.start();
    const handle = test.agent.registerPlugin(greeter({ name: "switchable", priority: 5, message: "on" }));
    expect((await test.processText("hello")).message).toBe("on");
    handle?.disable();
    expect((await test.processText("hello")).metadata.error?.code).toBe("NO_HANDLER");
    handle?.enable();
    expect((await test.processText("hello")).message).toBe("on");
    await handle?.remove();
    expect((await test.processText("hello")).metadata.error?.code).toBe("NO_HANDLER");
  });

  it("initializes plugins on start and shuts them down on stop", async () => {
    const lifecycle: string[] = [];
    const plugin = definePlugin({
      name: "lifecycle",
      version: "1.0.0",
      initialize: () => {
        lifecycle.push("initialize");
      },
      shutdown: () => {
        lifecycle.push("shutdown");
      },
      handlers: {},
    });
    const test = new AstrOSTestClient({ plugins: [plugin] });
    await test.start();
    expect(lifecycle).toEqual(["initialize"]);
    await test.stop();
    expect(lifecycle).toEqual(["initialize", "shutdown"]);
    expect(test.agent.state).toBe("stopped");
    expect((await test.agent.processRequest({ text: "hello" })).metadata.error?.code).toBe("AGENT_NOT_RUNNING");
  });

  it("marks a plugin whose initialize() throws as failed and keeps the others", async () => {
    const broken = definePlugin({
      name: "broken",
      version: "1.0.0",
      initialize: () => {
        throw new Error("missing API key");
      },
      handlers: { greet: defineHandler({ intent: "greeting", priority: 10, run: () => ({ success: true, message: "broken" }) }) },
    });
    const test = client({ plugins: [broken, greeter({ name: "fine", priority: 1, message: "fine" })] });
    await test.start();
    expect((await test.processText("hello")).message).toBe("fine");
    const status = await test.agent.getStatus();
    expect(status.plugins.find((plugin) => plugin.name === "broken")?.status).toBe("failed");
    expect(status.pluginErrors[0]?.message).toContain("missing API key");
  });

  it("reports status: state, uptime, plugins, sessions, memory and CPU", async () => {
    let now = 1_000_000;
    const test = client({ plugins: [greeter({ name: "greeter", priority: 5, message: "Hi!" })], now: () => now });
    await test.start();
    await test.processText("hello", { sessionId: "one" });
    await test.processText("hello", { sessionId: "two" });
    now += 42_000;
    const status = await test.agent.getStatus();
    expect(status).toMatchObject({ status: "running", uptime: 42, pluginsLoaded: status.plugins.length, activeSessions: 2 });
    expect(status.memoryUsage).toBeGreaterThan(1);
    expect(status.cpuUsage).toBeGreaterThanOrEqual(0);
    expect(status.plugins.map((plugin) => plugin.name)).toEqual(expect.arrayContaining(["core", "greeter"]));
    expect(status.plugins.every((plugin) => plugin.status === "active")).toBe(true);
  });

  it("gives each plugin its own storage namespace that persists across requests", async () => {
    const counter = (name: string) =>
      definePlugin({
        name,
        version: "1.0.0",
        handlers: {
          count: defineHandler({
            intent: `${name}.count`,
            examples: [`count ${name}`],
            run: async (_args, context) => {
              const next = ((await context.storage.get<number>("count")) ?? 0) + 1;
              await context.storage.set("count", next);
              return { success: true, message: String(next) };
            },
          }),
        },
      });
    const test = client({ plugins: [counter("apples"), counter("pears")] });
    await test.processText("count apples");
    expect((await test.processText("count apples")).message).toBe("2");
    expect((await test.processText("count pears")).message).toBe("1");
  });
});
