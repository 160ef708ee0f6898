import path from "node:path";
import type { ProcessRecord } from "./proc-process-table.js";

/** The kernel keeps only the first 15 characters of a process's name. */
const kernelNameLength = 15;

/**
 * Is this the process called `name`? Its kernel name or its program's file name, exactly (case
 * aside): "node" is not "nodemon". Used to choose what to stop, so it is strict.
 */
export function isNamed(record: Pick<ProcessRecord, "name" | "program">, name: string): boolean {
  const wanted = name.trim().toLowerCase();
  if (wanted === "") return false;
  const kernelName = record.name.toLowerCase();
  const program = record.program === undefined ? undefined : path.basename(record.program).toLowerCase();
  return (
    kernelName === wanted ||
    program === wanted ||
    (wanted.length > kernelNameLength && kernelName.length === kernelNameLength && wanted.startsWith(kernelName))
  );
}

/** Does the process's name or command line mention `text`? Used to filter a listing, so it is loose. */
export function mentions(record: Pick<ProcessRecord, "name" | "command">, text: string): boolean {
  const wanted = text.trim().toLowerCase();
  return record.name.toLowerCase().includes(wanted) || record.command.toLowerCase().includes(wanted);
}

/** A command line cut to a readable length. */
export function shortCommand(command: string, length = 100): string {
  return command.length <= length ? command : `${command.slice(0, length - 1)}…`;
}
