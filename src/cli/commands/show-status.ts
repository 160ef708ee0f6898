import type { SystemStatus } from "../../core/types/system-status.js";
import type { Output } from "../output.js";

export function renderStatus(status: SystemStatus, output: Output, json: boolean): void {
  if (json) {
    output.out(JSON.stringify(status, null, 2));
    return;
  }
  const { colors } = output;
  const state = status.status === "running" ? colors.green(status.status) : colors.yellow(status.status);
  output.out(`${colors.bold("AstrOS")} ${status.version}  ${state}`);
  output.out(`  uptime           ${status.uptime} s`);
  output.out(`  plugins loaded   ${status.pluginsLoaded}`);
  output.out(`  active sessions  ${status.activeSessions}`);
  output.out(`  memory           ${status.memoryUsage} MB`);
  output.out(`  cpu              ${status.cpuUsage} %`);
  output.out(`  storage          ${status.storage}`);
  if (status.ai !== undefined) {
    const ai = status.ai;
    output.out(
      `  ai               ${ai.provider}${ai.provider === "builtin" ? " (offline)" : ` ${ai.model}, routing ${ai.routing}`}`,
    );
    if (ai.requests > 0) {
      output.out(
        `  ai usage         ${ai.requests} calls, ${ai.inputTokens + ai.outputTokens} tokens (${ai.inputTokens} in, ${ai.outputTokens} out), about $${ai.costUsd.toFixed(4)}`,
      );
    }
  }
  for (const problem of status.pluginErrors) output.out(colors.red(`  plugin problem   ${problem.message}`));
}
