import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Command, CommanderError } from "commander";
import type { AstrOSAgent } from "../core/agent/astros-agent.js";
import { packageVersion } from "../core/agent/package-info.js";
import { AstrOSError } from "../core/errors/astros-error.js";
import { type GlobalOptions, startCliAgent } from "./create-cli-agent.js";
import { type Output, terminalOutput } from "./output.js";

const examples = `
Examples:
  $ astros "hello"                      ask once and print the answer
  $ astros --json "what can you do"     the full Response as JSON
  $ astros                              interactive shell (REPL)
  $ astros status --json                agent status
  $ astros plugins                      loaded plugins and problems
  $ astros plugin validate ./my-plugin  check a plugin before installing it`;

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
      await withAgent(options, async (agent) => {
        if (text !== "") {
          const { runRequest } = await import("./commands/run-request.js");
          exitCode = (await runRequest({ agent, text, output, json: options.json === true, sessionId: `cli-${randomUUID()}` }))
            .exitCode;
        } else if (process.stdin.isTTY) {
          const { runRepl } = await import("./repl.js");
          const { resolveXdgPaths } = await import("../config/xdg-paths.js");
          const paths = resolveXdgPaths({ env: process.env, homeDirectory: os.homedir() });
          exitCode = await runRepl({ agent, output, historyFile: path.join(paths.stateDirectory, "history") });
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
        exitCode = await guardLines({ output });
        return;
      }
      const command = words.join(" ");
      if (command.trim() === "") throw new CommanderError(2, "astros.guard", "astros guard: give a command to judge, or --jsonl");
      exitCode = await guardOne({ command, output, json: wantsJson(options) });
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
async function withAgent(options: GlobalOptions, work: (agent: AstrOSAgent) => Promise<void>): Promise<void> {
  const agent = await startCliAgent(options);
  try {
    await work(agent);
  } finally {
    await agent.stop();
  }
}

/** Non-interactive stdin: each line is one request; exit code 1 if any failed. */
async function runLinesFromStdin(
  agent: import("../core/agent/astros-agent.js").AstrOSAgent,
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
