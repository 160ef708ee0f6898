import { ProcessingError } from "../../core/errors/processing-error.js";
import type { FileJournal, OperationSummary, RevertResult } from "./file-journal.js";

/** One user's operations, newest first (users see only their own). */
export async function historyOf(journal: FileJournal, userId: string): Promise<OperationSummary[]> {
  return (await journal.list()).filter((operation) => operation.userId === userId);
}

/**
 * The operation `astros undo` means: the one named (by id or a unique id prefix), else the user's
 * newest committed change that is not itself an undo or a crash recovery.
 */
export async function operationToUndo(journal: FileJournal, userId: string, id?: string): Promise<OperationSummary> {
  const history = await historyOf(journal, userId);
  if (id !== undefined && id !== "") {
    const matches = history.filter((operation) => operation.id.startsWith(id));
    const [match] = matches;
    if (match === undefined || matches.length > 1) {
      throw new ProcessingError(
        matches.length > 1 ? `"${id}" matches several operations; give more of the id` : `No operation "${id}" of yours`,
        { code: "REQUEST_INVALID", recovery: "`astros history` lists your operations and their ids." },
      );
    }
    if (match.state !== "committed") {
      throw new ProcessingError(`Operation ${match.id} cannot be undone: it is ${match.state}`, {
        code: "REQUEST_INVALID",
        details: { operation: match.id, state: match.state },
      });
    }
    return match;
  }
  const latest = history.find((operation) => operation.state === "committed" && operation.undoes === undefined);
  if (latest === undefined) {
    throw new ProcessingError("Nothing to undo: you have no file changes that are not undone yet", {
      code: "REQUEST_INVALID",
      recovery: "`astros history` lists what AstrOS changed.",
    });
  }
  return latest;
}

/** Undo an operation as the given user; returns what was put back and what could not be. */
export async function undoOperation(
  journal: FileJournal,
  operation: OperationSummary,
  userId: string,
  sessionId: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ operation: string } & RevertResult> {
  return journal.undo(
    operation.id,
    { userId, sessionId, tool: "files.undo", description: `undo "${operation.description}"` },
    onProgress,
  );
}

/** Words that say nothing about which change is meant ("the rename OF THE file"). */
const filler = new Set([
  "the",
  "a",
  "an",
  "of",
  "to",
  "in",
  "on",
  "from",
  "into",
  "for",
  "my",
  "that",
  "this",
  "those",
  "these",
  "file",
  "files",
  "folder",
  "you",
  "made",
  "did",
  "and",
  "with",
]);

/**
 * The user's newest change still in effect that matches a description: `action` the tool it was made with
 * ("files.rename"), `about` words its request or the files it touched contain ("a.txt", "the pdfs").
 */
export async function operationDescribed(
  journal: FileJournal,
  userId: string,
  about: string,
  action?: string,
): Promise<OperationSummary | undefined> {
  const words = about
    .toLowerCase()
    .split(/[^\p{L}\p{N}._-]+/u)
    .map((word) => word.replace(/^[.]+|[.]+$/g, ""))
    .filter((word) => word !== "" && !filler.has(word));
  const history = (await historyOf(journal, userId)).filter(
    (operation) => operation.state === "committed" && operation.undoes === undefined,
  );
  for (const operation of history) {
    if (action !== undefined && operation.tool !== action) continue;
    const touched = (await journal.read(operation.id)).flatMap((line) =>
      line.type !== "intent" ? [] : "from" in line ? [line.from, line.to] : [line.path],
    );
    const text = [operation.description, ...touched.map((file) => file.split("/").pop() ?? "")].join(" ").toLowerCase();
    const has = (word: string) =>
      text.includes(word) || (word.length > 3 && word.endsWith("s") && text.includes(word.slice(0, -1)));
    if (words.every(has)) return operation;
  }
  return undefined;
}

/** The user's newest `count` changes still in effect, newest first. */
export async function newestOperations(journal: FileJournal, userId: string, count: number): Promise<OperationSummary[]> {
  return (await historyOf(journal, userId))
    .filter((operation) => operation.state === "committed" && operation.undoes === undefined)
    .slice(0, count);
}
