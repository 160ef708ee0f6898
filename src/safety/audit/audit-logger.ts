import { createHash } from "node:crypto";
import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmdirSync,
  statSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import type { AuditEntry, AuditSink } from "../../agent/pipeline-seams.js";
import { StorageError } from "../../core/errors/storage-error.js";
import { redactForAudit } from "./redact-audit-text.js";

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
  /** What is wrong, first problem first (line numbers are 1-based). */
  problems: string[];
}

const genesis = "";
const lockStaleMilliseconds = 10_000;

/** Canonical JSON: keys sorted at every level, so the hash does not depend on key order. */
function canonical(value: unknown): string {
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

function parseLine(line: string | undefined): StoredAuditEntry | undefined {
  try {
    return line === undefined ? undefined : (JSON.parse(line) as StoredAuditEntry);
  } catch {
    return undefined;
  }
}

function hashOf(entry: Omit<StoredAuditEntry, "hash">): string {
  return createHash("sha256").update(canonical(entry)).digest("hex");
}

/**
 * The audit log: append-only JSON lines, each entry hash-chained to the previous one and written
 * with fsync before `record` returns (it survives a kill -9 right after). A head file holds the last
 * sequence number and hash, so truncating the tail is detected too. Secrets are redacted first.
 */
export class AuditLogger implements AuditSink {
  readonly file: string;
  readonly #headFile: string;
  readonly #lockDirectory: string;

  constructor(options: { file: string }) {
    this.file = options.file;
    this.#headFile = `${options.file}.head`;
    this.#lockDirectory = `${options.file}.lock`;
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
  }

  /**
   * Durable when the promise resolves. Entries recorded while a write is pending are written
   * together (group commit): one lock, one write, one fsync for the batch, in the order recorded,
   * so a busy server pays a few fsyncs per batch instead of two per entry.
   */
  record(entry: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject });
      if (this.#queue.length === 1) setImmediate(() => this.#flush());
    });
  }

  readonly #queue: { entry: AuditEntry; resolve: () => void; reject: (error: unknown) => void }[] = [];

  #flush(): void {
    const batch = this.#queue.splice(0);
    if (batch.length === 0) return;
    try {
      this.appendMany(batch.map((item) => item.entry));
      for (const item of batch) item.resolve();
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }

  /** Append synchronously (durable on return). Several processes may share one log: appends take a lock. */
  append(entry: AuditEntry): StoredAuditEntry {
    return this.appendMany([entry])[0] as StoredAuditEntry;
  }

  /** Append entries in order, with one lock, one write and one fsync (durable on return). */
  appendMany(entries: readonly AuditEntry[]): StoredAuditEntry[] {
    this.#lock();
    try {
      // The log's own last entry is the truth; the head may lag it by one after a crash between the two writes.
      const head = this.#readHead();
      const last = this.#lastEntry();
      let tip = last !== undefined && last.seq >= head.seq ? { seq: last.seq, hash: last.hash } : head;
      const stored = entries.map((entry) => {
        const body = { ...redactForAudit(entry), seq: tip.seq + 1, prev: tip.hash };
        const chained: StoredAuditEntry = { ...body, hash: hashOf(body) };
        tip = { seq: chained.seq, hash: chained.hash };
        return chained;
      });
      const descriptor = openSync(this.file, "a", 0o600);
      try {
        writeSync(descriptor, stored.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
      this.#writeHead(tip);
      return stored;
    } finally {
      this.#unlock();
    }
  }

  /** All entries, oldest first (unverified; use verify() for that). Lines that are not JSON are skipped. */
  read(): StoredAuditEntry[] {
    return this.#lines().flatMap((line) => {
      try {
        return [JSON.parse(line) as StoredAuditEntry];
      } catch {
        return [];
      }
    });
  }

  /** Check every link of the chain and the head: detects edited, removed, inserted, reordered and truncated entries. */
  verify(): AuditVerification {
    const problems: string[] = [];
    let previous = genesis;
    let expectedSeq = 1;
    const lines = this.#lines();
    for (const [index, line] of lines.entries()) {
      const where = `line ${index + 1}`;
      let entry: StoredAuditEntry;
      try {
        entry = JSON.parse(line) as StoredAuditEntry;
      } catch {
        problems.push(`${where}: not valid JSON (edited or corrupted)`);
        continue;
      }
      const { hash, ...body } = entry;
      if (entry.seq !== expectedSeq)
        problems.push(
          `${where}: entry number ${entry.seq} where ${expectedSeq} was expected (an entry was removed, inserted or moved)`,
        );
      if (entry.prev !== previous)
        problems.push(`${where}: does not follow the entry before it (removed, inserted or reordered entries)`);
      if (hashOf(body) !== hash) problems.push(`${where}: content does not match its hash (the entry was edited)`);
      previous = hash;
      expectedSeq = (typeof entry.seq === "number" ? entry.seq : expectedSeq) + 1;
    }
    const head = this.#readHead();
    const headEntry = lines.length >= head.seq && head.seq > 0 ? parseLine(lines[head.seq - 1]) : undefined;
    if (head.seq > lines.length || (head.seq > 0 && headEntry?.hash !== head.hash)) {
      problems.push(`the log ends at entry ${lines.length} but ${head.seq} were written (entries were removed from the end)`);
    }
    return { ok: problems.length === 0, entries: lines.length, problems };
  }

  #lines(): string[] {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new StorageError(`Cannot read the audit log ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    return text.split("\n").filter((line) => line !== "");
  }

  /** The last complete entry, read from the end of the file only. */
  #lastEntry(): StoredAuditEntry | undefined {
    let descriptor: number;
    try {
      descriptor = openSync(this.file, "r");
    } catch {
      return undefined;
    }
    try {
      const size = fstatSync(descriptor).size;
      for (let window = 64 * 1024; ; window *= 4) {
        const length = Math.min(size, window);
        const buffer = Buffer.alloc(length);
        readSync(descriptor, buffer, 0, length, size - length);
        const lines = buffer
          .toString("utf8")
          .split("\n")
          .filter((line) => line !== "");
        const lastLine = lines.at(-1);
        if (lastLine === undefined) return undefined;
        if (lines.length > 1 || length === size) return parseLine(lastLine);
      }
    } finally {
      closeSync(descriptor);
    }
  }

  #readHead(): { seq: number; hash: string } {
    try {
      const head = JSON.parse(readFileSync(this.#headFile, "utf8")) as { seq: number; hash: string };
      return { seq: head.seq, hash: head.hash };
    } catch {
      return { seq: 0, hash: genesis };
    }
  }

  #writeHead(head: { seq: number; hash: string }): void {
    const temporary = `${this.#headFile}.${process.pid}.tmp`;
    const descriptor = openSync(temporary, "w", 0o600);
    try {
      writeSync(descriptor, JSON.stringify(head));
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, this.#headFile);
  }

  #lock(): void {
    const deadline = Date.now() + lockStaleMilliseconds * 2;
    for (;;) {
      try {
        mkdirSync(this.#lockDirectory);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        try {
          if (Date.now() - statSync(this.#lockDirectory).mtimeMs > lockStaleMilliseconds) rmdirSync(this.#lockDirectory);
        } catch {
          // Another process removed it first.
        }
        if (Date.now() > deadline)
          throw new StorageError(`The audit log ${this.file} stayed locked; another AstrOS may be stuck`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }

  #unlock(): void {
    try {
      rmdirSync(this.#lockDirectory);
    } catch {
      // Already gone.
    }
  }
}
