import type { ExecResult } from "../../sdk.js";
import { abortableSleep } from "./abortable-sleep.js";
import { isStillRunning } from "./is-still-running.js";
import type { ProcessRecord } from "./proc-process-table.js";

export interface StopProcessesOptions {
  processes: readonly ProcessRecord[];
  /** SIGKILL at once instead of SIGTERM first. */
  force: boolean;
  /** The guarded `context.exec`: every signal is sent by a `kill` command the command guard judges and the audit log records. */
  exec: (command: string) => Promise<ExecResult>;
  /** How long SIGTERM gets before SIGKILL (default 3 s). */
  graceMilliseconds?: number;
  /** How long to wait for SIGKILL to take effect (default 2 s). */
  killWaitMilliseconds?: number;
  pollMilliseconds?: number;
  signal?: AbortSignal;
  progress?: (percent: number, message: string) => void;
}

export interface StoppedProcess {
  process: ProcessRecord;
  /** The signal that ended it, or "exited" when it was gone before any signal was sent. */
  by: "SIGTERM" | "SIGKILL" | "exited";
}

export interface StopOutcome {
  stopped: StoppedProcess[];
  /** The kernel refused to let us signal these (another user's). */
  notPermitted: ProcessRecord[];
  /** Still there after SIGKILL and the wait: not verified stopped. */
  stillRunning: ProcessRecord[];
}

/**
 * Stop processes the way a careful person would: SIGTERM (a chance to save and clean up), poll
 * until they are gone or the grace period passes, SIGKILL what remains, and check again. Success
 * is what /proc shows afterwards, never what `kill` printed.
 */
export async function stopProcesses(options: StopProcessesOptions): Promise<StopOutcome> {
  const { graceMilliseconds = 3_000, killWaitMilliseconds = 2_000, pollMilliseconds = 100 } = options;
  const outcome: StopOutcome = { stopped: [], notPermitted: [], stillRunning: [] };
  let remaining = options.processes.filter((process) => {
    if (isStillRunning(process)) return true;
    outcome.stopped.push({ process, by: "exited" });
    return false;
  });
  const rounds: { signal: "SIGTERM" | "SIGKILL"; waitMilliseconds: number }[] = options.force
    ? [{ signal: "SIGKILL", waitMilliseconds: killWaitMilliseconds }]
    : [
        { signal: "SIGTERM", waitMilliseconds: graceMilliseconds },
        { signal: "SIGKILL", waitMilliseconds: killWaitMilliseconds },
      ];
  for (const [index, round] of rounds.entries()) {
    if (remaining.length === 0) break;
    options.progress?.(
      Math.round(((index + 0.5) / rounds.length) * 100),
      `sending ${round.signal} to ${remaining.map((process) => process.pid).join(", ")}`,
    );
    const result = await options.exec(`kill -${round.signal.slice(3)} ${remaining.map((process) => process.pid).join(" ")}`);
    const refused = refusedPids(result.stderr);
    outcome.notPermitted.push(...remaining.filter((process) => refused.has(process.pid)));
    remaining = remaining.filter((process) => !refused.has(process.pid));
    const deadline = Date.now() + round.waitMilliseconds;
    while (true) {
      remaining = remaining.filter((process) => {
        if (isStillRunning(process)) return true;
        outcome.stopped.push({ process, by: round.signal });
        return false;
      });
      if (remaining.length === 0 || Date.now() >= deadline) break;
      await abortableSleep(pollMilliseconds, options.signal);
    }
  }
  outcome.stillRunning = remaining;
  return outcome;
}

/** The pids `kill` was not allowed to signal: bash reports "kill: (1234) - Operation not permitted". */
export function refusedPids(stderr: string): Set<number> {
  return new Set([...stderr.matchAll(/\((\d+)\) - Operation not permitted/g)].map((match) => Number(match[1])));
}
