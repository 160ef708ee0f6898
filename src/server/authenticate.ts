import type { FastifyRequest } from "fastify";
import type { User } from "../auth/auth-records.js";
import type { AuthenticationManager } from "../auth/authentication-manager.js";
import { AuthenticationError } from "../core/errors/authentication-error.js";

/** Who is calling: the user, and the login session (or API key) the call came through. */
export interface Principal {
  user: User;
  /** The login session's id, or `apikey-<id>` for a program's API key: the agent's session for the conversation. */
  sessionId: string;
  via: "token" | "api-key";
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** API keys look like this; anything else in a bearer header is taken for a login token. */
const apiKeyPrefix = "astros_";

/**
 * The caller of a request, from `Authorization: Bearer <token or API key>`: a signed login token
 * whose session is still valid (checked against the database, so a revoked one fails at once), or
 * an API key. Anything else is a 401 with the same message, whatever was wrong.
 */
export async function authenticate(auth: AuthenticationManager, credential: string | undefined): Promise<Principal> {
  if (credential === undefined || credential === "") {
    throw new AuthenticationError("Sign in first: this needs an Authorization: Bearer token", {
      code: "AUTHENTICATION_FAILED",
      details: { reason: "missing" },
      recovery: "POST /api/v1/auth/login with your username and password, then send the token it returns.",
    });
  }
  if (credential.startsWith(apiKeyPrefix)) {
    const { user, apiKey } = await auth.authenticateApiKey(credential);
    return { user, sessionId: `apikey-${apiKey.id}`, via: "api-key" };
  }
  const { user, session } = await auth.validateToken(credential);
  return { user, sessionId: session.id, via: "token" };
}

/** The bearer credential of a request, if it sent one. */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== "string") return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The request's principal, which the `authenticated` hook has set. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new AuthenticationError("Not signed in", { code: "AUTHENTICATION_FAILED" });
  return request.principal;
}
