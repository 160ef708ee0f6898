import { abortableSleep } from "./abortable-sleep.js";
import { mapInSlices } from "./map-in-slices.js";
import { readProcessStat } from "./proc-process-table.js";
import { readSystemCpuTicks, type SystemCpuTicks } from "./system-cpu-ticks.js";

export interface CpuSampleOptions {
  /** The readings taken with the processes' own (the first sample). */
  before: SystemCpuTicks;
  /** How long to watch, in milliseconds. */
  intervalMilliseconds: number;
  signal?: AbortSignal;
}

/**
 * Each process's CPU use over a short window, as `top` shows it: percent of one core (a busy
 * process with four threads can show 400). One reading is what the table already holds (its
 * cpuTicks); the other is taken after the interval. The window is measured in the machine's own
 * ticks (/proc/stat), so no clock-tick constant is assumed. Processes gone meanwhile get no entry.
 */
export async function sampleCpuUsage(
  processes: readonly { pid: number; cpuTicks: number; startTicks: number }[],
  options: CpuSampleOptions,
): Promise<Map<number, number>> {
  await abortableSleep(options.intervalMilliseconds, options.signal);
  const after = readSystemCpuTicks();
  const stats = await mapInSlices(processes, (process) => readProcessStat(process.pid));
  const ticksPerCore = (after.totalTicks - options.before.totalTicks) / after.cores;
  const usage = new Map<number, number>();
  processes.forEach((process, index) => {
    const stat = stats[index];
    // Gone, or the pid now names a different process: no reading.
    if (stat === undefined || stat.startTicks !== process.startTicks || ticksPerCore <= 0) return;
    usage.set(process.pid, Math.max(0, ((stat.cpuTicks - process.cpuTicks) / ticksPerCore) * 100));
  });
  return usage;
}
