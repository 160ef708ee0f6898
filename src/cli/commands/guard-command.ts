import os from "node:os";
import { createInterface } from "node:readline";
import { loadConfig } from "../../config/load-config.js";
import { resolveXdgPaths } from "../../config/xdg-paths.js";
import { createUserRequest } from "../../core/types/user-request.js";
import { createAstrOSSafetyGuard } from "../../safety/astros-safety-guard.js";
import type { CommandVerdict } from "../../safety/command-guard/command-guard.js";
import type { Output } from "../output.js";

const exitCodes: Record<CommandVerdict["level"], number> = { SAFE: 0, MODERATE: 0, DANGEROUS: 3, FORBIDDEN: 4 };

export interface GuardCommandOptions {
  output: Output;
  /** The `--config` file, when given. */
  configPath?: string | undefined;
}

/**
 * The verdict the pipeline gives a command run in the current folder: the safety guard this configuration makes
 * (its allowed roots, AstrOS's own folders and state, the same construction the agent uses), the command's own
 * verdict, then the effect policy on what it deletes or moves and the path guard on the files it names, both
 * resolved from the current folder, as a command run through AstrOS here is judged.
 */
async function commandJudge(configPath: string | undefined): Promise<(command: string) => Promise<CommandVerdict>> {
  const loaded = await loadConfig(configPath === undefined ? {} : { env: { ...process.env, ASTROS_CONFIG: configPath } });
  const safety = createAstrOSSafetyGuard({
    config: loaded.config,
    xdgPaths: resolveXdgPaths({ env: process.env, homeDirectory: os.homedir() }),
  });
  const cwd = process.cwd();
  return async (command) => {
    const call = { request: createUserRequest({ text: command, context: { cwd }, metadata: { channel: "cli" } }) };
    const verdict = await safety.judgeCommand(command, { cwd });
    return safety.judgeNamedPaths(verdict, { call, cwd });
  };
}

/** `astros guard "cmd"`: the guard's verdict; exit 0 SAFE/MODERATE, 3 DANGEROUS, 4 FORBIDDEN. */
export async function guardOne(options: GuardCommandOptions & { command: string; json: boolean }): Promise<number> {
  const { command, output, json } = options;
  const verdict = await (await commandJudge(options.configPath))(command);
  if (json) {
    output.out(JSON.stringify(verdict, null, 2));
  } else {
    const { colors } = output;
    const paint = {
      SAFE: colors.green,
      MODERATE: colors.yellow,
      DANGEROUS: colors.red,
      FORBIDDEN: (text: string) => colors.bold(colors.red(text)),
    }[verdict.level];
    output.out(paint(verdict.level));
    for (const reason of verdict.reasons) output.out(`  ${reason}`);
  }
  return exitCodes[verdict.level];
}

/** `astros guard --jsonl`: `{"id","command"}` lines in, `{"id","level","reasons"}` lines out, in order. */
export async function guardLines(options: GuardCommandOptions): Promise<number> {
  const judge = await commandJudge(options.configPath);
  let lineNumber = 0;
  let exitCode = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (line.trim() === "") continue;
    let input: { id?: unknown; command?: unknown };
    try {
      input = JSON.parse(line) as { id?: unknown; command?: unknown };
    } catch {
      options.output.err(`line ${lineNumber}: not JSON; expected {"id": ..., "command": "..."}`);
      options.output.out(JSON.stringify({ id: null, level: "DANGEROUS", reasons: [`line ${lineNumber} is not valid JSON`] }));
      exitCode = 2;
      continue;
    }
    if (typeof input.command !== "string") {
      options.output.out(
        JSON.stringify({ id: input.id ?? null, level: "DANGEROUS", reasons: ["no command string on this line"] }),
      );
      exitCode = 2;
      continue;
    }
    const verdict = await judge(input.command);
    options.output.out(JSON.stringify({ id: input.id ?? null, level: verdict.level, reasons: verdict.reasons }));
  }
  return exitCode;
}
