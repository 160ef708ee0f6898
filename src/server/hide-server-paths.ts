import { realpathSync } from "node:fs";
import os from "node:os";
import type { WebSocket } from "ws";

/** Where the server keeps its users' workspaces, and the folders of the machine a user must not learn. */
export interface ServerPathsOptions {
  /** The folder holding every user's workspaces (`server.workspaces`). */
  workspaces: string;
  /** Other server folders to hide from confined users (AstrOS's configuration, data, state). Default: none. */
  serverFolders?: readonly string[];
  /** The operator's home folder. Default: os.homedir(). */
  operatorHome?: string;
}

/** What a server-side path is shown as to a client. */
export const workspaceShownAs = "~";
export const serverShownAs = "<server>";

/**
 * Rewrites server-side paths out of what is sent to a client. A workspace is shown as `~` (the
 * client's paths are relative to it, and a confined user's `~` is it): the workspace of a session
 * (`<workspaces>/<user>/sessions/<id>`) for everyone, and for a confined user (anyone but an
 * administrator) also their home workspace; any other path of the server (the workspaces folder,
 * AstrOS's folders, the operator's home) becomes `<server>`. Applied to JSON text as sent: a path is
 * replaced whole, never in the middle of a name.
 */
export class ServerPaths {
  readonly #workspaces: string[];
  readonly #serverFolders: string[];

  constructor(options: ServerPathsOptions) {
    const operatorHome = options.operatorHome ?? os.homedir();
    // A server message may write a folder in the operator's home as ~/…: that spelling is hidden too.
    const allSpellings = (folder: string) => withTilde(spellings(folder), spellings(operatorHome));
    this.#workspaces = allSpellings(options.workspaces);
    this.#serverFolders = [...(options.serverFolders ?? []), operatorHome]
      .flatMap(allSpellings)
      // The longest first: a folder inside another is replaced before its parent.
      .sort((left, right) => right.length - left.length);
  }

  /** A rewriter for what one user is sent: `confined` for anyone but an administrator. */
  forUser(userId: string, options: { confined: boolean }): (text: string) => string {
    const rules: Array<[RegExp, string]> = [];
    for (const workspaces of this.#workspaces) {
      const user = `${escapeForJson(workspaces)}/${escapeRegExp(userId)}`;
      rules.push([new RegExp(`${user}/sessions/[A-Za-z0-9_-]+${boundary}`, "g"), workspaceShownAs]);
      if (options.confined) rules.push([new RegExp(`${user}/home${boundary}`, "g"), workspaceShownAs]);
    }
    if (options.confined) {
      for (const folder of [...this.#workspaces, ...this.#serverFolders].sort((left, right) => right.length - left.length)) {
        if (folder === "/") continue;
        rules.push([new RegExp(`${escapeForJson(folder)}${boundary}`, "g"), serverShownAs]);
      }
    }
    return (text) => {
      let rewritten = text;
      for (const [pattern, shown] of rules) rewritten = rewritten.replace(pattern, shown);
      return rewritten;
    };
  }
}

/** Every text message the socket sends from now on goes through `rewrite` (every sender of the socket, the hub's too). */
export function rewriteSocketText(socket: WebSocket, rewrite: (text: string) => string): void {
  const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
  socket.send = ((data: unknown, ...rest: unknown[]) =>
    send(typeof data === "string" ? rewrite(data) : data, ...rest)) as WebSocket["send"];
}

/** The end of a path component: the path goes on with `/`, or ends (a quote, a space, punctuation, the end). */
const boundary = "(?![A-Za-z0-9._@+-])";

/** A folder as given and as its real path (links resolved), when they differ. */
function spellings(folder: string): string[] {
  const trimmed = folder.length > 1 ? folder.replace(/\/+$/, "") : folder;
  try {
    const real = realpathSync(trimmed);
    return real === trimmed ? [trimmed] : [trimmed, real];
  } catch {
    return [trimmed];
  }
}

/** The spellings, plus `~/…` for those inside the operator's home (never `~` alone: a client's ~ is its own). */
function withTilde(folders: readonly string[], homes: readonly string[]): string[] {
  const tilde = folders.flatMap((folder) =>
    homes.filter((home) => home !== "/" && folder.startsWith(`${home}/`)).map((home) => `~${folder.slice(home.length)}`),
  );
  return [...new Set([...folders, ...tilde])];
}

/** A path as it appears inside a JSON string, as a regular expression. */
function escapeForJson(text: string): string {
  return escapeRegExp(JSON.stringify(text).slice(1, -1));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
