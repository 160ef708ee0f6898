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

/** A structured JSON logger on standard error (standard output stays for answers). */
export function createLogger(options: { level: LogLevel; destination?: NodeJS.WritableStream }): Logger {
  const base = pino({ level: options.level, base: null }, options.destination ?? process.stderr);
  return wrap(base);
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
