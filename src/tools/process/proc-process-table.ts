import { readdirSync, readFileSync } from "node:fs";
import { mapInSlices } from "./map-in-slices.js";
import { readUserNames } from "./user-names.js";

/** One process as /proc shows it. */
export interface ProcessRecord {
  pid: number;
  ppid: number;
  /** The kernel's short name (`comm`, at most 15 characters). */
  name: string;
  /** The full command line, or `[name]` for a kernel thread (which has none). */
  command: string;
  /** The program as started (argv[0]), when there is a command line. */
  program?: string;
  uid: number;
  user: string;
  /** R running, S sleeping, D disk wait, Z zombie, T stopped, I idle (kernel thread)... */
  state: string;
  /** Resident memory in bytes. */
  memoryBytes: number;
  /** User + system CPU time so far, in clock ticks. */
  cpuTicks: number;
  /** When it started, in clock ticks after boot: with the pid, it names this process and no later one. */
  startTicks: number;
  /** True for kernel threads (no command line, children of kthreadd). */
  kernelThread: boolean;
}

/** The fields of /proc/<pid>/stat a snapshot needs. */
export interface ProcessStat {
  pid: number;
  name: string;
  state: string;
  ppid: number;
  cpuTicks: number;
  startTicks: number;
}

/**
 * Parse /proc/<pid>/stat. The name sits in parentheses and may itself contain spaces and
 * parentheses, so the fields are counted from the last ")".
 */
export function parseProcessStat(text: string): ProcessStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  // fields[0] is field 3 of proc(5): state; then ppid (4), utime (14), stime (15), starttime (22).
  const fields = text
    .slice(close + 1)
    .trim()
    .split(" ");
  const field = (index: number) => Number(fields[index] ?? Number.NaN);
  const stat = {
    pid: Number(text.slice(0, open).trim()),
    name: text.slice(open + 1, close),
    state: fields[0] ?? "?",
    ppid: field(1),
    cpuTicks: field(11) + field(12),
    startTicks: field(19),
  };
  return Number.isInteger(stat.pid) && Number.isFinite(stat.cpuTicks) && Number.isFinite(stat.startTicks) ? stat : undefined;
}

/** The pids /proc lists now. */
export function listPids(): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** Read one process's stat line; undefined when it is gone (or hidden from us). */
export function readProcessStat(pid: number): ProcessStat | undefined {
  const text = readOrUndefined(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseProcessStat(text);
}

/** Read one process fully; undefined when it is gone. */
export function readProcess(pid: number, userName: (uid: number) => string): ProcessRecord | undefined {
  const stat = readProcessStat(pid);
  const status = readOrUndefined(`/proc/${pid}/status`);
  if (stat === undefined || status === undefined) return undefined;
  const commandLine = readOrUndefined(`/proc/${pid}/cmdline`) ?? "";
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  const residentKilobytes = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
  // Arguments end with NUL each; a process that renamed itself (setproctitle) may leave one string
  // padded with spaces or NULs instead.
  const trimmed = commandLine.replace(/[\0\s]+$/, "");
  const argv = trimmed === "" ? [] : trimmed.split("\0");
  const program = argv[0];
  return {
    pid,
    ppid: stat.ppid,
    name: stat.name,
    command: argv.length === 0 ? `[${stat.name}]` : argv.join(" "),
    ...(program === undefined || program === "" ? {} : { program }),
    uid,
    user: Number.isFinite(uid) ? userName(uid) : "?",
    state: stat.state,
    memoryBytes: residentKilobytes * 1024,
    cpuTicks: stat.cpuTicks,
    startTicks: stat.startTicks,
    kernelThread: argv.length === 0 && (stat.ppid === 2 || pid === 2),
  };
}

/** Every process /proc shows now (those that exit while it is read are skipped). */
export async function readProcessTable(): Promise<ProcessRecord[]> {
  const userName = await readUserNames();
  const records = await mapInSlices(listPids(), (pid) => readProcess(pid, userName));
  return records.filter((record) => record !== undefined);
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
