import path from "node:path";
import type { AstrOSConfig } from "../../config/config-schema.js";
import type { XdgPaths } from "../../config/xdg-paths.js";
import type { StatePlace } from "./protected-places.js";

export interface AstrOSStateOptions {
  xdgPaths: XdgPaths;
  config: Pick<AstrOSConfig, "database" | "server" | "credentials">;
  /** Where the journal is, when not the default (`$XDG_STATE_HOME/astros/journal`). */
  journalDirectory?: string;
  /** Where deletes go, when not the default (`$XDG_DATA_HOME/Trash`). */
  trashDirectory?: string;
}

/**
 * AstrOS's own state, where this configuration puts it: configuration, data and state folders, the database file,
 * the journal (what undo needs), the trash (what undo brings back), the audit log, the token-signing key, the
 * credential store and its key, and the server's workspaces. The effect policy never lets any of it, or a folder that
 * holds it, be deleted, moved, emptied or overwritten.
 */
export function astrosStatePlaces(options: AstrOSStateOptions): StatePlace[] {
  const { xdgPaths, config } = options;
  const database = config.database.url.startsWith("sqlite://") ? config.database.url.slice("sqlite://".length) : undefined;
  const places: Array<StatePlace | undefined> = [
    { path: xdgPaths.configDirectory, what: "configuration", config: true },
    { path: xdgPaths.dataDirectory, what: "data" },
    { path: xdgPaths.stateDirectory, what: "state" },
    database === undefined || database === "" || database === ":memory:" ? undefined : { path: database, what: "database" },
    { path: options.journalDirectory ?? path.join(xdgPaths.stateDirectory, "journal"), what: "journal" },
    { path: options.trashDirectory ?? path.join(path.dirname(xdgPaths.dataDirectory), "Trash"), what: "trash" },
    { path: path.join(xdgPaths.stateDirectory, "audit.log"), what: "audit log" },
    config.server.token_key_file === "" ? undefined : { path: config.server.token_key_file, what: "token-signing key" },
    config.credentials.key_file === "" ? undefined : { path: config.credentials.key_file, what: "credential key" },
    config.credentials.file === "" ? undefined : { path: config.credentials.file, what: "credential store" },
    config.server.workspaces === "" ? undefined : { path: config.server.workspaces, what: "users' workspaces" },
  ];
  return places.filter((place): place is StatePlace => place !== undefined && path.isAbsolute(place.path));
}
