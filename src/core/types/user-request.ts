/** A request as a person (or program) stated it, before any interpretation. */
export interface UserRequest {
  text: string;
  userId: string;
  sessionId: string;
  timestamp: Date;
  /** Facts about where the request came from: cwd, the current path, the user's name... */
  context: Record<string, unknown>;
  /** Transport details: channel ("cli", "api", "ws", "mcp"), client, request id. */
  metadata: Record<string, unknown>;
}

/**
 * The context key a server sets (never the client) on a confined user's request: their workspace. What is
 * done later on their behalf (a scheduled request) runs confined to it, as the request itself did.
 */
export const confinedWorkspaceKey = "confined_workspace";

export interface UserRequestInit {
  text: string;
  userId?: string;
  sessionId?: string;
  timestamp?: Date;
  context?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** Fill the defaults of a request: local user, a fresh session, now. */
export function createUserRequest(init: UserRequestInit): UserRequest {
  return {
    text: init.text,
    userId: init.userId ?? "local",
    sessionId: init.sessionId ?? "default",
    timestamp: init.timestamp ?? new Date(),
    context: init.context ?? {},
    metadata: init.metadata ?? {},
  };
}
