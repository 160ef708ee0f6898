import { findPortListeners } from "./find-port-listeners.js";
import { type ProcessRecord, readProcess, readProcessTable } from "./proc-process-table.js";
import { isNamed } from "./process-matching.js";
import { readUserNames } from "./user-names.js";

export interface KillSelector {
  pid?: number | undefined;
  pids?: readonly number[] | undefined;
  name?: string | undefined;
  port?: number | undefined;
}

/** Who is running the kill: these processes are never stopped, and only their own can be signalled. */
export interface Stopper {
  pid: number;
  parentPid: number;
  /** The effective uid (0: may signal anyone). */
  uid: number;
}

export interface SparedProcess {
  process: ProcessRecord;
  reason: string;
}

export interface KillTargets {
  /** What the selector named, in words ("pid 42", "the process listening on port 3000"). */
  described: string;
  /** The processes to stop (the user is asked about exactly these). */
  targets: ProcessRecord[];
  /** Matched, but never stopped: init, AstrOS itself, its parent, kernel threads, zombies. */
  spared: SparedProcess[];
  /** Matched, but another user's, which we may not signal. */
  notPermitted: ProcessRecord[];
  /** Sockets on the port whose process we could not see. */
  hiddenSockets: number;
}

/** Why a process must never be stopped by AstrOS ("it is AstrOS itself"), if it must not. */
export function protectedReason(process: ProcessRecord, stopper: Stopper): string | undefined {
  if (process.pid === 1) return "it is the system's init process; stopping it would bring the whole system down";
  if (process.pid === stopper.pid) return "it is AstrOS itself";
  if (process.pid === stopper.parentPid) return "it is the program that started AstrOS";
  if (process.kernelThread) return "it is a kernel thread, which cannot be stopped";
  if (process.state === "Z") return `it has already exited; its parent (pid ${process.ppid}) has yet to collect it`;
  return undefined;
}

/**
 * Turn a kill request into concrete processes: by pid, by the process listening on a port, or
 * by name (exactly; see `isNamed`). A name given with a pid or port must match it too, so "kill
 * node on port 3000" never stops something else. Protected processes and other users' are set
 * apart, never silently dropped.
 */
export async function resolveKillTargets(selector: KillSelector, stopper: Stopper): Promise<KillTargets> {
  let matched: ProcessRecord[];
  let described: string;
  let hiddenSockets = 0;
  if (selector.pid !== undefined) {
    described = `pid ${selector.pid}`;
    const record = readProcess(selector.pid, await readUserNames());
    matched = record === undefined ? [] : [record];
  } else if (selector.pids !== undefined && selector.pids.length > 0) {
    const pids = [...new Set(selector.pids)];
    described = pids.length === 1 ? `pid ${pids[0]}` : `pids ${pids.join(", ")}`;
    const users = await readUserNames();
    matched = pids.flatMap((pid) => readProcess(pid, users) ?? []);
  } else if (selector.port !== undefined) {
    described = `the process listening on port ${selector.port}`;
    const found = await findPortListeners(selector.port);
    matched = found.processes;
    hiddenSockets = found.hiddenSockets;
  } else if (selector.name !== undefined) {
    described = `processes named "${selector.name}"`;
    matched = (await readProcessTable()).filter((record) => isNamed(record, selector.name ?? ""));
  } else {
    return { described: "nothing", targets: [], spared: [], notPermitted: [], hiddenSockets };
  }
  if (selector.name !== undefined && (selector.pid !== undefined || selector.pids !== undefined || selector.port !== undefined)) {
    described = `${described} named "${selector.name}"`;
    matched = matched.filter((record) => isNamed(record, selector.name ?? ""));
  }
  const targets: ProcessRecord[] = [];
  const spared: SparedProcess[] = [];
  const notPermitted: ProcessRecord[] = [];
  for (const process of matched) {
    const reason = protectedReason(process, stopper);
    if (reason !== undefined) spared.push({ process, reason });
    else if (stopper.uid !== 0 && process.uid !== stopper.uid) notPermitted.push(process);
    else targets.push(process);
  }
  return { described, targets, spared, notPermitted, hiddenSockets };
}
