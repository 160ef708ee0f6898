import os from "node:os";
import { createInterface } from "node:readline";
import v8 from "node:v8";
import { CommanderError } from "commander";
import { firstPartyPhrases } from "../../agent/first-party-phrases.js";
import { diskLookup } from "../../intent/entities/path-exists.js";
import type { ParseContext } from "../../intent/parse-context.js";
import { type ParsedRequest, parseRequest } from "../../intent/parse-request.js";
import type { Output } from "../output.js";

export interface ParseCommandOptions {
  now?: string;
  cwd?: string;
}

/** The reference context of `astros parse`: --now and --cwd, else the clock and the current folder. */
export function parseContextOf(options: ParseCommandOptions): ParseContext {
  const now = options.now === undefined ? new Date() : new Date(options.now);
  if (Number.isNaN(now.getTime())) {
    throw new CommanderError(
      2,
      "astros.parse",
      `astros parse: --now "${options.now}" is not a date-time (e.g. 2026-03-18T10:00:00Z)`,
    );
  }
  return { now, cwd: options.cwd ?? process.cwd(), home: process.env.HOME ?? os.homedir() };
}

function lineOf(id: unknown, parsed: ParsedRequest): string {
  return JSON.stringify({
    id,
    intent: parsed.intent,
    confidence: Math.round(parsed.confidence * 1000) / 1000,
    slots: parsed.slots,
    ...(parsed.plan === undefined ? {} : { plan: parsed.plan }),
  });
}

/** `astros parse "text"`: what the builtin engine understands, without doing anything. */
export function parseOne(options: ParseCommandOptions & { text: string; output: Output; json: boolean }): number {
  // One request is shown as it would run here: its names read against what exists (the --jsonl batch does not look).
  const parsed = parseRequest(options.text, {
    context: { ...parseContextOf(options), exists: diskLookup() },
    rules: [firstPartyPhrases()],
  });
  if (options.json) {
    options.output.out(JSON.stringify(parsed, null, 2));
    return parsed.intent === "unknown" ? 1 : 0;
  }
  const { colors } = options.output;
  const steps = parsed.plan ?? [parsed];
  steps.forEach((step, index) => {
    const prefix = steps.length > 1 ? `${index + 1}. ` : "";
    options.output.out(`${prefix}${colors.bold(step.intent)} ${colors.dim(`(confidence ${step.confidence.toFixed(2)})`)}`);
    for (const [key, value] of Object.entries(step.slots)) options.output.out(`  ${key}: ${JSON.stringify(value)}`);
  });
  return parsed.intent === "unknown" ? 1 : 0;
}

/**
 * `astros parse --jsonl`: `{"id","text"}` lines on stdin, one `{"id","intent","confidence","slots"}`
 * line out for each, in order. Touches no file: the same answers on any machine.
 */
export async function parseLines(options: ParseCommandOptions & { output: Output }): Promise<number> {
  // A batch run is mostly the grammar's regular expressions and short-lived strings: compile the
  // expressions to machine code at once, and give the young generation room (fewer scavenges).
  v8.setFlagsFromString("--no-regexp-tier-up");
  v8.setFlagsFromString("--max-semi-space-size=32");
  const context = parseContextOf(options);
  const rules = [firstPartyPhrases()];
  let lineNumber = 0;
  let exitCode = 0;
  let pending: string[] = [];
  const flush = () => {
    if (pending.length > 0) process.stdout.write(`${pending.join("\n")}\n`);
    pending = [];
  };
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (line.trim() === "") continue;
    let input: { id?: unknown; text?: unknown };
    try {
      input = JSON.parse(line) as { id?: unknown; text?: unknown };
    } catch {
      options.output.err(`line ${lineNumber}: not JSON; expected {"id": ..., "text": "..."}`);
      pending.push(lineOf(null, { intent: "unknown", confidence: 0, slots: {} }));
      exitCode = 2;
      continue;
    }
    if (typeof input.text !== "string") {
      options.output.err(`line ${lineNumber}: no "text" string`);
      pending.push(lineOf(input.id ?? null, { intent: "unknown", confidence: 0, slots: {} }));
      exitCode = 2;
      continue;
    }
    pending.push(lineOf(input.id ?? null, parseRequest(input.text, { context, rules })));
    if (pending.length >= 256) flush();
  }
  flush();
  return exitCode;
}
