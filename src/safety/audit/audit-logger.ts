import {
  chmodSync,
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import type { AuditEntry, AuditSink } from "../../agent/pipeline-seams.js";
import { StorageError } from "../../core/errors/storage-error.js";
import { anchorProblems, readAnchor, writeAnchor } from "./audit-anchor.js";
import {
  type AuditHead,
  type AuditVerification,
  contextOf,
  genesis,
  hashOf,
  parseLine,
  type StoredAuditEntry,
  storedLine,
  verifyAuditChain,
  wholeEntries,
} from "./audit-chain.js";
import { listAuditFiles, readAuditLines, readEndLine, rotatedFileName } from "./audit-files.js";
import { foldedFields, isRoutineEntry, unfoldAuditEntry } from "./fold-audit-entries.js";
import { summarizeAuditEntry } from "./summarize-audit-entry.js";

export type { AuditVerification, StoredAuditEntry } from "./audit-chain.js";

export interface AuditLoggerOptions {
  file: string;
  /** Size at which the file being written is rotated (default 10 MiB). */
  maxFileBytes?: number;
  /** Files kept, the one being written included; the oldest are removed past this (default 10). */
  maxFiles?: number;
  /** Hold routine entries and write them with the next entry of their request (default true; see `record`). */
  foldRoutine?: boolean;
  /**
   * A file outside the log's folder (beside the database) that remembers the last entry written, so that deleting or
   * rewriting the log together with its head is noticed (see `anchorProblems`). None: not kept.
   */
  anchorFile?: string;
}

export const defaultAuditLimits = { maxFileBytes: 10 * 1024 * 1024, maxFiles: 10 } as const;

/** Longest a routine entry is held waiting for the next entry of its request. */
const heldMilliseconds = 1_000;

/** Loggers holding entries, written at exit so that a request cut short still leaves its trace. */
const heldLoggers = new Set<AuditLogger>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const logger of heldLoggers) {
      try {
        logger.flushHeld();
      } catch {
        // Exiting: nothing more can be done.
      }
    }
  });
}

const lockStaleMilliseconds = 10_000;
interface Head extends AuditHead {
  /** The request, user and session of the last entry, so the next line can leave them out. */
  context?: Record<string, unknown>;
}

/**
 * The audit log: append-only JSON lines, each entry hash-chained to the previous one and written
 * with fsync before `record` returns (it survives a kill -9 right after). A head file holds the last
 * sequence number and hash, so truncating the tail is detected too. Entries are summarized and
 * redacted first (see `summarizeAuditEntry`): the log records decisions, not data. The file is
 * rotated at `maxFileBytes` into `audit.log.<first entry>`; the next file's first line carries the
 * previous file's last hash, so the chain runs across files, and past `maxFiles` the oldest go.
 */
export class AuditLogger implements AuditSink {
  readonly file: string;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly #headFile: string;
  readonly #lockDirectory: string;
  readonly anchorFile: string | undefined;

  constructor(options: AuditLoggerOptions) {
    this.file = options.file;
    this.maxFileBytes = options.maxFileBytes ?? defaultAuditLimits.maxFileBytes;
    this.maxFiles = Math.max(2, options.maxFiles ?? defaultAuditLimits.maxFiles);
    this.#headFile = `${options.file}.head`;
    this.anchorFile = options.anchorFile;
    this.#lockDirectory = `${options.file}.lock`;
    this.#foldRoutine = options.foldRoutine ?? true;
    const folder = path.dirname(this.file);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    try {
      // The log names users and sessions: its folder is the owner's alone, even one made before with a looser mode.
      if ((statSync(folder).mode & 0o077) !== 0) chmodSync(folder, 0o700);
    } catch {
      // Not ours to change (a shared folder given in the configuration): the files themselves stay 0600.
    }
  }

  /**
   * Durable when the promise resolves, except routine entries (see `isRoutineEntry`: a request
   * arriving, an allow verdict, a call completing), which are held and written folded into the next
   * entry of the same request: before anything could change the world (a call starting, a command,
   * a confirmation, a refusal, the request's end) everything before it is durable, and a read costs
   * two lines instead of six. Held entries are written on their own after a second, or at exit.
   * Entries recorded while a write is pending are written together (group commit): one lock, one
   * write, one fsync for the batch, in the order recorded.
   */
  record(entry: AuditEntry): Promise<void> {
    if (this.#foldRoutine && isRoutineEntry(entry)) {
      const held = this.#held.get(entry.requestId) ?? [];
      held.push(entry);
      this.#held.set(entry.requestId, held);
      this.#armHeldTimer();
      return Promise.resolve();
    }
    const folded = this.#held.get(entry.requestId) ?? [];
    this.#held.delete(entry.requestId);
    return new Promise((resolve, reject) => {
      this.#queue.push({ entry, folded, resolve, reject });
      if (this.#queue.length === 1) setImmediate(() => this.#flush());
    });
  }

  readonly #foldRoutine: boolean;
  readonly #queue: { entry: AuditEntry; folded: AuditEntry[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  readonly #held = new Map<string, AuditEntry[]>();
  #heldTimer: NodeJS.Timeout | undefined;

  #flush(): void {
    const batch = this.#queue.splice(0);
    if (batch.length === 0) return;
    try {
      this.#appendItems(batch);
      for (const item of batch) item.resolve();
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }

  #armHeldTimer(): void {
    heldLoggers.add(this);
    installExitHook();
    if (this.#heldTimer !== undefined) return;
    this.#heldTimer = setTimeout(() => {
      this.#heldTimer = undefined;
      try {
        this.flushHeld();
      } catch {
        // The next entry that must be durable fails on the same fault, and the action it guards is refused.
      }
    }, heldMilliseconds);
    this.#heldTimer.unref();
  }

  /** Write the held routine entries now, each on its own line (at exit, or when nothing followed them). */
  flushHeld(): void {
    const held = [...this.#held.values()].flat().sort((left, right) => left.time - right.time);
    this.#held.clear();
    heldLoggers.delete(this);
    if (held.length > 0) this.#appendItems(held.map((entry) => ({ entry, folded: [] })));
  }

  /** Append synchronously (durable on return). Several processes may share one log: appends take a lock. */
  append(entry: AuditEntry): StoredAuditEntry {
    return this.appendMany([entry])[0] as StoredAuditEntry;
  }

  /** Append entries in order, with one lock, one write and one fsync (durable on return); rotates first when the file is full. */
  appendMany(entries: readonly AuditEntry[]): StoredAuditEntry[] {
    return this.#appendItems(entries.map((entry) => ({ entry, folded: [] })));
  }

  #appendItems(items: readonly { entry: AuditEntry; folded: readonly AuditEntry[] }[]): StoredAuditEntry[] {
    this.#lock();
    try {
      let head = this.#readHead();
      const tip = this.#tip(head);
      let tipState = { seq: tip.seq, hash: tip.hash };
      const stored = items.map(({ entry, folded }) => {
        const body = {
          ...summarizeAuditEntry(entry),
          ...foldedFields(entry, folded),
          seq: tipState.seq + 1,
          prev: tipState.hash,
        } as Omit<StoredAuditEntry, "hash">;
        const chained = { ...body, hash: hashOf(body) } as StoredAuditEntry;
        tipState = { seq: chained.seq, hash: chained.hash };
        return chained;
      });
      const serialize = (previousContext: Record<string, unknown> | undefined) => {
        let context = previousContext;
        return stored
          .map((entry) => {
            const line = storedLine(entry, context);
            context = contextOf(entry as unknown as Record<string, unknown>);
            return `${line}\n`;
          })
          .join("");
      };
      const size = this.#sizeOf(this.file);
      // The previous line's context is known only when the head is in step with the file's last line.
      let text = serialize(size > 0 && tip.inStep ? head.context : undefined);
      if (size > 0 && size + Buffer.byteLength(text) > this.maxFileBytes) {
        head = this.#rotate(head);
        text = serialize(undefined);
      }
      const descriptor = openSync(this.file, "a", 0o600);
      try {
        if ((fstatSync(descriptor).mode & 0o077) !== 0) fchmodSync(descriptor, 0o600);
        writeSync(descriptor, text);
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
      const last = stored.at(-1);
      if (last !== undefined)
        this.#writeHead({
          ...head,
          seq: last.seq,
          hash: last.hash,
          context: contextOf(last as unknown as Record<string, unknown>),
        });
      return stored;
    } finally {
      this.#unlock();
    }
  }

  /** All entries across the files, oldest first (unverified; use verify() for that). Lines that are not JSON are skipped. */
  read(): StoredAuditEntry[] {
    return listAuditFiles(this.file).flatMap((file) =>
      [...wholeEntries(readAuditLines(file.path), undefined)].flatMap(({ entry }) =>
        entry === undefined ? [] : unfoldAuditEntry(entry),
      ),
    );
  }

  /** The files of the log, oldest first. */
  files(): string[] {
    return listAuditFiles(this.file).map((file) => file.path);
  }

  /**
   * Check every link of the chain across every file, and the head: detects edited, removed,
   * inserted, reordered and truncated entries, and a file missing between two others. Files removed
   * by rotation (the oldest) are expected: the check starts at the oldest file kept.
   */
  verify(): AuditVerification {
    const result = verifyAuditChain({ files: listAuditFiles(this.file), head: this.#readHead() });
    const anchored = this.anchorProblems();
    return anchored.length === 0 ? result : { ...result, ok: false, problems: [...anchored, ...result.problems] };
  }

  /**
   * What the anchor (kept outside the log's folder) says is missing or changed: the log and its head deleted, cut
   * short or rewritten since the last entry was written. Empty when the log is as the anchor remembers, or there is
   * no anchor. Cheap when all is well (the log's last line only): checked at every start.
   */
  anchorProblems(): string[] {
    if (this.anchorFile === undefined) return [];
    const tip = this.#tip({ seq: 0, hash: genesis });
    return anchorProblems({ anchorFile: this.anchorFile, files: listAuditFiles(this.file), tip });
  }

  /** The last entry written: the file's own last line is the truth; the head may lag it by one after a crash between the two writes. */
  #tip(head: Head): { seq: number; hash: string; inStep: boolean } {
    const files = listAuditFiles(this.file);
    for (const file of files.reverse()) {
      const last = parseLine(readEndLine(file.path, "last"));
      if (last === undefined) continue;
      const seq = typeof last.seq === "number" ? last.seq : 0;
      const hash = typeof last.hash === "string" ? last.hash : genesis;
      if (seq < head.seq) break;
      return { seq, hash, inStep: seq === head.seq && hash === head.hash && file.firstSeq === undefined };
    }
    return { seq: head.seq, hash: head.hash, inStep: false };
  }

  /** Move the full file aside as `audit.log.<its first entry>`, then remove the oldest files past `maxFiles`. */
  #rotate(head: Head): Head {
    const first = parseLine(readEndLine(this.file, "first"));
    const firstSeq = typeof first?.seq === "number" ? first.seq : head.seq;
    renameSync(this.file, rotatedFileName(this.file, firstSeq));
    const rotated = listAuditFiles(this.file).filter((file) => file.firstSeq !== undefined);
    let firstKept = head.firstKept;
    // The file about to be started counts too.
    while (rotated.length + 1 > this.maxFiles) {
      const oldest = rotated.shift();
      if (oldest === undefined) break;
      unlinkSync(oldest.path);
      firstKept = rotated[0]?.firstSeq ?? firstSeq;
    }
    this.#syncFolder();
    return firstKept === undefined ? head : { ...head, firstKept };
  }

  #sizeOf(file: string): number {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  }

  #syncFolder(): void {
    try {
      const descriptor = openSync(path.dirname(this.file), "r");
      try {
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
    } catch {
      // Not every file system syncs folders.
    }
  }

  #readHead(): Head {
    try {
      const head = JSON.parse(readFileSync(this.#headFile, "utf8")) as Head;
      return {
        seq: head.seq,
        hash: head.hash,
        ...(head.context === undefined ? {} : { context: head.context }),
        ...(head.firstKept === undefined ? {} : { firstKept: head.firstKept }),
      };
    } catch {
      // The head is gone: the anchor remembers where the chain was, so it goes on from there and the gap stays visible.
      const anchor = this.anchorFile === undefined ? undefined : readAnchor(this.anchorFile);
      return anchor ?? { seq: 0, hash: genesis };
    }
  }

  #writeHead(head: Head): void {
    const temporary = `${this.#headFile}.${process.pid}.tmp`;
    const descriptor = openSync(temporary, "w", 0o600);
    try {
      writeSync(descriptor, JSON.stringify(head));
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, this.#headFile);
    if (this.anchorFile !== undefined) writeAnchor(this.anchorFile, head);
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
