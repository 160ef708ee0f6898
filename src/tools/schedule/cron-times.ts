/** The cron library, loaded on first use: most commands never need it. */
let croner: Promise<typeof import("croner")> | undefined;

export type CronCheck = { ok: true; nextRuns: number[] } | { ok: false; reason: string };

/**
 * Checks a five-field cron expression (minute hour day-of-month month day-of-week, read in `timezone`)
 * and gives its next `count` run times after `after` (epoch milliseconds). An expression that
 * never matches a date is an error too.
 */
export async function cronRunTimes(options: {
  expression: string;
  timezone: string;
  after: number;
  count: number;
}): Promise<CronCheck> {
  const expression = options.expression.trim().replace(/\s+/g, " ");
  if (expression.split(" ").length !== 5) {
    return {
      ok: false,
      reason: `"${options.expression}" is not a cron expression of five fields (minute hour day month weekday)`,
    };
  }
  croner ??= import("croner");
  const { Cron } = await croner;
  let job: InstanceType<typeof Cron>;
  try {
    job = new Cron(expression, { mode: "5-part", timezone: options.timezone });
  } catch (error) {
    const reason = ((error as Error)?.message ?? String(error)).replace(/^CronPattern: /, "");
    return { ok: false, reason: `"${options.expression}" is not a valid cron expression: ${reason}` };
  }
  const nextRuns = job.nextRuns(options.count, new Date(options.after)).map((date) => date.getTime());
  if (nextRuns.length === 0) return { ok: false, reason: `"${options.expression}" never comes due (no date matches it)` };
  return { ok: true, nextRuns };
}

/** The time zone of this machine's clock (what local times mean). */
export function localTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
