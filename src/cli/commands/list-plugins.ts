import type { PluginStatus } from "../../core/types/system-status.js";
import type { Output } from "../output.js";

export function renderPlugins(
  plugins: PluginStatus[],
  problems: { source: string; message: string }[],
  output: Output,
  json: boolean,
): void {
  if (json) {
    output.out(JSON.stringify({ plugins, problems }, null, 2));
    return;
  }
  const { colors } = output;
  const nameWidth = Math.max(4, ...plugins.map((plugin) => plugin.name.length));
  const versionWidth = Math.max(7, ...plugins.map((plugin) => plugin.version.length));
  output.out(colors.bold(`${"NAME".padEnd(nameWidth)}  ${"VERSION".padEnd(versionWidth)}  STATUS    DESCRIPTION`));
  for (const plugin of plugins) {
    const status =
      plugin.status === "active"
        ? colors.green("active  ")
        : plugin.status === "disabled"
          ? colors.dim("disabled")
          : colors.red("failed  ");
    output.out(`${plugin.name.padEnd(nameWidth)}  ${plugin.version.padEnd(versionWidth)}  ${status}  ${plugin.description}`);
  }
  for (const problem of problems) output.err(colors.red(`✗ ${problem.message}`));
}
