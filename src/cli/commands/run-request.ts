import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { type ConfirmationChannel, noWayToAsk } from "../../agent/pipeline-seams.js";
import type { AgentEvent } from "../../core/events/agent-event.js";
import type { Response } from "../../core/types/response.js";
import { cliRequestContext, terminalConfirmation } from "../create-cli-agent.js";
import type { Output } from "../output.js";
import { renderResponse, responseJson } from "../render-response.js";

/** Run one request and show the answer; returns the exit code (0 success, 1 not done). */
export async function runRequest(options: {
  agent: AstrOSAgent;
  text: string;
  output: Output;
  json: boolean;
  sessionId: string;
  /** How to ask for confirmation (default: a prompt on the terminal, none without one). */
  confirm?: ConfirmationChannel | undefined;
  /** Run this tool directly instead of recognizing the text (CLI subcommands such as `undo`). */
  tool?: { name: string; args: Record<string, unknown> };
  /** Cancels the request (Ctrl-C in the REPL). */
  signal?: AbortSignal;
}): Promise<{ exitCode: number; response: Response }> {
  const { agent, text, output, json, sessionId } = options;
  let streamed = false;
  let midLine = false;
  const showProgress = !json && process.stderr.isTTY === true;
  const onEvent = (event: AgentEvent) => {
    if (json) return;
    if (event.type === "text_delta") {
      streamed = true;
      process.stdout.write(event.delta);
      midLine = !event.delta.endsWith("\n");
    } else if (showProgress && event.type === "tool_call") {
      if (midLine) process.stdout.write("\n");
      midLine = false;
      const args = JSON.stringify(event.args);
      output.err(output.colors.dim(`→ ${event.tool} ${args.length > 160 ? `${args.slice(0, 157)}...` : args}`));
    } else if (
      showProgress &&
      event.type === "status" &&
      event.status === "processing" &&
      event.progress !== undefined &&
      event.progress > 0
    ) {
      output.err(output.colors.dim(`… ${event.message} (${Math.round(event.progress)}%)`));
    }
  };
  const channel = "confirm" in options ? options.confirm : terminalConfirmation(output);
  // A question starts on a line of its own, even in the middle of streamed text.
  const confirm: ConfirmationChannel | undefined =
    channel === undefined
      ? undefined
      : Object.assign(
          async (question: Parameters<ConfirmationChannel>[0]) => {
            if (midLine) process.stdout.write("\n");
            midLine = false;
            return channel(question);
          },
          channel.inAdvance === undefined ? {} : { inAdvance: channel.inAdvance },
          channel.live === undefined ? {} : { live: channel.live },
        );
  const response = await agent.processRequest(
    { text, sessionId, ...cliRequestContext() },
    {
      onEvent,
      ...(confirm === undefined ? {} : { confirm }),
      ...(options.tool === undefined ? {} : { tool: options.tool }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
  );
  if (streamed && midLine) process.stdout.write("\n");
  if (json) output.out(responseJson(response));
  else renderResponse(response, output, { streamed });
  if (!json && confirm === undefined && !response.success && neededConfirmation(response)) {
    output.err(
      output.colors.dim(
        "Tip: nobody could be asked to confirm (no terminal). Run it from a terminal, or add --yes to confirm this one command's risky steps in advance.",
      ),
    );
  }
  return { exitCode: response.success ? 0 : 1, response };
}

/** Whether a refusal came from a confirmation that could not be asked for. */
function neededConfirmation(response: Response): boolean {
  return response.message.includes(noWayToAsk);
}
