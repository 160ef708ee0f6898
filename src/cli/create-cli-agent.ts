import os from "node:os";
import type { AstrOSAgent } from "../core/agent/astros-agent.js";
import type { ConfirmationChannel } from "../core/agent/pipeline-seams.js";
import type { Output } from "./output.js";

export interface GlobalOptions {
  json?: boolean;
  config?: string;
  color?: boolean;
  debug?: boolean;
}

/** Start an agent configured from files, environment and the CLI's own options. */
export async function startCliAgent(options: GlobalOptions): Promise<AstrOSAgent> {
  const { AstrOSAgent } = await import("../core/agent/astros-agent.js");
  const agent = new AstrOSAgent({
    ...(options.config === undefined ? {} : { configPath: options.config }),
    ...(options.debug ? { configOverrides: { log_level: "debug" } } : {}),
  });
  await agent.start();
  return agent;
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

/** Ask on the terminal; with no terminal there is no channel, so the answer is no. */
export function terminalConfirmation(output: Output): ConfirmationChannel | undefined {
  if (!output.interactive) return undefined;
  return async ({ call, reasons }) => {
    const { createInterface } = await import("node:readline/promises");
    const { colors } = output;
    output.err(colors.yellow(`⚠ ${call.plugin} wants to run ${call.tool} with ${JSON.stringify(call.args)}`));
    for (const reason of reasons) output.err(colors.yellow(`  because: ${reason}`));
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question("Proceed? [y/N] ");
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      prompt.close();
    }
  };
}
