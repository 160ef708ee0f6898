/**
 * Test helpers for plugin authors: a real agent with in-memory SQLite storage, no plugin
 * discovery, and recorded events. Not mocks: the same pipeline that runs in production.
 */

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type { RecordedRequest, ScriptedLlmServer, ScriptedReply, ScriptedToolCall } from "./ai/scripted-llm-server.js";
/** Scripted LLM servers (OpenAI and Anthropic wire protocols on 127.0.0.1) to test AI use without a real model. */
export { startAnthropicServer, startOpenAIServer } from "./ai/scripted-llm-server.js";

import { AstrOSAgent, type ProcessOptions } from "./agent/astros-agent.js";
import { type ConfirmationChannel, MemoryAuditSink } from "./agent/pipeline-seams.js";
import { configSchema } from "./config/config-schema.js";
import type { AgentEvent } from "./core/events/agent-event.js";
import type { Response } from "./core/types/response.js";
import type { UserRequestInit } from "./core/types/user-request.js";

export interface TestClientOptions {
  /** Plugins to register (classes, instances or definePlugin objects). */
  plugins?: unknown[];
  /** Plugin settings by plugin name, as in `[plugins.settings.<name>]`. */
  settings?: Record<string, Record<string, unknown>>;
  /** Per-call time limit in seconds (default 5). */
  timeoutSeconds?: number;
  /** Also load AstrOS's own tools (files, system, processes, ...). Default false: only your plugins. */
  includeTools?: boolean;
  /** Answer for confirmations (default: none, so actions that need one are refused). */
  confirm?: ConfirmationChannel;
  now?: () => number;
}

/** The seed's AstrOSTestClient: load plugins, send text, inspect responses, events and audit. */
export class AstrOSTestClient {
  readonly agent: AstrOSAgent;
  readonly events: AgentEvent[] = [];
  readonly audit = new MemoryAuditSink();
  /** A temp folder of this client's own: its file journal and trash. */
  readonly scratchDirectory = mkdtempSync(path.join(os.tmpdir(), "astros-test-client-"));
  readonly #options: TestClientOptions;

  constructor(options: TestClientOptions = {}) {
    this.#options = options;
    const config = configSchema.parse({
      log_level: "silent",
      database: { url: "sqlite::memory:" },
      plugins: { auto_load: false, plugin_timeout: options.timeoutSeconds ?? 5, settings: options.settings ?? {} },
    });
    this.agent = new AstrOSAgent({
      config,
      audit: this.audit,
      discoverPlugins: false,
      includeBundledPlugins: false,
      includeTools: options.includeTools ?? false,
      // Undo history and trash of the test, never the user's.
      journalDirectory: path.join(this.scratchDirectory, "journal"),
      trashDirectory: path.join(this.scratchDirectory, "Trash"),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    for (const plugin of options.plugins ?? []) this.agent.registerPlugin(plugin);
    this.agent.events.subscribe((event) => this.events.push(event));
  }

  /** Register another plugin (before or after start). */
  loadPlugin(plugin: unknown): void {
    this.agent.registerPlugin(plugin);
  }

  async start(): Promise<this> {
    await this.agent.start();
    return this;
  }

  /** Send a request as text (the client starts the agent on first use). */
  async processText(text: string, request: Omit<UserRequestInit, "text"> = {}, options: ProcessOptions = {}): Promise<Response> {
    if (this.agent.state !== "running") await this.agent.start();
    const confirm = options.confirm ?? this.#options.confirm;
    return this.agent.processRequest({ text, ...request }, { ...options, ...(confirm === undefined ? {} : { confirm }) });
  }

  /** Stop the agent and remove the client's scratch folder. */
  async stop(): Promise<void> {
    await this.agent.stop();
    rmSync(this.scratchDirectory, { recursive: true, force: true });
  }
}
