import type { AstrOSAgent } from "../../agent/astros-agent.js";
import type { Response } from "../../core/types/response.js";
import type { AgentSession } from "./agent-session-store.js";
import { errorMessage, type SessionChannel } from "./session-channel.js";
import { sessionMessage } from "./session-messages.js";
import { sessionRequest } from "./session-tools.js";

export interface SessionTaskOptions {
  agent: AstrOSAgent;
  session: AgentSession;
  channel: SessionChannel;
  task: string;
  signal: AbortSignal;
}

/**
 * Run a task in a session as the agent runs any request, confined to the session's workspace, its
 * progress streamed to the session's sockets in the seed's messages: `task_started`, then
 * `text_delta`, `tool_call`, `tool_complete` and `error` as they happen, and `task_completed` last,
 * always. A step that needs a yes is asked on the session's sockets.
 */
export async function runSessionTask(options: SessionTaskOptions): Promise<Response> {
  const { agent, session, channel, task } = options;
  const sessionId = session.id;
  channel.send({ type: "task_started", session_id: sessionId, task, timestamp: new Date().toISOString() });
  let errorSent = false;
  let response: Response;
  try {
    response = await agent.processRequest(sessionRequest(session, task), {
      workspace: session.workdir,
      confine: true,
      confirm: channel.confirmation(options.signal),
      signal: options.signal,
      onEvent: (event) => {
        const message = sessionMessage(event);
        if (message === undefined) return;
        if (message.type === "error") errorSent = true;
        channel.send(message);
      },
    });
  } catch (error) {
    // processRequest answers every failure with a Response; this is a fault, and the task still ends.
    channel.send(errorMessage(`The task failed: ${(error as Error)?.message ?? String(error)}`, "INTERNAL_ERROR"));
    channel.send(completed(sessionId, task, false, "The task failed on the server."));
    throw error;
  }
  // The agent refuses some requests before it starts (a rate limit): the sockets hear why all the same.
  const failure = response.metadata.error;
  if (!response.success && failure !== undefined && !errorSent) channel.send(errorMessage(failure.message, failure.code));
  channel.send(completed(sessionId, task, response.success, response.message));
  return response;
}

function completed(sessionId: string, task: string, success: boolean, message: string): Record<string, unknown> {
  return { type: "task_completed", session_id: sessionId, task, success, message, timestamp: new Date().toISOString() };
}
