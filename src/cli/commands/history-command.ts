import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { historyOf } from "../../exec/journal/undo-operation.js";
import { cliRequestContext } from "../create-cli-agent.js";
import type { Output } from "../output.js";

/** `astros history`: the user's journaled file operations, newest first. */
export async function showHistory(options: { agent: AstrOSAgent; output: Output; limit: number; json: boolean }): Promise<void> {
  const { agent, output } = options;
  const operations = (await historyOf(agent.journal, cliRequestContext().userId)).slice(0, options.limit);
  if (options.json) {
    output.out(JSON.stringify(operations, null, 2));
    return;
  }
  const { colors } = output;
  if (operations.length === 0) {
    output.out("No file changes yet.");
    return;
  }
  for (const operation of operations) {
    const state =
      operation.state === "committed"
        ? colors.green("done")
        : operation.state === "undone"
          ? colors.yellow("undone")
          : colors.dim(operation.state);
    const changes = `${String(operation.changes).padStart(5)} ${operation.changes === 1 ? "change " : "changes"}`;
    output.out(
      `${colors.bold(operation.id)}  ${localTime(operation.startedAt)}  ${state.padEnd(6)}  ${changes}  ${operation.description}`,
    );
  }
  output.out(colors.dim("Undo the newest with `astros undo`, or one of these with `astros undo <id>`."));
}

/** When an operation started, in this computer's time zone (as the person lived it): "2026-03-18 17:05:09". */
function localTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
