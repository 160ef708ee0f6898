import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { createDeferringChannel, type DeferredQuestion } from "../../agent/deferred-confirmation.js";
import { type ErrorCode, errorCodes } from "../../core/errors/error-codes.js";
import type { Response } from "../../core/types/response.js";
import { confinedWorkspaceKey, createUserRequest, type UserRequest } from "../../core/types/user-request.js";
import { HttpError } from "../api-error.js";
import type { AgentSession } from "./agent-session-store.js";

/** The agent's session for a session's requests: follow-ups ("delete them") refer to what it did before. */
export function agentSessionId(session: AgentSession): string {
  return `session-${session.id}`;
}

/** A session's request as the agent sees it: its user, its agent session, relative paths meaning its workspace. */
export function sessionRequest(session: AgentSession, text: string): UserRequest {
  return createUserRequest({
    text,
    userId: session.userId,
    sessionId: agentSessionId(session),
    context: { cwd: session.workdir, home: session.workdir, [confinedWorkspaceKey]: session.workdir },
    metadata: { channel: "sessions" },
  });
}

/**
 * Run one of the agent's tools for a session: the same pipeline as every request (validate,
 * authorize, guard, journal, audit), confined to the session's workspace. Nobody can confirm
 * anything on a plain HTTP call: what needs a yes comes back as CONFIRMATION_REQUIRED.
 */
export function runSessionTool(
  agent: AstrOSAgent,
  session: AgentSession,
  tool: { name: string; args: Record<string, unknown> },
  text: string,
): Promise<Response> {
  return agent.processRequest(sessionRequest(session, text), {
    tool,
    workspace: session.workdir,
    confine: true,
    confirm: createDeferringChannel(),
  });
}

/** Run a tool and return its response, or throw the HTTP error its failure is. */
export async function sessionTool(
  agent: AstrOSAgent,
  session: AgentSession,
  tool: { name: string; args: Record<string, unknown> },
  text: string,
): Promise<Response> {
  const response = await runSessionTool(agent, session, tool, text);
  if (!response.success) throw toolFailure(response);
  return response;
}

const ruleText: Record<string, string> = {
  sensitive: "holds keys or credentials",
  invalid: "is not a path the guard can judge",
  "hard-link": "has other names (hard links), one of which may be outside this session's workspace, so it is not read",
};

/** A tool's failure as the HTTP error to answer with: its code and status, without server paths it should not show. */
export function toolFailure(response: Response): HttpError {
  const error = response.metadata.error;
  if (error === undefined) return new HttpError(422, "PROCESSING_FAILED", response.message);
  const code: ErrorCode = error.code in errorCodes ? error.code : "PROCESSING_FAILED";
  const status = errorCodes[code].httpStatus;
  const details = error.details ?? {};
  if (code === "CONFIRMATION_REQUIRED") {
    const question = response.data?.confirmation as DeferredQuestion | undefined;
    return new HttpError(
      status,
      code,
      `${response.message} Nobody can confirm it on this request: run it as a task (POST /api/sessions/{session_id}/tasks) with the session's WebSocket open, and confirm it there.`,
      question === undefined ? {} : { confirmation: question },
    );
  }
  if (code === "PATH_DENIED") {
    // The guard's message names real paths (where a link leads); the caller gets only what they asked for.
    const asked = typeof details.path === "string" ? details.path : "That path";
    const rule = typeof details.rule === "string" ? details.rule : "outside";
    return new HttpError(403, code, `Access denied: ${asked} ${ruleText[rule] ?? "is outside this session's workspace"}`, {
      path: asked,
      rule,
    });
  }
  if (code === "GUARD_BLOCKED") {
    return new HttpError(status, code, response.message, {
      ...(details.risk === undefined ? {} : { risk: details.risk }),
      ...(details.reasons === undefined ? {} : { reasons: details.reasons }),
    });
  }
  return new HttpError(status, code, response.message);
}
