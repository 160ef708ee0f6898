import { pino } from "pino";
import type { Logger } from "./logger.js";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

const secretKey = /pass(word)?|secret|token|api[_-]?key|authorization|credential/i;

/** Replace values of secret-looking fields so they never reach a log. */
export function redactFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (fields === undefined) return undefined;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) result[key] = secretKey.test(key) ? "[redacted]" : value;
  return result;
}

export type LogFormat = "auto" | "text" | "json";

/**
 * A structured logger on standard error (standard output stays for answers): JSON lines for log
 * collectors, or one readable line each for a person (`auto`: text when standard error is a terminal).
 */
export function createLogger(options: { level: LogLevel; format?: LogFormat; destination?: NodeJS.WritableStream }): Logger {
  const destination = options.destination ?? process.stderr;
  const text = options.format === "text" || (options.format !== "json" && (destination as { isTTY?: boolean }).isTTY === true);
  const base = pino({ level: options.level, base: null }, text ? readableLines(destination) : destination);
  return wrap(base);
}

const levelNames: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warning", 50: "error", 60: "fatal" };

/** A pino destination that turns each JSON line into `astros warning: message (field: value, …)`. */
function readableLines(destination: NodeJS.WritableStream): { write(line: string): void } {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        destination.write(line);
        return;
      }
      const { level, time: _time, msg, ...fields } = entry;
      const shown = Object.entries(fields).map(
        ([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`,
      );
      const name = levelNames[Number(level)] ?? String(level);
      destination.write(`astros ${name}: ${String(msg ?? "")}${shown.length > 0 ? ` (${shown.join(", ")})` : ""}\n`);
    },
  };
}

function wrap(instance: pino.Logger): Logger {
  const at = (level: "trace" | "debug" | "info" | "warn" | "error") => (message: string, fields?: Record<string, unknown>) => {
    const clean = redactFields(fields);
    if (clean === undefined) instance[level](message);
    else instance[level](clean, message);
  };
  return {
    trace: at("trace"),
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (bindings) => wrap(instance.child(redactFields(bindings) ?? {})),
  };
}
