/**
 * The processes a response's data names, by pid: a listing's `processes`, a port's `listeners` (those AstrOS could
 * see); of a plan, its last step's; of an AI turn, its last tool's. What "stop it" and "kill them" stand for next.
 */
export function processesFound(data: Record<string, unknown> | undefined): number[] {
  if (data === undefined) return [];
  const steps = data.steps;
  if (Array.isArray(steps) && steps.length > 0)
    return processesFound((steps[steps.length - 1] as { data?: Record<string, unknown> }).data);
  if (typeof data.result === "object" && data.result !== null && !Array.isArray(data.result))
    return processesFound(data.result as Record<string, unknown>);
  for (const key of ["processes", "listeners"]) {
    const value = data[key];
    if (!Array.isArray(value)) continue;
    const pids = value.flatMap((item) => {
      const pid = (item as { pid?: unknown })?.pid;
      return typeof pid === "number" && Number.isInteger(pid) && pid > 0 ? [pid] : [];
    });
    return [...new Set(pids)];
  }
  return [];
}
