import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { sandboxStatus } from "../../exec/sandbox-status.js";
import { HttpError } from "../api-error.js";
import type { AgentSession } from "./agent-session-store.js";
import type { BackgroundProcess, SessionProcesses } from "./session-processes.js";
import { sessionRequest } from "./session-tools.js";

/** Background processes one session may have running at once. */
export const maximumRunningProcesses = 10;

/**
 * Start a command in the background, judged first as the agent judges every command of a confined
 * user: the command guard, then the files it names (anything outside the workspace makes it
 * FORBIDDEN). Only SAFE and MODERATE commands start: nobody could confirm a DANGEROUS one while it
 * runs unattended. Without a working sandbox nothing starts.
 */
export async function startBackgroundProcess(options: {
  agent: AstrOSAgent;
  session: AgentSession;
  processes: SessionProcesses;
  command: string;
}): Promise<BackgroundProcess> {
  const { agent, session, command } = options;
  const safety = agent.safety;
  const call = { request: sessionRequest(session, command), workspace: session.workdir, confined: true };
  // Judged with the HOME it runs with: the session's workspace is its ~.
  const judged = await safety.judgeCommand(command, { homeDirectory: session.workdir });
  const verdict = await safety.judgeNamedPaths(judged, {
    call,
    cwd: session.workdir,
    isolated: true,
    homeDirectory: session.workdir,
  });
  if (verdict.level === "FORBIDDEN") {
    throw new HttpError(403, "GUARD_BLOCKED", `Not started, forbidden: ${command} (${verdict.reasons.join("; ")})`, {
      risk: verdict.level,
      reasons: verdict.reasons,
    });
  }
  if (verdict.level !== "SAFE" && verdict.level !== "MODERATE") {
    throw new HttpError(
      403,
      "GUARD_BLOCKED",
      `Not started: ${command} needs a confirmation (${verdict.reasons.join("; ")}), which a background process cannot get. Run it as a task with the session's WebSocket open to be asked.`,
      { risk: verdict.level, reasons: verdict.reasons },
    );
  }
  const sandbox = await sandboxStatus();
  if (!sandbox.available) {
    throw new HttpError(
      403,
      "GUARD_BLOCKED",
      `Not started: session commands run only in the sandbox, which is not available here (${sandbox.reason})`,
    );
  }
  if (options.processes.running >= maximumRunningProcesses) {
    throw new HttpError(
      429,
      "RATE_LIMITED",
      `This session already has ${maximumRunningProcesses} processes running; stop one first`,
    );
  }
  return options.processes.start(command);
}
