import { type ProcessRecord, readProcessStat } from "./proc-process-table.js";

/**
 * Is this process still there? The same pid with the same start time (a reused pid is another
 * process), and not a zombie (it has exited; only its exit status waits to be collected).
 */
export function isStillRunning(process: Pick<ProcessRecord, "pid" | "startTicks">): boolean {
  const stat = readProcessStat(process.pid);
  return stat !== undefined && stat.startTicks === process.startTicks && stat.state !== "Z" && stat.state !== "X";
}
