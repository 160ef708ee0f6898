import type { LogConfig, LogEvent } from "kysely";

/** `true` prints each SQL statement to standard error; a function receives each line instead. Values are never shown. */
export type QueryEcho = boolean | ((line: string) => void);

/** Turns the `echo` option into Kysely's `log` setting (undefined when echo is off). */
export function createQueryLog(echo: QueryEcho | undefined): LogConfig | undefined {
  if (echo === undefined || echo === false) return undefined;
  const write = echo === true ? (line: string) => process.stderr.write(`${line}\n`) : echo;
  return (event: LogEvent) => {
    const duration = `${event.queryDurationMillis.toFixed(1)}ms`;
    const statement = event.query.sql.replace(/\s+/g, " ").trim();
    if (event.level === "error") {
      const reason = event.error instanceof Error ? event.error.message : String(event.error);
      write(`[sql ${duration} failed] ${statement} -- ${reason}`);
    } else {
      write(`[sql ${duration}] ${statement}`);
    }
  };
}
