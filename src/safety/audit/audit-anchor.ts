import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";
import type { AuditHead } from "./audit-chain.js";
import { wholeEntries } from "./audit-chain.js";
import { type AuditFile, readAuditLines } from "./audit-files.js";

/**
 * The audit log's anchor: the last entry written (its number and hash), kept in a file outside the log's folder
 * (beside AstrOS's database). Deleting or rewriting the log together with its head file (`find ~/.local/state -name
 * 'audit*' -delete`) leaves the anchor saying what was there, so the next start and `astros audit verify` notice.
 */
export function readAnchor(file: string): AuditHead | undefined {
  try {
    const anchor = JSON.parse(readFileSync(file, "utf8")) as Partial<AuditHead>;
    if (typeof anchor.seq !== "number" || typeof anchor.hash !== "string") return undefined;
    return {
      seq: anchor.seq,
      hash: anchor.hash,
      ...(typeof anchor.firstKept === "number" ? { firstKept: anchor.firstKept } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Write the anchor whole (a temporary file renamed over it, synced), in a folder only the owner can enter. */
export function writeAnchor(file: string, head: AuditHead): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const descriptor = openSync(temporary, "w", 0o600);
  try {
    writeSync(
      descriptor,
      JSON.stringify({ seq: head.seq, hash: head.hash, ...(head.firstKept === undefined ? {} : { firstKept: head.firstKept }) }),
    );
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, file);
}

/** The hash of entry `seq` in the log's files (oldest first), or undefined when the log has no such entry. */
function hashOfEntry(files: readonly AuditFile[], seq: number): string | undefined {
  let previous: string | undefined;
  for (const file of files) {
    for (const { entry } of wholeEntries(readAuditLines(file.path), previous)) {
      previous = typeof entry?.hash === "string" ? entry.hash : undefined;
      if (entry?.seq === seq) return entry.hash;
    }
  }
  return undefined;
}

/**
 * What the anchor says is wrong with the log: entries it remembers that are gone (the log and its head deleted or cut
 * short), or an entry it remembers that now reads differently (rewritten). `tip` is the log's own last entry, read
 * cheaply; the whole log is read only when the anchor is behind it (a crash between the two writes).
 */
export function anchorProblems(options: {
  anchorFile: string;
  files: readonly AuditFile[];
  tip: { seq: number; hash: string };
}): string[] {
  const anchor = readAnchor(options.anchorFile);
  if (anchor === undefined || anchor.seq === 0) return [];
  const where = `the anchor (${options.anchorFile})`;
  const { tip } = options;
  if (tip.seq === anchor.seq) {
    return tip.hash === anchor.hash
      ? []
      : [
          `${where} says entry ${anchor.seq} was ${anchor.hash}, but the log's entry ${tip.seq} is ${tip.hash || "missing"}: the log and its head were rewritten`,
        ];
  }
  if (tip.seq < anchor.seq) {
    return [
      tip.seq === 0
        ? `${where} says ${anchor.seq} entries were written, but the log has none: the audit log and its head were deleted`
        : `${where} says ${anchor.seq} entries were written, but the log ends at entry ${tip.seq}: entries were removed or the log and its head were rewritten`,
    ];
  }
  const found = hashOfEntry(options.files, anchor.seq);
  return found === anchor.hash
    ? []
    : [
        `${where} says entry ${anchor.seq} was ${anchor.hash}, but the log's entry ${anchor.seq} is ${found ?? "missing"}: the log and its head were rewritten`,
      ];
}

/** Where AstrOS keeps the audit log's anchor: beside its database, outside the folder the log is in. */
export function auditAnchorPath(dataDirectory: string): string {
  return path.join(dataDirectory, "audit.anchor");
}
