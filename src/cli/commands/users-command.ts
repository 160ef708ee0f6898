import { randomBytes } from "node:crypto";
import { AuthenticationManager } from "../../auth/authentication-manager.js";
import { assertAcceptablePassword } from "../../auth/password-hasher.js";
import { terminalHiddenPrompt } from "../../auth/read-hidden-line.js";
import { passwordInvalidError, passwordsDifferError } from "../../auth/user-errors.js";
import { assertUsername } from "../../auth/username.js";
import { loadConfig } from "../../config/load-config.js";
import { openDatabase } from "../../store/open-database.js";
import type { Output } from "../output.js";
import { readStandardInput } from "../read-standard-input.js";

interface UsersCommandOptions {
  output: Output;
  /** `--config`, applied on top of the usual files. */
  configPath: string | undefined;
}

/**
 * The configured database and an AuthenticationManager over it, closed afterwards. Users need only storage,
 * not plugins or the AI engine. The command line signs no tokens, so the manager gets a throwaway key.
 */
async function withUsers<T>(configPath: string | undefined, work: (users: AuthenticationManager) => Promise<T>): Promise<T> {
  const loaded = await loadConfig(configPath === undefined ? {} : { env: { ...process.env, ASTROS_CONFIG: configPath } });
  const database = await openDatabase({ url: loaded.config.database.url, poolSize: loaded.config.database.pool_size });
  try {
    return await work(new AuthenticationManager({ database, secret: randomBytes(32) }));
  } finally {
    await database.close();
  }
}

/** `astros users add <username> [--admin]`: the password from a hidden prompt (twice), or one line of stdin. */
export async function addUser(options: UsersCommandOptions & { username: string; admin: boolean }): Promise<number> {
  assertUsername(options.username);
  const password = await readNewPassword(options.username);
  const role = options.admin ? "admin" : "user";
  const user = await withUsers(options.configPath, (users) => users.createUser({ username: options.username, password, role }));
  options.output.err(options.output.colors.green(`✓ added user ${user.username} (${user.role})`));
  return 0;
}

/** `astros users passwd <username>`: a new password, and the user signed out of every session. */
export async function changePassword(options: UsersCommandOptions & { username: string }): Promise<number> {
  const password = await readNewPassword(options.username);
  await withUsers(options.configPath, (users) => users.setPassword(options.username, password));
  options.output.err(options.output.colors.green(`✓ changed the password of ${options.username}; their sessions are signed out`));
  return 0;
}

/** `astros users list [--json]`: names, roles, when created and how many sessions are active; never a hash. */
export async function listUsers(options: UsersCommandOptions & { json: boolean }): Promise<number> {
  const { output } = options;
  const users = await withUsers(options.configPath, (manager) => manager.listUsers());
  if (options.json) {
    const rows = users.map((user) => ({
      id: user.id,
      username: user.username,
      role: user.role,
      disabled: user.disabled,
      createdAt: user.createdAt.toISOString(),
      activeSessions: user.activeSessions,
    }));
    output.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (users.length === 0) {
    output.err(output.colors.dim("No users. Add one with: astros users add <username> --admin"));
    return 0;
  }
  const width = Math.max(8, ...users.map((user) => user.username.length));
  output.out(output.colors.dim(`${"USERNAME".padEnd(width)}  ROLE   ${"CREATED".padEnd(19)}  SESSIONS`));
  for (const user of users) {
    const created = user.createdAt.toISOString().replace("T", " ").slice(0, 19);
    const state = user.disabled ? "  (disabled)" : "";
    output.out(`${user.username.padEnd(width)}  ${user.role.padEnd(5)}  ${created}  ${user.activeSessions}${state}`);
  }
  return 0;
}

/** `astros users remove <username>`: the user, their sessions and API keys. */
export async function removeUser(options: UsersCommandOptions & { username: string }): Promise<number> {
  await withUsers(options.configPath, (users) => users.removeUser(options.username));
  options.output.err(options.output.colors.green(`✓ removed user ${options.username}; their sessions and API keys are revoked`));
  return 0;
}

/**
 * On a terminal, asked twice at a hidden prompt (checked against the policy before the second time); otherwise
 * the first line of standard input, for scripts. PASSWORD_INVALID when it breaks the policy or the two differ.
 */
async function readNewPassword(username: string): Promise<string> {
  const prompt = terminalHiddenPrompt();
  if (prompt === undefined) {
    const password = firstLine(await readStandardInput());
    if (password === "")
      throw passwordInvalidError({ reason: "none was given (type it at a terminal, or give it as one line on standard input)" });
    assertAcceptablePassword(password);
    return password;
  }
  const password = await prompt(`New password for ${username}: `);
  assertAcceptablePassword(password);
  if ((await prompt("Type it again: ")) !== password) throw passwordsDifferError();
  return password;
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}
