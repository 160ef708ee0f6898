import path from "node:path";
import type { ConsentAnswer, Decision, ToolAuthorizer, ToolCall } from "../core/agent/pipeline-seams.js";
import { requestDirectory } from "../safety/safety-guard.js";
import type { PermissionManager } from "./permission-manager.js";

/**
 * The pipeline's authorizer: the user must hold every permission the handler declares (for each
 * path it names, when permissions are scoped by resource), and a plugin that is not AstrOS's own
 * must have been allowed by the user to use each of them: asked on first use, the answer remembered.
 */
export class PermissionAuthorizer implements ToolAuthorizer {
  constructor(private readonly permissions: PermissionManager) {}

  async authorize(call: ToolCall): Promise<Decision> {
    const userId = call.request.userId;
    const resources = call.paths.map((input) => path.resolve(requestDirectory(call), input));
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

  async recordConsent(call: ToolCall, permission: string, answer: ConsentAnswer): Promise<void> {
    if (answer === "once") return;
    await this.permissions.recordConsent(call.request.userId, call.plugin, permission, answer);
  }
}
