import path from "node:path";
import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { expandHomeInGlob } from "../../auth/path-resources.js";
import { cliRequestContext } from "../create-cli-agent.js";
import type { Output } from "../output.js";

const me = () => cliRequestContext().userId;

/** `astros permissions [list]`: the user's permissions and the plugin answers they gave. */
export async function listPermissions(options: { agent: AstrOSAgent; output: Output; user?: string | undefined; json: boolean }) {
  const { agent, output } = options;
  const user = options.user ?? me();
  const permissions = await agent.permissions.listPermissions(user);
  const consents = await agent.permissions.listConsents(user);
  if (options.json) {
    output.out(JSON.stringify({ user, permissions, consents }, null, 2));
    return;
  }
  const { colors } = output;
  output.out(colors.bold(`Permissions of ${user}`));
  const width = Math.max(10, ...permissions.map((entry) => entry.permission.length));
  for (const entry of permissions) {
    const mark = entry.effect === "allow" ? colors.green("allow") : colors.red("deny ");
    const where = entry.resource === "*" ? "" : ` on ${entry.resource}`;
    output.out(`  ${mark}  ${entry.permission.padEnd(width)}  ${colors.dim(entry.source)}${where}`);
  }
  if (permissions.length === 0) output.out(colors.dim("  none"));
  output.out(colors.bold("Plugins you answered"));
  for (const consent of consents) {
    const mark = consent.decision === "always" ? colors.green("always") : colors.red("denied");
    output.out(`  ${mark}  ${consent.plugin}: ${consent.permission}  ${colors.dim(consent.createdAt.toISOString())}`);
  }
  if (consents.length === 0) output.out(colors.dim("  none yet (a plugin that is not AstrOS's own asks on first use)"));
}

/** `astros permissions grant|revoke|reset <permission>`. */
export async function changePermission(options: {
  agent: AstrOSAgent;
  output: Output;
  action: "grant" | "revoke" | "reset";
  permission: string;
  user?: string | undefined;
  resource?: string | undefined;
}): Promise<number> {
  const { agent, output, permission } = options;
  const user = options.user ?? me();
  // Paths are matched absolute: `~/private/**` and `./private/**` are written out as the pipeline sees them.
  const given = expandHomeInGlob(options.resource ?? "*");
  const resource = /^\.\.?\//.test(given) ? path.resolve(given) : given;
  const where = resource === "*" ? "" : ` on ${resource}`;
  if (options.action === "grant") {
    await agent.permissions.grantPermission(user, permission, resource);
    output.out(`Granted ${permission} to ${user}${where}.`);
  } else if (options.action === "revoke") {
    await agent.permissions.revokePermission(user, permission, resource);
    output.out(`Revoked ${permission} from ${user}${where}.`);
  } else if (
    (await agent.permissions.resetPermission(user, permission, resource)) ||
    // An entry saved as written, before `~` was expanded here, can still be reset.
    (options.resource !== undefined && (await agent.permissions.resetPermission(user, permission, options.resource)))
  ) {
    output.out(`${permission} for ${user}${where} is back to the default.`);
  } else {
    output.err(`Nothing to reset: ${user} has no grant or revocation of ${permission}${where}.`);
    return 1;
  }
  return 0;
}

/** `astros permissions forget <plugin> [permission]`. */
export async function forgetConsent(options: {
  agent: AstrOSAgent;
  output: Output;
  plugin: string;
  permission?: string | undefined;
  user?: string | undefined;
}): Promise<number> {
  const user = options.user ?? me();
  const forgotten = await options.agent.permissions.forgetConsent(user, options.plugin, options.permission);
  if (forgotten === 0) {
    options.output.err(`No remembered answer for ${options.plugin}${options.permission ? ` (${options.permission})` : ""}.`);
    return 1;
  }
  options.output.out(`Forgot ${forgotten} answer${forgotten === 1 ? "" : "s"} for ${options.plugin}; it will ask again.`);
  return 0;
}
