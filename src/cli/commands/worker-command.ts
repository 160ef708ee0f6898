import type { AstrOSAgent } from "../../agent/astros-agent.js";
import type { AgentEvent } from "../../core/events/agent-event.js";
import { formatLocalTime } from "../../tools/schedule/format-local-time.js";
import { scheduleIdOfSession } from "../../tools/schedule/schedule-session.js";
import type { Output } from "../output.js";

/** Prints each reminder and each scheduled request's start and outcome (subscribe it before the agent starts). */
export function printScheduledEvents(options: { output: Output; json: boolean }): (event: AgentEvent) => void {
  return (event) => {
    const line = options.json ? jsonLine(event) : textLine(event, options.output);
    if (line !== undefined) options.output.out(line);
  };
}

/**
 * `astros worker`: the agent (started with runSchedules) runs schedules while this waits for SIGINT
 * or SIGTERM. Returns 0 once a signal came; the caller then stops the agent.
 */
export async function runWorker(options: { agent: AstrOSAgent; output: Output; json: boolean }): Promise<number> {
  const { agent, output, json } = options;
  const { colors } = output;
  if (!json) {
    output.err(
      colors.dim(`AstrOS worker (pid ${process.pid}) running schedules on ${agent.database.location}. Ctrl-C stops it.`),
    );
  }
  // The scheduler's timers never keep the process alive on their own: this does, until a signal.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  // A second Ctrl-C while stopping ends the process at once (Node's default).
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  clearInterval(keepAlive);
  if (!json) output.err(colors.dim(`${signal}: stopping (runs in progress finish first)…`));
  return 0;
}

function textLine(event: AgentEvent, output: Output): string | undefined {
  const { colors } = output;
  const time = colors.dim(formatLocalTime(event.time));
  if (event.type === "reminder") {
    const late = event.late ? colors.yellow(` (late: was due ${formatLocalTime(event.dueAt)})`) : "";
    return `${time} ${colors.bold("⏰ reminder")} for ${event.userId}: ${event.text}${late}  ${colors.dim(event.scheduleId)}`;
  }
  const scheduleId = scheduleIdOfSession(event.sessionId);
  if (scheduleId === undefined) return undefined;
  if (event.type === "task_started") return `${time} ▶ running for ${event.userId}: ${event.text}  ${colors.dim(scheduleId)}`;
  if (event.type === "task_completed") {
    const mark = event.response.success ? colors.green("✓") : colors.red("✗");
    return `${time} ${mark} ${event.response.message.split("\n").join("\n    ")}  ${colors.dim(scheduleId)}`;
  }
  return undefined;
}

function jsonLine(event: AgentEvent): string | undefined {
  if (event.type === "reminder") return JSON.stringify(event);
  const scheduleId = scheduleIdOfSession(event.sessionId);
  if (scheduleId === undefined || event.type !== "task_completed") return undefined;
  const { response } = event;
  return JSON.stringify({
    type: "schedule_run",
    scheduleId,
    userId: event.userId,
    requestId: event.requestId,
    time: event.time,
    success: response.success,
    message: response.message,
    ...(response.metadata.error === undefined ? {} : { error: response.metadata.error }),
  });
}
