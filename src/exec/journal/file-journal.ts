import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { changeModeEntry, lstatEntry, makeFolder, removeEntry, writeWholeFile } from "../boundary/file-boundary.js";
import { withFolderCache } from "../boundary/folder-cache.js";
import { exists, type FileStep, moveNoOverwrite, partialName, removeEmptyDirectory, sha256Of } from "./file-steps.js";
import { clearHalfDoneStep } from "./half-done-step.js";

/** Who did an operation and why; shown by `astros history`. */
export interface OperationInfo {
  userId: string;
  sessionId: string;
  tool: string;
  description: string;
  /** Set on an undo: the operation it reverted. */
  undoes?: string;
}

export type OperationState = "open" | "committed" | "rolled-back" | "undone";

export interface OperationSummary extends OperationInfo {
  id: string;
  state: OperationState;
  startedAt: Date;
  /** Changes made (steps done). */
  changes: number;
  undoneBy?: string;
}

type JournalLine =
  | ({ type: "begin"; id: string; time: number } & OperationInfo)
  | ({ type: "intent"; step: number } & FileStep)
  | { type: "done"; step: number }
  /** A step of a batch that never started because an earlier one failed. */
  | { type: "skipped"; step: number }
  | { type: "commit"; time: number }
  | { type: "rollback"; time: number; problems: string[] }
  | { type: "undone"; time: number; by: string };

/** What reverting could not do (a file changed since, a name taken): reported, never forced. */
export interface RevertResult {
  reverted: number;
  problems: string[];
}

/**
 * The write-ahead journal behind undo: each change is recorded (and synced) before it happens and
 * marked done after, one file per operation. A committed operation can be undone; an operation left
 * open by a crash is rolled back by `recover()` on the next start, judging each step by what is on disk.
 */
export class FileJournal {
  /** The journal's folder as a real path (no link on the way): backups are made and moved through the file boundary. */
  #realDirectory: string | undefined;
  constructor(readonly directory: string) {}

  async begin(info: OperationInfo): Promise<JournalOperation> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    this.#realDirectory ??= await realpath(this.directory);
    const id = `${operationStamp()}-${randomUUID().slice(0, 8)}`;
    const operation = new JournalOperation(this, id);
    // A marker per open operation, so a start-up finds interrupted ones without reading the whole history.
    await mkdir(path.join(this.directory, "open"), { recursive: true, mode: 0o700 });
    await writeFile(path.join(this.directory, "open", id), "");
    await operation.append({ type: "begin", id, time: Date.now(), ...info });
    return operation;
  }

  async markClosed(id: string): Promise<void> {
    await rm(path.join(this.directory, "open", id), { force: true });
  }

  fileOf(id: string): string {
    if (!/^[0-9TZ]+-[0-9a-f]{8}$/.test(id)) throw new Error(`not an operation id: ${id}`);
    return path.join(this.directory, `${id}.jsonl`);
  }

  /** Where an operation keeps what it replaced; a real path once an operation has begun. */
  backupDirectory(id: string): string {
    return path.join(this.#realDirectory ?? this.directory, "backups", id);
  }

  /** Every operation, newest first. */
  async list(): Promise<OperationSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return [];
    }
    const summaries = await Promise.all(
      names.filter((name) => name.endsWith(".jsonl")).map((name) => this.summary(name.slice(0, -".jsonl".length))),
    );
    return summaries
      .filter((summary): summary is OperationSummary => summary !== undefined)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  async summary(id: string): Promise<OperationSummary | undefined> {
    const lines = await this.read(id);
    const begin = lines.find((line) => line.type === "begin");
    if (begin === undefined || begin.type !== "begin") return undefined;
    const { type: _type, time, id: _id, ...info } = begin;
    const undone = lines.findLast((line) => line.type === "undone");
    const state: OperationState = lines.some((line) => line.type === "rollback")
      ? "rolled-back"
      : undone !== undefined
        ? "undone"
        : lines.some((line) => line.type === "commit")
          ? "committed"
          : "open";
    return {
      id,
      ...info,
      state,
      startedAt: new Date(time),
      changes: lines.filter((line) => line.type === "done").length,
      ...(undone?.type === "undone" ? { undoneBy: undone.by } : {}),
    };
  }

  async read(id: string): Promise<JournalLine[]> {
    let text: string;
    try {
      text = await readFile(this.fileOf(id), "utf8");
    } catch {
      return [];
    }
    const lines: JournalLine[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      try {
        lines.push(JSON.parse(line) as JournalLine);
      } catch {
        // A line torn by a crash while it was written: the step it described had not started.
        break;
      }
    }
    return lines;
  }

  /**
   * Roll back every operation a crash left open, newest first, each as a journaled recovery operation
   * of its own: a crash during recovery is rolled back by the next start, then the original again.
   */
  async recover(): Promise<Array<{ id: string } & RevertResult>> {
    const results: Array<{ id: string } & RevertResult> = [];
    let open: string[];
    try {
      open = (await readdir(path.join(this.directory, "open"))).sort().reverse();
    } catch {
      return results;
    }
    for (const id of open) {
      const summary = await this.summary(id);
      if (summary === undefined || summary.state !== "open") {
        await this.markClosed(id);
        continue;
      }
      const recovery = await this.begin({
        userId: summary.userId,
        sessionId: summary.sessionId,
        tool: "recovery",
        description: `roll back "${summary.description}", interrupted`,
        undoes: summary.id,
      });
      const result = await this.revert(summary.id, recovery, { afterCrash: true });
      await new JournalOperation(this, summary.id).appendAndClose({
        type: "rollback",
        time: Date.now(),
        problems: result.problems,
      });
      await this.markClosed(summary.id);
      await recovery.commit();
      results.push({ id: summary.id, ...result });
    }
    return results;
  }

  /** Undo a committed operation as a new operation; the original is marked undone. */
  async undo(
    id: string,
    info: Omit<OperationInfo, "undoes">,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ operation: string } & RevertResult> {
    const operation = await this.begin({ ...info, undoes: id });
    const result = await this.revert(id, operation, onProgress === undefined ? {} : { onProgress });
    await operation.commit();
    await new JournalOperation(this, id).appendAndClose({ type: "undone", time: Date.now(), by: operation.id });
    return { operation: operation.id, ...result };
  }

  /**
   * Undo the steps of an operation, last first, as steps of `undo`. Steps without a done mark are
   * judged by the disk (the mark is not synced, so a crash can lose it). `afterCrash` (recovery of an
   * operation a crash left open) also clears what a step cut short left behind; in a committed
   * operation such a step threw, and a step that throws changed nothing.
   */
  revert(
    id: string,
    undo: JournalOperation,
    options: { onProgress?: (done: number, total: number) => void; afterCrash?: boolean } = {},
  ): Promise<RevertResult> {
    // One set of open folders for the whole undo: each folder opened (never through a link) once, not once per step.
    return withFolderCache(() => this.#revert(id, undo, options));
  }

  async #revert(
    id: string,
    undo: JournalOperation,
    { onProgress, afterCrash = false }: { onProgress?: (done: number, total: number) => void; afterCrash?: boolean },
  ): Promise<RevertResult> {
    const lines = await this.read(id);
    const done = new Set(lines.flatMap((line) => (line.type === "done" ? [line.step] : [])));
    const skipped = new Set(lines.flatMap((line) => (line.type === "skipped" ? [line.step] : [])));
    const intents = lines.filter((line): line is Extract<JournalLine, { type: "intent" }> => line.type === "intent").reverse();
    const problems: string[] = [];
    const counter = { value: 0 };
    let reverted = 0;
    // Moves marked done are put back in batches (one disk sync per batch); anything else one by one.
    const pendingMoves: Array<{ action: "move"; from: string; to: string }> = [];
    const flush = async () => {
      if (pendingMoves.length === 0) return;
      const batch = pendingMoves.splice(0);
      // Moves run side by side unless one's source is another's target (a file moved twice): then in order.
      const targets = new Set(batch.map((move) => move.to));
      const chained = batch.some((move) => targets.has(move.from));
      const outcomes = await undo.runBatch(
        batch,
        async (step) => {
          if (step.action !== "move") return undefined;
          try {
            await moveNoOverwrite(step.from, step.to, undo.id);
            return undefined;
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            return code === "EEXIST"
              ? `${step.to} exists again; ${step.from} left where it is`
              : code === "ENOENT"
                ? `${step.from} is gone; nothing to move back`
                : `${describeStep(step)}: ${(error as Error).message}`;
          }
        },
        { concurrency: chained ? 1 : 16 },
      );
      for (const outcome of outcomes) {
        if (outcome === undefined) reverted += 1;
        else problems.push(outcome);
      }
      onProgress?.(reverted + problems.length, intents.length);
    };
    for (const intent of intents) {
      if (intent.action === "move" && done.has(intent.step)) {
        pendingMoves.push({ action: "move", from: intent.to, to: intent.from });
        if (pendingMoves.length >= 512) await flush();
        continue;
      }
      await flush();
      try {
        if (skipped.has(intent.step)) continue;
        // A step without its done mark may have happened just before a crash (the mark is not synced): ask the disk.
        const applied = done.has(intent.step) || (await appliedOnDisk(intent));
        await removePartial(intent, id);
        if (!applied) {
          if (afterCrash) await clearHalfDoneStep(intent);
          continue;
        }
        const problem = await revertStep(intent, undo, counter);
        if (problem === undefined) reverted += 1;
        else problems.push(problem);
      } catch (error) {
        problems.push(`${describeStep(intent)}: ${(error as Error).message}`);
      }
    }
    await flush();
    return { reverted, problems };
  }
}

let lastStamp = 0;

/**
 * The time part of an operation id, to the millisecond ("20260318T100000123"), later than every earlier one of this
 * process: ids sort in the order operations began, so "undo" means the newest even when two began in one second.
 */
function operationStamp(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString().replace(/[-:.]/g, "").slice(0, 18);
}

/** One operation being written: record each step before doing it, mark it done after. */
export class JournalOperation {
  #step = 0;
  #handle: Promise<import("node:fs/promises").FileHandle> | undefined;
  constructor(
    readonly journal: FileJournal,
    readonly id: string,
  ) {}

  /** Append lines; `sync` waits until they are on disk (intents must be, before their change happens). */
  async append(line: JournalLine | JournalLine[], { sync = true }: { sync?: boolean } = {}): Promise<void> {
    this.#handle ??= open(this.journal.fileOf(this.id), "a", 0o600);
    const handle = await this.#handle;
    const lines = Array.isArray(line) ? line : [line];
    await handle.appendFile(lines.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    if (sync) await handle.sync();
  }

  async appendAndClose(line: JournalLine): Promise<void> {
    await this.append(line);
    await this.close();
  }

  /**
   * Journal a step (synced), run it, mark it done. If it throws, nothing was changed by it (each step
   * is atomic). The done mark is not synced: after a crash, recovery reads the disk for steps without one.
   */
  async run<T>(step: FileStep, work: () => Promise<T>): Promise<T> {
    const [result] = await this.runBatch([step], () => work());
    return result as T;
  }

  /**
   * Journal several steps with one sync, then run them in order, marking each done. Bulk operations
   * use it: the journal is still written before any of the changes, at a fraction of the disk syncs.
   * A step that throws stops the batch; the steps after it did not happen and are recorded as such.
   */
  async runBatch<T>(
    steps: readonly FileStep[],
    work: (step: FileStep, index: number) => Promise<T>,
    { concurrency = 1 }: { concurrency?: number } = {},
  ): Promise<T[]> {
    const first = this.#step;
    this.#step += steps.length;
    await this.append(steps.map((step, index) => ({ type: "intent", step: first + index, ...step }) as JournalLine));
    // Steps of one batch never touch the same path (names were claimed when planning), so several may run at once.
    const results = new Array<T>(steps.length);
    const finished = new Set<number>();
    const started = new Set<number>();
    let next = 0;
    let failure: unknown;
    const worker = async () => {
      while (failure === undefined && next < steps.length) {
        const index = next++;
        started.add(index);
        try {
          results[index] = await work(steps[index] as FileStep, index);
          finished.add(index);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, steps.length)) }, worker));
    // Done marks go in one write after the batch (not synced: recovery asks the disk about steps without one).
    const marks = steps.flatMap((_, index): JournalLine[] =>
      finished.has(index)
        ? [{ type: "done", step: first + index }]
        : started.has(index)
          ? []
          : [{ type: "skipped", step: first + index }],
    );
    if (marks.length > 0) await this.append(marks, { sync: false });
    if (failure !== undefined) throw failure;
    return results;
  }

  get changes(): number {
    return this.#step;
  }

  async commit(): Promise<void> {
    await this.append({ type: "commit", time: Date.now() });
    await this.close();
    await this.journal.markClosed(this.id);
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) await (await handle).close();
  }
}

async function appliedOnDisk(intent: Extract<JournalLine, { type: "intent" }>): Promise<boolean> {
  switch (intent.action) {
    case "move":
      return !(await exists(intent.from)) && (await exists(intent.to));
    case "copy":
      return exists(intent.to);
    case "mkdir":
      return exists(intent.path);
    case "rmdir":
      return !(await exists(intent.path));
    case "write":
      return (await sha256Of(intent.path)) === intent.sha256;
    case "trash":
      return !(await exists(intent.path)) && (await exists(intent.trashPath));
    case "chmod":
      return (await modeOf(intent.path)) === intent.mode;
  }
}

/** The permission bits of what is at `filePath` (never through a link), or undefined when nothing is. */
async function modeOf(filePath: string): Promise<number | undefined> {
  const info = await lstatEntry(filePath).catch(() => undefined);
  return info === undefined ? undefined : info.mode & 0o7777;
}

async function removePartial(intent: Extract<JournalLine, { type: "intent" }>, id: string): Promise<void> {
  if (intent.action === "move" || intent.action === "copy") await removeEntry(partialName(intent.to, id), { force: true });
  if (intent.action === "write") await removeEntry(partialName(intent.path, id), { force: true });
  if (intent.action === "trash") await removeEntry(partialName(intent.trashPath, id), { force: true });
}

/**
 * Put one step back, as journaled steps of `undo` (so a crash while undoing is itself rolled back).
 * Nothing is deleted: what the step created is moved into the undo's backup folder. A string says why
 * a step could not be put back.
 */
async function revertStep(
  intent: Extract<JournalLine, { type: "intent" }>,
  undo: JournalOperation,
  counter: { value: number },
): Promise<string | undefined> {
  const keep = async (filePath: string) => {
    const target = path.join(undo.journal.backupDirectory(undo.id), String(counter.value++), path.basename(filePath));
    await undo.run({ action: "move", from: filePath, to: target }, () => moveNoOverwrite(filePath, target, undo.id));
  };
  switch (intent.action) {
    case "move":
      if (await exists(intent.from)) return `${intent.from} exists again; ${intent.to} left where it is`;
      if (!(await exists(intent.to))) return `${intent.to} is gone; nothing to move back`;
      await undo.run({ action: "move", from: intent.to, to: intent.from }, () =>
        moveNoOverwrite(intent.to, intent.from, undo.id),
      );
      return undefined;
    case "copy":
      if (!(await exists(intent.to))) return undefined;
      if ((await sha256Of(intent.to)) !== (await sha256Of(intent.from))) {
        return `${intent.to} changed since it was copied; left in place`;
      }
      await keep(intent.to);
      return undefined;
    case "mkdir":
      return (await removeEmptyDirectory(intent.path)) || !(await exists(intent.path))
        ? undefined
        : `${intent.path} is not empty; left in place`;
    case "rmdir":
      if (await exists(intent.path)) return undefined;
      await undo.run({ action: "mkdir", path: intent.path }, () => makeFolder(intent.path));
      return undefined;
    case "write": {
      if ((await exists(intent.path)) && (await sha256Of(intent.path)) !== intent.sha256) {
        return `${intent.path} changed since it was written; left as it is`;
      }
      // The file it replaced was moved to `backup` by the step before; reverting that move brings it back.
      if (await exists(intent.path)) await keep(intent.path);
      return undefined;
    }
    case "trash":
      if (await exists(intent.path)) return `${intent.path} exists again; the trashed copy stays in the trash`;
      await undo.run({ action: "move", from: intent.trashPath, to: intent.path }, async () => {
        await moveNoOverwrite(intent.trashPath, intent.path, undo.id);
        await removeEntry(intent.infoPath, { force: true });
      });
      return undefined;
    case "chmod": {
      const now = await modeOf(intent.path);
      if (now === undefined) return `${intent.path} is gone; its permissions cannot be put back`;
      if (now !== intent.mode) return `${intent.path}'s permissions changed since; left as they are`;
      await undo.run({ action: "chmod", path: intent.path, previousMode: intent.mode, mode: intent.previousMode }, async () => {
        await changeModeEntry(intent.path, intent.previousMode);
      });
      return undefined;
    }
  }
}

export function describeStep(step: FileStep): string {
  switch (step.action) {
    case "move":
      return `move ${step.from} → ${step.to}`;
    case "copy":
      return `copy ${step.from} → ${step.to}`;
    case "mkdir":
      return `create folder ${step.path}`;
    case "rmdir":
      return `remove the emptied folder ${step.path}`;
    case "write":
      return `write ${step.path}`;
    case "trash":
      return `move ${step.path} to the trash`;
    case "chmod":
      return `change the permissions of ${step.path} to ${step.mode.toString(8).padStart(3, "0")}`;
  }
}

/**
 * Write a file whole: a temp name created exclusively in the file's own folder (opened without following a link),
 * synced, then renamed into place in that same folder.
 */
export function writeWhole(target: string, content: string | Uint8Array, id: string): Promise<void> {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return writeWholeFile(target, bytes, path.basename(partialName(target, id)));
}
