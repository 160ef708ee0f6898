import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import { StorageError } from "../../core/errors/storage-error.js";

/** Digits in a rotated file's number (the sequence number of its first entry), so names sort in order. */
const numberDigits = 12;

/** The name a full log file takes when it is rotated: `audit.log.000000004213` for one whose first entry is 4213. */
export function rotatedFileName(file: string, firstSeq: number): string {
  return `${file}.${String(firstSeq).padStart(numberDigits, "0")}`;
}

/** One file of the log: the rotated ones first (oldest first), then the one being written. */
export interface AuditFile {
  path: string;
  /** The sequence number in the name of a rotated file; undefined for the file being written. */
  firstSeq?: number;
}

/** Every file of the log, oldest first: `audit.log.<first entry>` files in order, then `audit.log` itself. */
export function listAuditFiles(file: string): AuditFile[] {
  const folder = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [{ path: file }];
    throw new StorageError(`Cannot list the audit log folder ${folder}: ${(error as Error).message}`, { cause: error });
  }
  const rotated = names
    .flatMap((name) => {
      const match = name.startsWith(`${base}.`) ? /^(\d+)$/.exec(name.slice(base.length + 1)) : null;
      return match === null ? [] : [{ path: path.join(folder, name), firstSeq: Number(match[1]) }];
    })
    .sort((left, right) => left.firstSeq - right.firstSeq);
  return [...rotated, { path: file }];
}

/** The file's complete lines (an unfinished last line is left out); none when it does not exist. */
export function readAuditLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new StorageError(`Cannot read the audit log ${file}: ${(error as Error).message}`, { cause: error });
  }
  return text.split("\n").filter((line) => line !== "");
}

/** The first or the last complete line of a file, reading only that end of it. */
export function readEndLine(file: string, end: "first" | "last"): string | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(descriptor).size;
    for (let window = 64 * 1024; ; window *= 4) {
      const length = Math.min(size, window);
      const buffer = Buffer.alloc(length);
      readSync(descriptor, buffer, 0, length, end === "first" ? 0 : size - length);
      const lines = buffer
        .toString("utf8")
        .split("\n")
        .filter((line) => line !== "");
      if (lines.length === 0) return undefined;
      if (lines.length > 1 || length === size) return end === "first" ? lines[0] : lines.at(-1);
    }
  } finally {
    closeSync(descriptor);
  }
}
