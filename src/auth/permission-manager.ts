import type { Kysely } from "kysely";
import picomatch from "picomatch";
import { ProcessingError } from "../core/errors/processing-error.js";
import { toStorageError } from "../store/database-failure.js";
import type { DatabaseManager } from "../store/database-manager.js";

/** A grant or revocation of one permission for one user, on every resource (`*`) or those matching a glob. */
interface GrantRow {
  user_id: string;
  permission: string;
  resource: string;
  effect: "allow" | "deny";
  created_at: number | string;
}

/** A remembered answer to "may this plugin use this permission?". */
interface ConsentRow {
  user_id: string;
  plugin: string;
  permission: string;
  decision: "always" | "deny";
  created_at: number | string;
}

interface PermissionTables {
  permission_grants: GrantRow;
  plugin_consents: ConsentRow;
}

/** One line of `listPermissions`. */
export interface PermissionEntry {
  permission: string;
  /** `*` for every resource, else a glob (e.g. `/home/ann/Documents/**`). */
  resource: string;
  effect: "allow" | "deny";
  /** `default` comes from permissions.defaults; `granted` and `revoked` were set by grant/revoke. */
  source: "default" | "granted" | "revoked";
  createdAt?: Date;
}

export interface PluginConsent {
  plugin: string;
  permission: string;
  decision: "always" | "deny";
  createdAt: Date;
}

export interface PermissionManagerOptions {
  database: DatabaseManager;
  /** Permissions every user has unless revoked. */
  defaults: readonly string[];
  now?: () => number;
}

export const everyResource = "*";

/** checkPermission for one user and permission, answered from rules read once; `scoped`: some rule names a glob. */
export type PermissionMatcher = ((resource?: string) => boolean) & { scoped: boolean };
const namePattern = /^[a-z][a-z0-9_.:-]{0,63}$/;

/**
 * Who may do what: a user has a permission when it is one of the defaults or was granted, and it
 * was not revoked, optionally per resource (a glob over paths or names). Deny beats allow.
 * Also remembers users' answers when a plugin first asks to use a permission.
 */
export class PermissionManager {
  readonly #kysely: Kysely<PermissionTables>;
  readonly #database: DatabaseManager;
  readonly #defaults: Set<string>;
  readonly #now: () => number;

  constructor(options: PermissionManagerOptions) {
    this.#database = options.database;
    this.#kysely = options.database.kysely;
    this.#defaults = new Set(options.defaults);
    this.#now = options.now ?? Date.now;
  }

  /** Does the user have the permission (for this resource, when one is given)? */
  async checkPermission(userId: string, permission: string, resource?: string): Promise<boolean> {
    return (await this.permissionMatcher(userId, permission))(resource);
  }

  /**
   * The user's rules for one permission, read once: a function answering checkPermission for any
   * resource without going back to the database (for a handler touching many files).
   */
  async permissionMatcher(userId: string, permission: string): Promise<PermissionMatcher> {
    assertName("permission", permission);
    // `*` covers everything; a glob covers the resources it matches; without a resource only `*` entries apply.
    const rows = (await this.#grants(userId, permission)).map((row) => {
      const glob = row.resource === everyResource ? undefined : picomatch(row.resource, { dot: true });
      return {
        effect: row.effect,
        scoped: glob !== undefined,
        matches: (resource: string | undefined) => glob === undefined || (resource !== undefined && glob(resource)),
      };
    });
    const byDefault = this.#defaults.has(permission);
    const matcher = (resource?: string) => {
      if (rows.some((row) => row.effect === "deny" && row.matches(resource))) return false;
      if (rows.some((row) => row.effect === "allow" && row.matches(resource))) return true;
      return byDefault;
    };
    return Object.assign(matcher, { scoped: rows.some((row) => row.scoped) });
  }

  /** Give the user the permission, on every resource or on those matching a glob. Undoes an identical revocation. */
  async grantPermission(userId: string, permission: string, resource: string = everyResource): Promise<void> {
    assertName("permission", permission);
    assertResource(resource);
    await this.#put({ user_id: userId, permission, resource, effect: "allow", created_at: this.#now() });
  }

  /**
   * Take the permission away (on every resource, or on those matching a glob). A default permission
   * or a broader grant is overridden by a recorded revocation, so the user really loses it.
   */
  async revokePermission(userId: string, permission: string, resource: string = everyResource): Promise<void> {
    assertName("permission", permission);
    assertResource(resource);
    await this.#put({ user_id: userId, permission, resource, effect: "deny", created_at: this.#now() });
  }

  /** Forget a grant or revocation, going back to the defaults. True when there was one. */
  async resetPermission(userId: string, permission: string, resource: string = everyResource): Promise<boolean> {
    const result = await this.#run(`Resetting ${permission} for ${userId}`, () =>
      this.#kysely
        .deleteFrom("permission_grants")
        .where("user_id", "=", userId)
        .where("permission", "=", permission)
        .where("resource", "=", resource)
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * The user's permissions: defaults not revoked, grants and revocations; only one permission's when
   * `permission` is given, and only the entries that apply to `resource` (`*` ones and globs matching it).
   */
  async listPermissions(userId: string, filter: { permission?: string; resource?: string } = {}): Promise<PermissionEntry[]> {
    const rows = await this.#run(`Listing permissions of ${userId}`, () =>
      this.#kysely.selectFrom("permission_grants").selectAll().where("user_id", "=", userId).execute(),
    );
    const recorded = rows.map(
      (row): PermissionEntry => ({
        permission: row.permission,
        resource: row.resource,
        effect: row.effect,
        source: row.effect === "allow" ? "granted" : "revoked",
        createdAt: new Date(Number(row.created_at)),
      }),
    );
    const overridden = new Set(recorded.filter((entry) => entry.resource === everyResource).map((entry) => entry.permission));
    const defaults = [...this.#defaults]
      .filter((permission) => !overridden.has(permission))
      .map((permission): PermissionEntry => ({ permission, resource: everyResource, effect: "allow", source: "default" }));
    const { permission, resource } = filter;
    return [...defaults, ...recorded]
      .filter((entry) => permission === undefined || entry.permission === permission)
      .filter(
        (entry) =>
          resource === undefined ||
          entry.resource === everyResource ||
          entry.resource === resource ||
          picomatch.isMatch(resource, entry.resource, { dot: true }),
      )
      .sort((a, b) => a.permission.localeCompare(b.permission) || a.resource.localeCompare(b.resource));
  }

  /** The user's remembered answer for this plugin and permission, if any. */
  async consentFor(userId: string, plugin: string, permission: string): Promise<"always" | "deny" | undefined> {
    const row = await this.#run(`Reading consent of ${plugin}`, () =>
      this.#kysely
        .selectFrom("plugin_consents")
        .select("decision")
        .where("user_id", "=", userId)
        .where("plugin", "=", plugin)
        .where("permission", "=", permission)
        .executeTakeFirst(),
    );
    return row?.decision;
  }

  async recordConsent(userId: string, plugin: string, permission: string, decision: "always" | "deny"): Promise<void> {
    assertName("permission", permission);
    const row = { user_id: userId, plugin, permission, decision, created_at: this.#now() };
    await this.#run(`Remembering consent of ${plugin}`, () =>
      this.#kysely
        .insertInto("plugin_consents")
        .values(row)
        .onConflict((conflict) =>
          conflict.columns(["user_id", "plugin", "permission"]).doUpdateSet({ decision, created_at: row.created_at }),
        )
        .execute(),
    );
  }

  /** Forget remembered answers for a plugin (one permission or all), so it is asked again. Returns how many. */
  async forgetConsent(userId: string, plugin: string, permission?: string): Promise<number> {
    const result = await this.#run(`Forgetting consent of ${plugin}`, () => {
      let query = this.#kysely.deleteFrom("plugin_consents").where("user_id", "=", userId).where("plugin", "=", plugin);
      if (permission !== undefined) query = query.where("permission", "=", permission);
      return query.executeTakeFirst();
    });
    return Number(result.numDeletedRows);
  }

  async listConsents(userId: string): Promise<PluginConsent[]> {
    const rows = await this.#run(`Listing consents of ${userId}`, () =>
      this.#kysely
        .selectFrom("plugin_consents")
        .selectAll()
        .where("user_id", "=", userId)
        .orderBy("plugin")
        .orderBy("permission")
        .execute(),
    );
    return rows.map((row) => ({
      plugin: row.plugin,
      permission: row.permission,
      decision: row.decision,
      createdAt: new Date(Number(row.created_at)),
    }));
  }

  #grants(userId: string, permission: string): Promise<GrantRow[]> {
    return this.#run(`Reading permissions of ${userId}`, () =>
      this.#kysely
        .selectFrom("permission_grants")
        .selectAll()
        .where("user_id", "=", userId)
        .where("permission", "=", permission)
        .execute(),
    );
  }

  #put(row: GrantRow): Promise<unknown> {
    return this.#run(`Saving ${row.permission} for ${row.user_id}`, () =>
      this.#kysely
        .insertInto("permission_grants")
        .values(row)
        .onConflict((conflict) =>
          conflict.columns(["user_id", "permission", "resource"]).doUpdateSet({ effect: row.effect, created_at: row.created_at }),
        )
        .execute(),
    );
  }

  async #run<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStorageError({ action, error, dialect: this.#database.dialect, location: this.#database.location });
    }
  }
}

function assertName(what: string, value: string): void {
  if (!namePattern.test(value)) {
    throw new ProcessingError(`"${value}" is not a valid ${what} name (lower case letters, digits, _ . : -)`, {
      code: "REQUEST_INVALID",
    });
  }
}

function assertResource(resource: string): void {
  if (resource === "" || resource.length > 1024 || resource.includes("\0")) {
    throw new ProcessingError("A permission's resource must be * or a glob of at most 1024 characters", {
      code: "REQUEST_INVALID",
    });
  }
}
