import { createInterface } from "node:readline";
import { CommandGuard, type CommandVerdict } from "../../safety/command-guard/command-guard.js";
import type { Output } from "../output.js";

const exitCodes: Record<CommandVerdict["level"], number> = { SAFE: 0, MODERATE: 0, DANGEROUS: 3, FORBIDDEN: 4 };

/** `astros guard "cmd"`: the guard's verdict; exit 0 SAFE/MODERATE, 3 DANGEROUS, 4 FORBIDDEN. */
export async function guardOne(options: { command: string; output: Output; json: boolean }): Promise<number> {
  const { command, output, json } = options;
  const verdict = (await CommandGuard.create()).check(command);
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
export async function guardLines(options: { output: Output }): Promise<number> {
  const guard = await CommandGuard.create();
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
    const verdict = guard.check(input.command);
    options.output.out(JSON.stringify({ id: input.id ?? null, level: verdict.level, reasons: verdict.reasons }));
  }
  return exitCode;
}
