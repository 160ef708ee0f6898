import { createHash } from "node:crypto";
import path from "node:path";
import type { AuditEntry } from "../../agent/pipeline-seams.js";
import { type AuditFile, readAuditLines } from "./audit-files.js";

/** An entry as stored: numbered and chained to the one before it. */
export interface StoredAuditEntry extends AuditEntry {
  seq: number;
  /** Hash of the previous entry ("" for the first). */
  prev: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** What is wrong, first problem first (line numbers are 1-based, within the file named). */
  problems: string[];
  /** The files checked, oldest first. */
  files: string[];
  /** The first entry kept: above 1 once rotation has removed the oldest files. */
  firstSeq: number;
}

export const genesis = "";
/** Fields a line leaves out when they equal the line before's (same file): most entries of a request share them. */
export const contextKeys = ["requestId", "userId", "sessionId"] as const;

/** Canonical JSON: keys sorted at every level, so the hash does not depend on key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value as Record<string, unknown>)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function parseLine(line: string | undefined): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = line === undefined ? undefined : JSON.parse(line);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Hex digits of an entry's sha256 kept on its line: 128 bits, plenty to detect edits (logs written before kept all 64). */
const storedHashLength = 32;

export function hashOf(entry: Omit<StoredAuditEntry, "hash">): string {
  return createHash("sha256").update(canonical(entry)).digest("hex").slice(0, storedHashLength);
}

/** Whether a stored hash is the entry's: its first 32 hex digits, or all 64 on lines written before. */
export function hashMatches(entry: Omit<StoredAuditEntry, "hash">, stored: unknown): boolean {
  if (typeof stored !== "string" || stored.length < storedHashLength) return false;
  return createHash("sha256").update(canonical(entry)).digest("hex").startsWith(stored);
}

export function contextOf(entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(contextKeys.map((key) => [key, entry[key]]));
}

/**
 * One line as written: `prev` only on a file's first line (each later line follows the line before
 * it), and the request, user and session left out when they equal the previous line's.
 */
export function storedLine(entry: StoredAuditEntry, previousContext: Record<string, unknown> | undefined): string {
  const { prev, ...rest } = entry;
  const line: Record<string, unknown> = previousContext === undefined ? { ...rest, prev } : { ...rest };
  if (previousContext !== undefined) for (const key of contextKeys) if (line[key] === previousContext[key]) delete line[key];
  return JSON.stringify(line);
}

/** A file's lines made whole again (context filled in from the line before, `prev` from its hash); undefined for a line that is not JSON. */
export function* wholeEntries(lines: readonly string[], previousHash: string | undefined) {
  let context: Record<string, unknown> = {};
  let previous = previousHash;
  for (const [index, line] of lines.entries()) {
    const stored = parseLine(line);
    if (stored === undefined) {
      yield { index, entry: undefined };
      previous = undefined;
      continue;
    }
    const whole = { ...context, ...stored } as Record<string, unknown>;
    if (whole.prev === undefined) whole.prev = previous;
    context = contextOf(whole);
    previous = typeof whole.hash === "string" ? whole.hash : undefined;
    yield { index, entry: whole as unknown as StoredAuditEntry };
  }
}

/** What the head file says: the last entry written, and the oldest entry rotation kept. */
export interface AuditHead {
  seq: number;
  hash: string;
  /** The oldest entry kept after rotation removed older files. */
  firstKept?: number;
}

/** Check the chain across the files given (oldest first) against the head. See `AuditLogger.verify`. */
export function verifyAuditChain(options: { files: readonly AuditFile[]; head: AuditHead }): AuditVerification {
  const { files, head } = options;
  const problems: string[] = [];
  let previous: string | undefined;
  let expectedSeq: number | undefined;
  let firstSeq = 0;
  let entries = 0;
  let last: { seq: number; hash: string } | undefined;
  const recent = new Map<number, string>();
  for (const file of files) {
    const lines = readAuditLines(file.path);
    const name = path.basename(file.path);
    for (const { index, entry } of wholeEntries(lines, previous)) {
      const where = `${name}, line ${index + 1}`;
      entries++;
      if (entry === undefined) {
        problems.push(`${where}: not valid JSON (edited or corrupted)`);
        previous = undefined;
        continue;
      }
      const { hash, ...body } = entry;
      if (index === 0 && parseLine(lines[0])?.prev === undefined)
        problems.push(`${where}: a file's first entry must carry the hash of the entry before it (the file was edited)`);
      if (expectedSeq === undefined) {
        firstSeq = entry.seq;
        const kept = head.firstKept ?? 1;
        if (entry.seq === 1 && entry.prev !== genesis)
          problems.push(`${where}: the first entry does not start the chain (edited)`);
        if (entry.seq > kept)
          problems.push(
            `${where}: the history starts at entry ${entry.seq}, but entries from ${kept} on were kept (the oldest file was removed outside rotation)`,
          );
      } else {
        if (entry.seq !== expectedSeq) {
          problems.push(
            index === 0 && typeof entry.seq === "number" && entry.seq > expectedSeq
              ? `${where}: entry number ${entry.seq} where ${expectedSeq} was expected (entries ${expectedSeq} to ${entry.seq - 1} are missing: a file before ${name} was removed)`
              : `${where}: entry number ${entry.seq} where ${expectedSeq} was expected (an entry was removed, inserted or moved)`,
          );
        }
        if (previous !== undefined && entry.prev !== previous)
          problems.push(`${where}: does not follow the entry before it (removed, inserted or reordered entries)`);
      }
      if (!hashMatches(body, hash)) problems.push(`${where}: content does not match its hash (entry ${entry.seq} was edited)`);
      previous = hash;
      expectedSeq = (typeof entry.seq === "number" ? entry.seq : (expectedSeq ?? 0)) + 1;
      last = { seq: entry.seq, hash };
      recent.set(entry.seq, hash);
      recent.delete(entry.seq - 16);
    }
  }
  const lastSeq = last?.seq ?? 0;
  const headHash = recent.get(head.seq);
  if (head.seq > lastSeq || (head.seq > 0 && headHash !== undefined && headHash !== head.hash)) {
    problems.push(`the log ends at entry ${lastSeq} but ${head.seq} were written (entries were removed from the end)`);
  }
  return { ok: problems.length === 0, entries, problems, files: files.map((file) => file.path), firstSeq: firstSeq || 1 };
}
