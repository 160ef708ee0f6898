import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import type { AgentEvent } from "../core/events/agent-event.js";
import { renderPlugins } from "./commands/list-plugins.js";
import { runRequest } from "./commands/run-request.js";
import { renderStatus } from "./commands/show-status.js";
import { cliRequestContext, type HeldEvents, terminalConfirmation } from "./create-cli-agent.js";
import type { Output } from "./output.js";

const historyLimit = 1000;

const replHelp = `Type a request in your own words, e.g. "hello" or "what can you do".
Commands:
  help      this help, then what AstrOS can do
  status    the agent's status
  plugins   loaded plugins
  clear     clear the screen
  exit      leave (also quit, Ctrl-D)`;

/**
 * The interactive shell: history kept between runs, colours, special commands, and the user's reminders
 * as they come due (`events`: those held since the agent started, else the agent's from now on).
 */
export async function runRepl(options: {
  agent: AstrOSAgent;
  output: Output;
  historyFile: string;
  events?: HeldEvents;
}): Promise<number> {
  const { agent, output, historyFile } = options;
  const { colors } = output;
  const sessionId = `repl-${randomUUID()}`;
  const history = readHistory(historyFile);
  const readline = createInterface({
    input: process.stdin,
    output: process.stdout,
    history,
    historySize: historyLimit,
    removeHistoryDuplicates: true,
    terminal: process.stdin.isTTY === true,
  });
  const status = await agent.getStatus();
  output.out(
    `${colors.bold(colors.cyan("AstrOS"))} ${status.version} — ${status.pluginsLoaded} plugins. Type ${colors.bold("help")} for help, ${colors.bold("exit")} to leave.`,
  );
  readline.setPrompt(colors.cyan("astros› "));

  let busy = false;
  // Reminders of this user that come due while the shell is open (its agent runs schedules).
  const userId = cliRequestContext().userId;
  const showReminder = (event: AgentEvent) => {
    if (event.type !== "reminder" || event.userId !== userId) return;
    const late = event.late ? colors.dim(` (due ${new Date(event.dueAt).toLocaleString()})`) : "";
    output.out(`\n${colors.bold(colors.yellow("⏰ Reminder:"))} ${event.text}${late}`);
    if (!busy) readline.prompt(true);
  };
  const unsubscribe = options.events?.release(showReminder) ?? agent.events.subscribe(showReminder);
  let interrupted = false;
  /** The request being answered: Ctrl-C cancels it (the model stops, a pending question is answered no). */
  let current: AbortController | undefined;
  readline.on("SIGINT", () => {
    if (busy) {
      if (current !== undefined && !current.signal.aborted) {
        current.abort(new Error("cancelled with Ctrl-C"));
        output.err(colors.dim("\n(cancelling…)"));
        // Ends a confirmation question that may be waiting for a line: no answer is a no.
        readline.write("\n");
      }
      return;
    }
    if (readline.line.length > 0 || !interrupted) {
      interrupted = true;
      output.out(colors.dim("\n(Ctrl-C again or type exit to leave)"));
      readline.write(null, { ctrl: true, name: "u" });
      readline.prompt();
      return;
    }
    readline.close();
  });

  // One reader of lines, shared by the loop and by confirmation questions asked in the middle of a request.
  const lines = readline[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string | undefined> => {
    const next = await lines.next();
    return next.done ? undefined : next.value;
  };
  const confirm = terminalConfirmation(output, async (question) => {
    readline.setPrompt(question);
    readline.prompt();
    const answer = await nextLine();
    readline.setPrompt(colors.cyan("astros› "));
    return answer ?? "";
  });

  readline.prompt();
  for (let line = await nextLine(); line !== undefined; line = await nextLine()) {
    interrupted = false;
    const text = line.trim();
    if (text === "") {
      readline.prompt();
      continue;
    }
    const command = text.toLowerCase();
    if (command === "exit" || command === "quit") break;
    busy = true;
    try {
      if (command === "help" || command === "?") {
        output.out(replHelp);
        output.out("");
        await runRequest({ agent, text: "help", output, json: false, sessionId, confirm });
      } else if (command === "status") {
        renderStatus(await agent.getStatus(), output, false);
        const spent = await agent.sessionUsage(userId, sessionId);
        if (spent.requests > 0) {
          output.out(
            `  this session     ${spent.requests} AI call${spent.requests === 1 ? "" : "s"}, ${spent.inputTokens + spent.outputTokens} tokens${spent.costUnknown === true ? "" : `, about $${spent.costUsd.toFixed(4)}`}`,
          );
        }
      } else if (command === "plugins") {
        const current = await agent.getStatus();
        renderPlugins(current.plugins, current.pluginErrors, output, false);
      } else if (command === "clear") {
        process.stdout.write("\x1b[2J\x1b[H");
      } else {
        current = new AbortController();
        await runRequest({ agent, text, output, json: false, sessionId, confirm, signal: current.signal });
      }
    } catch (error) {
      output.err(colors.red(`Error: ${(error as Error).message}`));
    } finally {
      busy = false;
      current = undefined;
    }
    readline.prompt();
  }
  unsubscribe();
  readline.close();
  writeHistory(historyFile, (readline as unknown as { history: string[] }).history ?? []);
  output.out(colors.dim("Bye."));
  return 0;
}

function readHistory(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean).reverse().slice(0, historyLimit);
  } catch {
    return [];
  }
}

function writeHistory(file: string, history: string[]): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${[...history].reverse().slice(-historyLimit).join("\n")}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience; failing to save it must not fail the session.
  }
}
