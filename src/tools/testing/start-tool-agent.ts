import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AstrOSAgent } from "../../agent/astros-agent.js";
import { type ConfirmationChannel, MemoryAuditSink } from "../../agent/pipeline-seams.js";
import { configSchema } from "../../config/config-schema.js";
import type { AgentEvent } from "../../core/events/agent-event.js";
import type { Response } from "../../core/types/response.js";
import type { PluginDefinition } from "../../sdk.js";

export interface ToolAgentOptions {
  /** The tool plugins to register; the agent has no others (no bundled plugins, no first-party tools). */
  plugins: readonly PluginDefinition[];
  /**
   * The one folder the agent may touch, and the folder calls run from unless they name another (default: an
   * empty folder of the agent's own, removed on stop).
   */
  root?: string;
  /** `[safety]` settings over `allowed_roots: [root]`, which they may replace. */
  safety?: Record<string, unknown>;
  /** `plugins.plugin_timeout` in seconds (default 30, the configuration's default). */
  pluginTimeout?: number;
}

export interface ToolCallOptions {
  /** The request's folder (default: the root). */
  cwd?: string;
  /** How the person answers; without one, what needs a yes is denied (non-interactive). */
  confirm?: ConfirmationChannel;
  /** Collects the request's events. */
  events?: AgentEvent[];
  /** Who asks (default "ann"). */
  userId?: string;
}

export interface ToolAgent {
  agent: AstrOSAgent;
  audit: MemoryAuditSink;
  root: string;
  /** The journal behind undo: in a folder of its own outside the root, so scans of the root never count it. */
  journalDirectory: string;
  /** Where deleted files go: beside the journal, outside the root. */
  trashDirectory: string;
  /** Run `tool` with `args` directly (no recognizer), through the whole pipeline: checks, confirmation and audit. */
  call(tool: string, args: Record<string, unknown>, options?: ToolCallOptions): Promise<Response>;
  /** Stop the agent and remove its own folder (the journal and the trash; the root too when the agent made it). */
  stop(): Promise<void>;
}

/** A real, started agent with only the given tool plugins, allowed to touch its root alone. */
export async function startToolAgent(options: ToolAgentOptions): Promise<ToolAgent> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "astros-tool-agent-"));
  const root = options.root ?? path.join(scratch, "root");
  const journalDirectory = path.join(scratch, "journal");
  const trashDirectory = path.join(scratch, "Trash");
  const audit = new MemoryAuditSink();
  const agent = new AstrOSAgent({
    config: configSchema.parse({
      log_level: "silent",
      database: { url: "sqlite::memory:" },
      plugins: { auto_load: false, plugin_timeout: options.pluginTimeout ?? 30 },
      safety: { allowed_roots: [root], ...options.safety },
    }),
    audit,
    includeBundledPlugins: false,
    includeTools: false,
    journalDirectory,
    trashDirectory,
  });
  try {
    if (options.root === undefined) await mkdir(root);
    for (const plugin of options.plugins) agent.registerPlugin(plugin);
    await agent.start();
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
  return {
    agent,
    audit,
    root,
    journalDirectory,
    trashDirectory,
    call: (tool, args, callOptions = {}) =>
      agent.processRequest(
        {
          text: `${tool} ${JSON.stringify(args)}`,
          userId: callOptions.userId ?? "ann",
          context: { cwd: callOptions.cwd ?? root },
        },
        { tool: { name: tool, args }, confirm: callOptions.confirm, onEvent: (event) => callOptions.events?.push(event) },
      ),
    stop: async () => {
      try {
        await agent.stop();
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}
