import type { ConsentAnswer, Decision, ResourcePath, ToolAuthorizer, ToolCall } from "../agent/pipeline-seams.js";
import { requestDirectory } from "../safety/safety-guard.js";
import { pathResources } from "./path-resources.js";
import type { PermissionManager, PermissionMatcher } from "./permission-manager.js";

/** Permissions that act on the whole machine (its processes, its settings): never a confined user's, whatever was granted. */
const notForConfined = new Set(["process", "system_control"]);

/**
 * The pipeline's authorizer: the user must hold every permission the handler declares (for each
 * path it names, when permissions are scoped by resource), and a plugin that is not AstrOS's own
 * must have been allowed by the user to use each of them: asked on first use, the answer remembered.
 */
export class PermissionAuthorizer implements ToolAuthorizer {
  readonly #matchers = new WeakMap<ToolCall, Map<string, Promise<PermissionMatcher>>>();

  constructor(private readonly permissions: PermissionManager) {}

  async authorize(call: ToolCall): Promise<Decision> {
    const userId = call.request.userId;
    // A confined (server) user acts in their workspace only: what reaches the whole machine is never theirs.
    const machineWide =
      call.confined === true ? call.requiresPermissions.find((permission) => notForConfined.has(permission)) : undefined;
    if (machineWide !== undefined) {
      return {
        verdict: "deny",
        reason: `server users cannot use the ${machineWide} permission: it acts on the whole machine (its processes), outside your workspace`,
        code: "PERMISSION_DENIED",
        details: { user: userId, permission: machineWide, confined: true },
      };
    }
    const cwd = requestDirectory(call);
    const resources = [...new Set((await Promise.all(call.paths.map((input) => pathResources(input, { cwd })))).flat())];
    for (const permission of call.requiresPermissions) {
      for (const resource of resources.length === 0 ? [undefined] : resources) {
        if (!(await this.permissions.checkPermission(userId, permission, resource))) {
          return {
            verdict: "deny",
            reason: `${userId} does not have the ${permission} permission${resource === undefined ? "" : ` for ${resource}`}`,
            code: "PERMISSION_DENIED",
            details: { user: userId, permission, ...(resource === undefined ? {} : { resource }) },
          };
        }
      }
    }
    if (call.trustedPlugin) return { verdict: "allow", reason: "the user holds the permissions; the plugin is trusted" };
    const missing: string[] = [];
    for (const permission of call.requiresPermissions) {
      const answer = await this.permissions.consentFor(userId, call.plugin, permission);
      if (answer === "deny") {
        return {
          verdict: "deny",
          reason: `you did not allow the ${call.plugin} plugin to use ${permission}`,
          code: "PERMISSION_DENIED",
          details: { plugin: call.plugin, permission },
        };
      }
      if (answer === undefined) missing.push(permission);
    }
    if (missing.length === 0) return { verdict: "allow", reason: "the user allowed the plugin these permissions" };
    return {
      verdict: "ask",
      reason: `the ${call.plugin} plugin asks to use ${missing.join(", ")} for the first time`,
      consent: missing,
    };
  }

  /** A path a handler touches at run time, against the user's permissions scoped by glob (rules read once per call). */
  async authorizeResource(call: ToolCall, permission: string, file: ResourcePath): Promise<Decision> {
    const byPermission = this.#matchers.get(call) ?? new Map<string, Promise<PermissionMatcher>>();
    this.#matchers.set(call, byPermission);
    const matcher = byPermission.get(permission) ?? this.permissions.permissionMatcher(call.request.userId, permission);
    byPermission.set(permission, matcher);
    const allowed = await matcher;
    // Only rules scoped by glob need the path's forms: without one, the answer is the same for every file.
    const resources = allowed.scoped
      ? new Set([...(await pathResources(file.input, { cwd: file.cwd })), file.realPath])
      : new Set([file.realPath]);
    const refused = [...resources].find((resource) => !allowed(resource));
    if (refused === undefined) return { verdict: "allow", reason: `the user holds ${permission} there` };
    return {
      verdict: "deny",
      reason: `${call.request.userId} does not have the ${permission} permission for ${refused}`,
      code: "PERMISSION_DENIED",
      details: { user: call.request.userId, permission, resource: refused },
    };
  }

  async recordConsent(call: ToolCall, permission: string, answer: ConsentAnswer): Promise<void> {
    if (answer === "once") return;
    await this.permissions.recordConsent(call.request.userId, call.plugin, permission, answer);
  }
}
