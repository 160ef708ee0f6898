import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import { packageVersion } from "../agent/package-info.js";
import { AstrOSError } from "../core/errors/astros-error.js";
import { type CliAgentOptions, type GlobalOptions, holdEvents, startCliAgent } from "./create-cli-agent.js";
import { type Output, terminalOutput } from "./output.js";

const examples = `
Examples:
  $ astros "hello"                      ask once and print the answer
  $ astros --json "what can you do"     the full Response as JSON
  $ astros                              interactive shell (REPL)
  $ astros status --json                agent status
  $ astros plugins                      loaded plugins and problems
  $ astros plugin validate ./my-plugin  check a plugin before installing it
  $ astros --yes "..."                  confirm this request's risky steps in advance
  $ astros guard "rm -rf ~"             how risky is a command, and why
  $ astros parse "organize ~/Downloads by type"   what the request means, without doing it
  $ astros audit verify                 check that the audit log is intact`;

const credentialsHelp = `
The store is credentials.enc in the data folder (config: credentials.file), encrypted with AES-256-GCM under
a key derived with scrypt from a master secret. credentials.backend says where that secret comes from:
  auto        the OS keyring (secret-tool) if available, else ASTROS_CREDENTIALS_PASSPHRASE, else the key file
  keyring     the OS keyring through secret-tool (libsecret) and the D-Bus session
  passphrase  ASTROS_CREDENTIALS_PASSPHRASE, else asked at a hidden prompt
  key_file    32 random bytes in credentials.key in the config folder (config: credentials.key_file), mode 0600
Exit 1 on a wrong passphrase or key, a store that was tampered with, or a missing credential.

Examples:
  $ astros credentials set openai.api_key              type the value (not shown)
  $ printf '%s' "$TOKEN" | astros credentials set github:token
  $ astros credentials get openai.api_key
  $ astros credentials list --json
  $ astros credentials delete github:token`;

const usersHelp = `
The people who may sign in to the AstrOS server, kept in the database (config: database.url). Passwords are
stored as argon2id hashes; they are typed twice at a hidden prompt, or read as one line from standard input
when it is not a terminal. Usernames ignore case. Exit 1 on a password under 12 characters, a duplicate
username, or an unknown user.

Examples:
  $ astros users add ann --admin                        type the password (not shown), twice
  $ printf '%s\\n' "$PASSWORD" | astros users add bob
  $ astros users list --json
  $ astros users passwd bob                             also signs bob out everywhere
  $ astros users remove bob                             also revokes bob's sessions and API keys`;

const permissionsHelp = `
Every user has the permissions in permissions.defaults unless revoked; a revocation beats any grant.
A plugin that is not AstrOS's own asks the first time it uses a permission: allow once, always, or deny.

Examples:
  $ astros permissions                                   yours, and your answers to plugins
  $ astros permissions revoke shell                      no shell commands for you
  $ astros permissions revoke file_system --resource '/home/ann/private/**'
  $ astros permissions grant shell --user bob
  $ astros permissions forget some-plugin                be asked again`;

/** Build and run the command line; returns the exit code. */
export async function runProgram(argv: string[]): Promise<number> {
  let exitCode = 0;
  let output: Output = terminalOutput();
  const program = new Command("astros")
    .description("AstrOS: say what you want done on this computer; AstrOS does it safely, records it, and can undo it.")
    .version(packageVersion(), "-V, --version")
    .option("--json", "print machine-readable JSON")
    .option("-c, --config <file>", "read this config file on top of the usual ones")
    .option("--no-color", "no colours")
    .option("--debug", "log debug details to stderr")
    .option("-y, --yes", "confirm this request's DANGEROUS actions in advance (never FORBIDDEN ones); recorded in the audit log")
    .argument("[request...]", "what you want, in your own words (quote it)")
    .addHelpText("after", examples)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (text) => process.stdout.write(text), writeErr: (text) => process.stderr.write(text) })
    .hook("preAction", (command) => {
      output = terminalOutput({ color: command.opts<GlobalOptions>().color !== false && process.stdout.isTTY === true });
    })
    .action(async (words: string[], options: GlobalOptions) => {
      const text = words.join(" ").trim();
      if (options.yes && text === "") {
        throw new CommanderError(2, "astros.yes", "astros: --yes confirms one request given on the command line, not a session");
      }
      // The interactive shell runs schedules while it is open and shows the user's reminders, even those delivered as it starts.
      const interactive = text === "" && process.stdin.isTTY === true;
      const reminders = interactive ? holdEvents() : undefined;
      const agentOptions = {
        ...options,
        runSchedules: interactive,
        ...(reminders === undefined ? {} : { onEvent: reminders.listener }),
      };
      await withAgent(agentOptions, async (agent) => {
        if (text !== "") {
          const { runRequest } = await import("./commands/run-request.js");
          const { confirmedInAdvance } = await import("./create-cli-agent.js");
          exitCode = (
            await runRequest({
              agent,
              text,
              output,
              json: options.json === true,
              sessionId: `cli-${randomUUID()}`,
              ...(options.yes ? { confirm: confirmedInAdvance(output) } : {}),
            })
          ).exitCode;
        } else if (process.stdin.isTTY) {
          const { runRepl } = await import("./repl.js");
          const { resolveXdgPaths } = await import("../config/xdg-paths.js");
          const paths = resolveXdgPaths({ env: process.env, homeDirectory: os.homedir() });
          exitCode = await runRepl({
            agent,
            output,
            historyFile: path.join(paths.stateDirectory, "history"),
            ...(reminders === undefined ? {} : { events: reminders }),
          });
        } else {
          exitCode = await runLinesFromStdin(agent, output, options.json === true);
        }
      });
    });

  /** `--json` may be given before the subcommand (`astros --json status`) or after it. */
  const wantsJson = (options: { json?: boolean }) => options.json === true || program.opts<GlobalOptions>().json === true;

  program
    .command("status")
    .description("show the agent's status: uptime, plugins, sessions, memory, CPU")
    .option("--json", "print the SystemStatus as JSON")
    .action(async (options: { json?: boolean }) => {
      await withAgent(program.opts<GlobalOptions>(), async (agent) => {
        const { renderStatus } = await import("./commands/show-status.js");
        renderStatus(await agent.getStatus(), output, wantsJson(options));
      });
    });

  const ai = program.command("ai").description("the AI engine: which provider and model answer, and whether they work");
  ai.command("show", { isDefault: true })
    .description("show the provider, model, endpoint, routing and capabilities")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      await withAgent(program.opts<GlobalOptions>(), async (agent) => {
        const { showAI } = await import("./commands/ai-command.js");
        exitCode = showAI(agent, output, wantsJson(options));
      });
    });
  ai.command("check")
    .description("send the model one tiny request and say whether (and how fast) it answers")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      await withAgent(program.opts<GlobalOptions>(), async (agent) => {
        const { checkAI } = await import("./commands/ai-command.js");
        exitCode = await checkAI(agent, output, wantsJson(options));
      });
    });

  program
    .command("plugins")
    .description("list plugins: loaded, disabled, and those that failed with the reason")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      await withAgent(program.opts<GlobalOptions>(), async (agent) => {
        const { renderPlugins } = await import("./commands/list-plugins.js");
        const status = await agent.getStatus();
        renderPlugins(status.plugins, status.pluginErrors, output, wantsJson(options));
        if (status.pluginErrors.length > 0) exitCode = 1;
      });
    });

  program
    .command("guard")
    .description("judge a shell command: SAFE, MODERATE, DANGEROUS or FORBIDDEN, and why (exit 3 dangerous, 4 forbidden)")
    .argument("[command...]", "the command line to judge (quote it)")
    .option("--json", "print the verdict as JSON")
    .option("--jsonl", 'read {"id","command"} lines on stdin, write {"id","level","reasons"} lines')
    .action(async (words: string[], options: { json?: boolean; jsonl?: boolean }) => {
      const { guardLines, guardOne } = await import("./commands/guard-command.js");
      if (options.jsonl) {
        exitCode = await guardLines({ output, configPath: program.opts<GlobalOptions>().config });
        return;
      }
      const command = words.join(" ");
      if (command.trim() === "") throw new CommanderError(2, "astros.guard", "astros guard: give a command to judge, or --jsonl");
      exitCode = await guardOne({ command, output, json: wantsJson(options), configPath: program.opts<GlobalOptions>().config });
    });

  program
    .command("parse")
    .description("show what the builtin engine understands from a request (intent and slots), without doing it")
    .argument("[text...]", "the request (quote it)")
    .option("--json", "print the result as JSON")
    .option("--jsonl", 'read {"id","text"} lines on stdin, write {"id","intent","confidence","slots"} lines')
    .option("--now <iso>", "reference time for dates and reminders (default: now)")
    .option("--cwd <dir>", 'working folder that relative paths and "here" mean (default: the current one)')
    .action(async (words: string[], options: { json?: boolean; jsonl?: boolean; now?: string; cwd?: string }) => {
      const { parseLines, parseOne } = await import("./commands/parse-command.js");
      const context = {
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      };
      if (options.jsonl) {
        exitCode = await parseLines({ ...context, output });
        return;
      }
      const text = words.join(" ");
      if (text.trim() === "") throw new CommanderError(2, "astros.parse", "astros parse: give a request to parse, or --jsonl");
      exitCode = parseOne({ ...context, text, output, json: wantsJson(options) });
    });

  const audit = program
    .command("audit")
    .description("what AstrOS did: every request, decision, confirmation and tool call (hash-chained)");
  audit
    .command("show", { isDefault: true })
    .description("list audit entries, newest last")
    .option("--user <id>", "only this user")
    .option("--session <id>", "only this session")
    .option("--type <type>", "only this entry type (e.g. tool-call-started, decision-made)")
    .option("--outcome <outcome>", "only this outcome (e.g. deny, success, failure)")
    .option("--request <id>", "only this request (id prefix)")
    .option("-n, --limit <count>", "at most this many (default 50)", "50")
    .option("--json", "one JSON entry per line")
    .action(
      async (options: {
        user?: string;
        session?: string;
        type?: string;
        outcome?: string;
        request?: string;
        limit: string;
        json?: boolean;
      }) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new CommanderError(2, "astros.audit", "astros audit: --limit takes a whole number above 0");
        const { showAudit } = await import("./commands/audit-command.js");
        exitCode = showAudit({
          ...options,
          output,
          limit,
          json: wantsJson(options),
        });
      },
    );
  audit
    .command("verify")
    .description("check the audit log's hash chain: exit 1 if any entry was edited, removed or reordered")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }) => {
      const { verifyAudit } = await import("./commands/audit-command.js");
      exitCode = verifyAudit({ output, json: wantsJson(options) });
    });

  const credentials = program
    .command("credentials")
    .description("the encrypted credential store: API keys and tokens, never stored in plain text")
    .addHelpText("after", credentialsHelp);
  credentials
    .command("set")
    .description("store a credential: the value is typed at a hidden prompt, or read from standard input when piped")
    .argument("<name>", "the credential's name, e.g. openai.api_key (letters, digits, '_', '.', ':', '-')")
    .option("--value-stdin", "read the value from standard input even on a terminal (one final newline is dropped)")
    .action(async (name: string, options: { valueStdin?: boolean }) => {
      const { setCredential } = await import("./commands/credentials-command.js");
      const configPath = program.opts<GlobalOptions>().config;
      exitCode = await setCredential({ output, configPath, name, valueFromStdin: options.valueStdin === true });
    });
  credentials
    .command("get")
    .description("print a credential's value on standard output (exit 1 if there is none)")
    .argument("<name>", "the credential's name")
    .action(async (name: string) => {
      const { getCredential } = await import("./commands/credentials-command.js");
      exitCode = await getCredential({ output, configPath: program.opts<GlobalOptions>().config, name });
    });
  credentials
    .command("list")
    .description("list the credentials' names and when they were stored (never their values)")
    .option("--json", "print a JSON array of {name, createdAt, updatedAt}")
    .action(async (options: { json?: boolean }) => {
      const { listCredentials } = await import("./commands/credentials-command.js");
      exitCode = await listCredentials({ output, configPath: program.opts<GlobalOptions>().config, json: wantsJson(options) });
    });
  credentials
    .command("delete")
    .description("remove a credential (exit 1 if there is none)")
    .argument("<name>", "the credential's name")
    .action(async (name: string) => {
      const { deleteCredential } = await import("./commands/credentials-command.js");
      exitCode = await deleteCredential({ output, configPath: program.opts<GlobalOptions>().config, name });
    });

  const users = program
    .command("users")
    .description("the people who may sign in to the server: add, list, change passwords, remove")
    .addHelpText("after", usersHelp);
  users
    .command("add")
    .description("add a user: the password is typed twice at a hidden prompt, or read as one line from standard input")
    .argument("<username>", "1 to 64 letters, digits, '.', '_', '-' or '@'")
    .option("--admin", "may manage users (default: an ordinary user)")
    .action(async (username: string, options: { admin?: boolean }) => {
      const { addUser } = await import("./commands/users-command.js");
      exitCode = await addUser({
        output,
        configPath: program.opts<GlobalOptions>().config,
        username,
        admin: options.admin === true,
      });
    });
  users
    .command("list")
    .description("list users: name, role, when created, active sessions (never passwords)")
    .option("--json", "print a JSON array of {id, username, role, disabled, createdAt, activeSessions}")
    .action(async (options: { json?: boolean }) => {
      const { listUsers } = await import("./commands/users-command.js");
      exitCode = await listUsers({ output, configPath: program.opts<GlobalOptions>().config, json: wantsJson(options) });
    });
  users
    .command("passwd")
    .description("set a user's password (read like add's) and sign them out of every session")
    .argument("<username>", "the user's name")
    .action(async (username: string) => {
      const { changePassword } = await import("./commands/users-command.js");
      exitCode = await changePassword({ output, configPath: program.opts<GlobalOptions>().config, username });
    });
  users
    .command("remove")
    .description("remove a user, revoking their sessions and API keys (exit 1 if there is none)")
    .argument("<username>", "the user's name")
    .action(async (username: string) => {
      const { removeUser } = await import("./commands/users-command.js");
      exitCode = await removeUser({ output, configPath: program.opts<GlobalOptions>().config, username });
    });

  const plugin = program.command("plugin").description("work on a plugin (validate)");
  plugin
    .command("validate")
    .description("check a plugin folder: manifest, entry module, handlers")
    .argument("<directory>", "the plugin's folder (with plugin.yaml or a package.json astros field)")
    .option("--json", "print the result as JSON")
    .action(async (directory: string, options: { json?: boolean }) => {
      const { validatePlugin } = await import("./commands/validate-plugin.js");
      exitCode = await validatePlugin({
        directory: path.resolve(directory),
        output,
        json: wantsJson(options),
      });
    });

  program
    .command("undo")
    .description("undo the last file change AstrOS made, or the one with this id (see `astros history`)")
    .argument("[operation]", "an operation id, or the start of one")
    .option("-y, --yes", "confirm in advance when the undo changes many files")
    .option("--json", "print the Response as JSON")
    .action(async (operation: string | undefined, options: { yes?: boolean; json?: boolean }) => {
      await withAgent(program.opts<GlobalOptions>(), async (agent) => {
        const { runRequest } = await import("./commands/run-request.js");
        const { confirmedInAdvance } = await import("./create-cli-agent.js");
        const yes = options.yes === true || program.opts<GlobalOptions>().yes === true;
        exitCode = (
          await runRequest({
            agent,
            text: operation === undefined ? "undo" : `undo ${operation}`,
            output,
            json: wantsJson(options),
            sessionId: `cli-${randomUUID()}`,
            tool: { name: "files.undo", args: operation === undefined ? {} : { operation } },
            ...(yes ? { confirm: confirmedInAdvance(output) } : {}),
          })
        ).exitCode;
      });
    });

  program
    .command("history")
    .description("the file changes AstrOS made for you, newest first, with their ids for `astros undo`")
    .option("-n, --limit <count>", "at most this many (default 20)", "20")
    .option("--json", "print as JSON")
    .action(async (options: { limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new CommanderError(2, "astros.history", "astros history: --limit takes a whole number above 0");
      await withAgent(program.opts<GlobalOptions>(), async (agent) => {
        const { showHistory } = await import("./commands/history-command.js");
        await showHistory({ agent, output, limit, json: wantsJson(options) });
      });
    });

  const permissions = program
    .command("permissions")
    .description("who may do what: users' permissions and the plugins you allowed or denied")
    .addHelpText("after", permissionsHelp);
  permissions
    .command("list", { isDefault: true })
    .description("a user's permissions (defaults, grants, revocations) and remembered plugin answers")
    .option("--user <id>", "whose (default: you)")
    .option("--json", "print as JSON")
    .action(async (options: { user?: string; json?: boolean }) => {
      await withAgent(program.opts<GlobalOptions>(), async (agent) => {
        const { listPermissions } = await import("./commands/permissions-command.js");
        await listPermissions({ agent, output, user: options.user, json: wantsJson(options) });
      });
    });
  for (const [name, description] of [
    ["grant", "give a user a permission, on everything or on the resources a glob matches"],
    ["revoke", "take a permission away (it overrides defaults and broader grants)"],
    ["reset", "forget a grant or revocation, back to the defaults"],
  ] as const) {
    permissions
      .command(name)
      .description(description)
      .argument("<permission>", "e.g. file_system, network, shell, process, system_control")
      .option("--user <id>", "whose (default: you)")
      .option("--resource <glob>", "only these resources, e.g. '/home/ann/Documents/**' (default: all)")
      .action(async (permission: string, options: { user?: string; resource?: string }) => {
        await withAgent(program.opts<GlobalOptions>(), async (agent) => {
          const { changePermission } = await import("./commands/permissions-command.js");
          exitCode = await changePermission({ agent, output, action: name, permission, ...options });
        });
      });
  }
  permissions
    .command("forget")
    .description("forget what you answered when a plugin asked for a permission, so it asks again")
    .argument("<plugin>", "the plugin's name")
    .argument("[permission]", "only this permission (default: all of the plugin's)")
    .option("--user <id>", "whose answers (default: yours)")
    .action(async (pluginName: string, permission: string | undefined, options: { user?: string }) => {
      await withAgent(program.opts<GlobalOptions>(), async (agent) => {
        const { forgetConsent } = await import("./commands/permissions-command.js");
        exitCode = await forgetConsent({ agent, output, plugin: pluginName, permission, user: options.user });
      });
    });

  program
    .command("serve")
    .description("run the HTTP and WebSocket server: REST API, agent sessions, docs at /docs (Ctrl-C stops it)")
    .option("--host <host>", "address to listen on (default server.host, 127.0.0.1)")
    .option("--port <port>", "port to listen on (default server.port, 8000)", (value) => {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new InvalidArgumentError("a port is a whole number from 0 to 65535");
      return port;
    })
    .action(async (options: { host?: string; port?: number }) => {
      const { serve } = await import("./commands/serve-command.js");
      await withAgent({ ...program.opts<GlobalOptions>(), runSchedules: true }, async (agent) => {
        exitCode = await serve({
          agent,
          output,
          ...(options.host === undefined ? {} : { host: options.host }),
          ...(options.port === undefined ? {} : { port: options.port }),
          ...(program.opts<GlobalOptions>().debug ? { logLevel: "info" } : {}),
        });
      });
    });

  program
    .command("worker")
    .description("run schedules until stopped: deliver reminders and run scheduled requests, printing each (Ctrl-C stops)")
    .option("--json", "one JSON line per reminder and per scheduled request run")
    .action(async (options: { json?: boolean }) => {
      const { printScheduledEvents, runWorker } = await import("./commands/worker-command.js");
      const json = wantsJson(options);
      const onEvent = printScheduledEvents({ output, json });
      await withAgent({ ...program.opts<GlobalOptions>(), runSchedules: true, onEvent }, async (agent) => {
        exitCode = await runWorker({ agent, output, json });
      });
    });

  const config = program.command("config").description("show the effective configuration and where it comes from");
  config
    .command("show", { isDefault: true })
    .description("print the effective configuration as TOML (secrets hidden)")
    .action(async () => {
      const { showConfig } = await import("./commands/show-config.js");
      await showConfig({ output, configPath: program.opts<GlobalOptions>().config });
    });
  config
    .command("path")
    .description("print the configuration files read, in order")
    .action(async () => {
      const { showConfigPaths } = await import("./commands/show-config.js");
      await showConfigPaths({ output, configPath: program.opts<GlobalOptions>().config });
    });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander prints its own errors; ours (code "astros.*") are printed here.
      if (error.code.startsWith("astros.")) output.err(output.colors.red(error.message));
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help"
        ? 0
        : 2;
    }
    const message = (error as Error)?.message ?? String(error);
    output.err(output.colors.red(`astros: ${message}`));
    if (AstrOSError.isInstance(error) && error.recovery !== undefined) output.err(output.colors.dim(error.recovery));
    if (program.opts<GlobalOptions>().debug && error instanceof Error && error.stack) output.err(error.stack);
    return AstrOSError.isInstance(error) && error.category === "config" ? 78 : 1;
  }
  return exitCode;
}

/** Start an agent for one command and always stop it (plugins shut down, storage closed). */
async function withAgent(options: CliAgentOptions, work: (agent: AstrOSAgent) => Promise<void>): Promise<void> {
  const agent = await startCliAgent(options);
  try {
    await work(agent);
  } finally {
    await agent.stop();
  }
}

/** Non-interactive stdin: each line is one request; exit code 1 if any failed. */
async function runLinesFromStdin(
  agent: import("../agent/astros-agent.js").AstrOSAgent,
  output: Output,
  json: boolean,
): Promise<number> {
  const { createInterface } = await import("node:readline");
  const { runRequest } = await import("./commands/run-request.js");
  const sessionId = `cli-${randomUUID()}`;
  let exitCode = 0;
  for await (const line of createInterface({ input: process.stdin })) {
    const text = line.trim();
    if (text === "") continue;
    const result = await runRequest({ agent, text, output, json, sessionId });
    if (result.exitCode !== 0) exitCode = result.exitCode;
  }
  return exitCode;
}
