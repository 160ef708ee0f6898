import os from "node:os";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import type { ConfirmationChannel, ConfirmationRequest } from "../agent/pipeline-seams.js";
import type { AgentEvent } from "../core/events/agent-event.js";
import type { AgentEventListener } from "../core/events/event-bus.js";
import type { Output } from "./output.js";

export interface GlobalOptions {
  json?: boolean;
  /** Confirm this one command's DANGEROUS actions in advance (never FORBIDDEN ones). */
  yes?: boolean;
  config?: string;
  color?: boolean;
  debug?: boolean;
}

export interface CliAgentOptions extends GlobalOptions {
  /** Run schedules (reminders, scheduled requests) while the agent is up: the REPL and `astros worker` do. */
  runSchedules?: boolean;
  /** Subscribed to the agent's events before it starts, so it sees reminders delivered as it starts. */
  onEvent?: AgentEventListener;
}

/** Start an agent configured from files, environment and the CLI's own options. */
export async function startCliAgent(options: CliAgentOptions): Promise<AstrOSAgent> {
  const { AstrOSAgent } = await import("../agent/astros-agent.js");
  const agent = new AstrOSAgent({
    ...(options.config === undefined ? {} : { configPath: options.config }),
    ...(options.debug ? { configOverrides: { log_level: "debug" } } : {}),
    ...(options.runSchedules ? { runSchedules: true } : {}),
  });
  if (options.onEvent !== undefined) agent.events.subscribe(options.onEvent);
  await agent.start();
  return agent;
}

/** Events held until something can show them (the REPL, before its prompt exists), then passed on as they come. */
export interface HeldEvents {
  /** Subscribe this (e.g. as startCliAgent's onEvent). */
  listener: AgentEventListener;
  /** Hand the held events to `listener`, then every later one; returns how to stop. */
  release(listener: AgentEventListener): () => void;
}

export function holdEvents(): HeldEvents {
  const held: AgentEvent[] = [];
  let target: AgentEventListener | undefined;
  let released = false;
  return {
    listener: (event) => {
      if (target !== undefined) target(event);
      else if (!released) held.push(event);
    },
    release(listener) {
      released = true;
      target = listener;
      for (const event of held.splice(0)) listener(event);
      return () => {
        target = undefined;
      };
    },
  };
}

/** What a local CLI request carries: who and where. */
export function cliRequestContext(): { userId: string; context: Record<string, unknown>; metadata: Record<string, unknown> } {
  const userName = safeUserName();
  return { userId: userName, context: { cwd: process.cwd(), user_name: userName }, metadata: { channel: "cli" } };
}

function safeUserName(): string {
  const fromEnvironment = process.env.USER ?? process.env.LOGNAME;
  if (fromEnvironment !== undefined && fromEnvironment !== "") return fromEnvironment;
  try {
    return os.userInfo().username;
  } catch {
    return "local";
  }
}

/** Reads one answer line after showing a question (the REPL passes its own reader). */
export type AskLine = (question: string) => Promise<string>;

/**
 * Ask on the terminal, showing what will run and why it is risky. With no terminal there is no
 * channel, so the non-interactive policy decides (deny by default).
 */
export function terminalConfirmation(output: Output, askLine?: AskLine): ConfirmationChannel | undefined {
  if (!output.interactive && askLine === undefined) return undefined;
  const ask = askLine ?? askOnTerminal;
  return async (request) => {
    describeConfirmation(request, output);
    if (request.kind === "consent") {
      const answer = (await ask("Allow [o]nce, [a]lways, or [d]eny? (Enter: not now) ")).trim().toLowerCase();
      if (answer === "o" || answer === "once") return { approved: true, via: "prompt" };
      if (answer === "a" || answer === "always") return { approved: true, remember: true, via: "prompt" };
      return { approved: false, remember: answer === "d" || answer === "deny", via: "prompt" };
    }
    const answer = await ask("Proceed? [y/N] ");
    return { approved: /^y(es)?$/i.test(answer.trim()), via: "prompt" };
  };
}

/**
 * `--yes`: risky actions and bulk changes of this one command are confirmed in advance (FORBIDDEN
 * ones never reach a confirmation). A plugin's first use of a permission is still asked on the
 * terminal, or refused without one, and so is a change an AI model proposed after it read text that did
 * not come from the person. The audit log records each "--yes" answer.
 */
export function confirmedInAdvance(output: Output): ConfirmationChannel {
  const terminal = terminalConfirmation(output);
  const channel: ConfirmationChannel = async (request) => {
    if (request.kind === "consent")
      return terminal === undefined ? { approved: false, via: "--yes (no terminal)" } : terminal(request);
    describeConfirmation(request, output);
    output.err(output.colors.yellow("Confirmed in advance by --yes."));
    return { approved: true, via: "--yes" };
  };
  // What an AI model proposed after reading text that did not come from the person is never covered
  // by --yes: it is asked on the terminal, when there is one (the pipeline refuses it otherwise).
  return Object.assign(channel, { inAdvance: "--yes" }, terminal === undefined ? {} : { live: terminal });
}

function describeConfirmation(request: ConfirmationRequest, output: Output): void {
  const { colors } = output;
  const { call } = request;
  if (request.kind === "consent") {
    output.err(
      colors.yellow(
        `🔐 The ${call.plugin} plugin asks to use the "${request.permission}" permission for the first time (${call.tool}).`,
      ),
    );
    return;
  }
  if (request.kind === "plan") {
    output.err(colors.yellow(`⚠ This request is a plan of ${request.steps?.length ?? 0} steps, and it changes things:`));
    for (const step of request.steps ?? []) output.err(`  ${colors.bold(step)}`);
    output.err(colors.yellow("  One yes runs them all (forbidden actions still never run; undo puts file changes back)."));
    return;
  }
  if (request.kind === "bulk") {
    // The summary says what will happen in the tool's own words; the "why" line gives the count.
    output.err(colors.yellow(`⚠ ${call.tool}: ${request.summary ?? `changes ${request.count} files`}`));
  } else {
    output.err(colors.yellow(`⚠ ${request.risk ?? "Confirm"}: ${call.plugin} wants to run ${call.tool}`));
    if (request.summary !== undefined) output.err(`  ${colors.bold(request.summary)}`);
    if (request.command !== undefined) output.err(`  command: ${colors.bold(request.command)}`);
    // A tool's own summary says in words what will happen; the raw arguments only where there is none.
    else if (request.summary === undefined && Object.keys(call.args).length > 0)
      output.err(`  with: ${JSON.stringify(call.args)}`);
  }
  for (const reason of request.reasons) output.err(colors.yellow(`  why: ${reason}`));
}

async function askOnTerminal(question: string): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}
