import path from "node:path";
import { AstrOSAgent } from "../../../agent/astros-agent.js";
import { MemoryAuditSink } from "../../../agent/pipeline-seams.js";
import { configSchema } from "../../../config/config-schema.js";
import type { AgentEvent } from "../../../core/events/agent-event.js";
import type { Response } from "../../../core/types/response.js";

export interface ScheduleAgent {
  agent: AstrOSAgent;
  audit: MemoryAuditSink;
  /** Every event on agent.events since start. */
  events: AgentEvent[];
  /** Run a tool as `userId` (default "ann") from `folder`. */
  call(tool: string, args: Record<string, unknown>, userId?: string): Promise<Response>;
  stop(): Promise<void>;
}

export interface StartScheduleAgentOptions {
  /** A scratch folder: the journal, the trash and the default SQLite file live here. */
  folder: string;
  databaseUrl?: string;
  runSchedules?: boolean;
  plugins?: unknown[];
  safety?: Record<string, unknown>;
  now?: () => number;
}

/** A real agent with AstrOS's own tools (schedules among them) on a SQLite file in `folder`. */
export async function startScheduleAgent(options: StartScheduleAgentOptions): Promise<ScheduleAgent> {
  const audit = new MemoryAuditSink();
  const agent = new AstrOSAgent({
    config: configSchema.parse({
      log_level: "silent",
      database: { url: options.databaseUrl ?? `sqlite://${path.join(options.folder, "astros.db")}` },
      plugins: { auto_load: false },
      safety: { allowed_roots: [options.folder], ...options.safety },
    }),
    audit,
    includeBundledPlugins: false,
    journalDirectory: path.join(options.folder, "journal"),
    trashDirectory: path.join(options.folder, "Trash"),
    runSchedules: options.runSchedules ?? false,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  for (const plugin of options.plugins ?? []) agent.registerPlugin(plugin);
  const events: AgentEvent[] = [];
  agent.events.subscribe((event) => events.push(event));
  await agent.start();
  return {
    agent,
    audit,
    events,
    call: (tool, args, userId = "ann") =>
      agent.processRequest(
        { text: `${tool} ${JSON.stringify(args)}`, userId, context: { cwd: options.folder, user_name: userId } },
        { tool: { name: tool, args } },
      ),
    stop: () => agent.stop(),
  };
}

/** A time as a local date-time with milliseconds, the form schedule.create's `at` takes: 2026-03-18T17:00:05.250. */
export function localDateTime(time: number): string {
  const date = new Date(time);
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The id of the schedule a schedule.create response made (throws when it made none). */
export function idOf(response: Response): string {
  const schedule = response.data?.schedule as { id?: unknown } | undefined;
  if (typeof schedule?.id !== "string") throw new Error(`no schedule was created: ${response.message}`);
  return schedule.id;
}

/** Resolves when `check` holds, polling every 20 ms; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
