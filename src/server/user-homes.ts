import { mkdir } from "node:fs/promises";
import path from "node:path";
import { confinedWorkspaceKey } from "../core/types/user-request.js";
import type { Principal } from "./authenticate.js";

/** How a signed-in user's request runs: its context, and the confinement that goes with it. */
export interface UserScope {
  context: Record<string, unknown>;
  /** For anyone but an administrator: their own folder, the only place their request may touch. */
  confinement: { workspace: string; confine: true } | Record<string, never>;
}

/**
 * Where users' requests run, for every interface of the server: an administrator acts on the
 * machine like the CLI; anyone else is confined to `<workspaces>/<user id>/home`, which is where
 * relative paths and "here" point (the client cannot move it) and which is made on first use.
 */
export class UserHomes {
  readonly #made = new Set<string>();

  constructor(private readonly workspaces: string) {}

  async scope(principal: Principal, asked: Record<string, unknown> = {}): Promise<UserScope> {
    if (principal.user.role === "admin") return { context: asked, confinement: {} };
    const home = path.join(this.workspaces, principal.user.id, "home");
    if (!this.#made.has(home)) {
      await mkdir(home, { recursive: true, mode: 0o700 });
      this.#made.add(home);
    }
    const { cwd: _cwd, home: _home, [confinedWorkspaceKey]: _confined, ...rest } = asked;
    return {
      context: { ...rest, cwd: home, home, [confinedWorkspaceKey]: home },
      confinement: { workspace: home, confine: true },
    };
  }
}

/** The agent session a request belongs to: the login's, or a conversation the client named within it. */
export function conversationOf(principal: Principal, named: string | undefined): string {
  return named === undefined ? principal.sessionId : `${principal.sessionId}/${named}`;
}
