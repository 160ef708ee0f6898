import type { ProcessRecord } from "./proc-process-table.js";
import { shortCommand } from "./process-matching.js";

/** A row of a process listing. */
export interface ProcessRow {
  pid: number;
  name: string;
  command: string;
  user: string;
  memoryBytes: number;
  memoryPercent: number;
  cpuPercent?: number;
}

/** A process as data a program can use (commands capped, so one Java classpath cannot flood an answer). */
export function processData(process: ProcessRecord) {
  return {
    pid: process.pid,
    ppid: process.ppid,
    name: process.name,
    command: shortCommand(process.command, 1_000),
    user: process.user,
    uid: process.uid,
    state: process.state,
    memoryBytes: process.memoryBytes,
  };
}

/** One line for people: "1234 node (ann): node server.js" (long command lines cut at `length`). */
export function processLine(process: ProcessRecord, length = 100): string {
  return `${process.pid} ${process.name} (${process.user}): ${shortCommand(process.command, length)}`;
}
