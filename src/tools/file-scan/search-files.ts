import { lstat } from "node:fs/promises";
import path from "node:path";
import { fileContains } from "./content-match.js";
import { compileFilter } from "./file-filter.js";
import { type FileKind, kindOf } from "./file-kinds.js";
import { progressTicker } from "./progress-ticker.js";
import type { SearchFilters } from "./search-filters.js";
import { TopList } from "./top-list.js";
import { entryPath, type WalkFolder, type WalkSummary, walkTree } from "./walk-tree.js";
import { WorkQueue } from "./work-queue.js";

export interface FileMatch {
  path: string;
  type: "file" | "directory";
  size: number;
  /** ISO date-time. */
  modified: string;
  kind: FileKind | undefined;
}

export interface SearchOptions {
  /** A folder, already through the path guard. */
  root: string;
  filters: SearchFilters;
  /** Matches to describe (default 100); the count goes on past it. */
  limit?: number;
  /** Find empty folders (nothing inside, not even hidden files) instead of files; the other filters do not apply. */
  emptyFolders?: boolean;
  /** Describe only this many matches, the biggest (by apparent size, so a sparse file counts whole), biggest first. */
  largest?: number;
  hidden?: boolean;
  /** Honour .gitignore/.ignore files (default false). */
  ignoreFiles?: boolean;
  signal?: AbortSignal;
  /** Each described match as soon as it is known (at most `limit` of them), for streaming. */
  onMatch?: (match: FileMatch) => void;
  /** The number of entries scanned so far, about every `progressIntervalMs`. */
  onProgress?: (scanned: number) => void;
  progressIntervalMs?: number;
  /** Asked before a file's content is read (the path guard); false skips the file. Default: every file. */
  canRead?: (filePath: string) => Promise<boolean>;
}

export interface SearchResult {
  root: string;
  /** The first `limit` matches found. */
  matches: FileMatch[];
  /** Every match, also those past the limit. */
  total: number;
  truncated: boolean;
  scanned: { entries: number; folders: number };
  skipped: { unreadableFolders: number; unreadableFiles: number; binaryFiles: number; protectedFiles: number };
  durationMs: number;
}

/** Files scanned at once when a search must stat or read them. */
const fileConcurrency = 64;

/**
 * Search a tree. Names are judged from the directory listing alone; files are stat'ed only when a size or
 * date filter needs it or to describe the first `limit` matches, and read only for a content filter.
 */
export async function searchFiles(options: SearchOptions): Promise<SearchResult> {
  const started = performance.now();
  const { root, signal, onMatch } = options;
  const largest = options.largest;
  const limit = largest ?? options.limit ?? 100;
  const filter = compileFilter(options.filters);
  const biggest = largest === undefined ? undefined : new TopList<FileMatch>(largest, (match) => match.size);
  const canRead = options.canRead ?? (async () => true);
  const matches: FileMatch[] = [];
  const skipped = { unreadableFolders: 0, unreadableFiles: 0, binaryFiles: 0, protectedFiles: 0 };
  const work = new WorkQueue(fileConcurrency);
  let total = 0;
  let scanned = 0;
  const progress = progressTicker(options.progressIntervalMs ?? 500, (count: number) => options.onProgress?.(count));

  const accept = (filePath: string, type: FileMatch["type"], size: number, modifiedMs: number) => {
    total += 1;
    if (biggest === undefined && matches.length >= limit) return;
    const match: FileMatch = {
      path: filePath,
      type,
      size,
      modified: new Date(modifiedMs).toISOString(),
      kind: type === "file" ? kindOf(path.basename(filePath)) : undefined,
    };
    if (biggest !== undefined) {
      biggest.offer(match);
      return;
    }
    matches.push(match);
    onMatch?.(match);
  };

  // A candidate whose name matched: settle the filters that need its stat or content. `access` reaches it in the
  // folder the walk listed (held open for it), so a folder swapped for a link since then is never looked into.
  const examine = async (filePath: string, access: string, type: FileMatch["type"]) => {
    signal?.throwIfAborted();
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(access);
    } catch {
      skipped.unreadableFiles += 1;
      return;
    }
    if (!filter.matchesStat(stats.size, stats.mtimeMs)) return;
    if (filter.content !== undefined) {
      if (!(await canRead(filePath))) {
        skipped.protectedFiles += 1;
        return;
      }
      let verdict: Awaited<ReturnType<typeof fileContains>>;
      try {
        verdict = await fileContains(access, filter.content, signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        skipped.unreadableFiles += 1;
        return;
      }
      if (verdict === "binary") skipped.binaryFiles += 1;
      if (verdict !== "match") return;
    }
    accept(filePath, type, stats.size, stats.mtimeMs);
  };

  // Folders kept open for candidates still to examine, and the holds to let go of when the search ends.
  const holds = new Set<() => void>();
  const later = (folder: WalkFolder, name: string, type: FileMatch["type"]) => {
    const release = folder.hold();
    holds.add(release);
    const filePath = entryPath(folder, name);
    const access = folder.access(name);
    work.add(() =>
      examine(filePath, access, type).finally(() => {
        holds.delete(release);
        release();
      }),
    );
  };

  // Matched by name alone: counted at once, stat'ed only to be described.
  let reserved = 0;
  const matchedByName = (folder: WalkFolder, name: string, type: FileMatch["type"]) => {
    if (reserved >= limit) {
      total += 1;
      return;
    }
    reserved += 1;
    later(folder, name, type);
  };

  const settledByName = biggest === undefined && !filter.needsStat && filter.content === undefined;
  const emptyFolders = options.emptyFolders === true;
  const showHidden = options.hidden ?? false;
  // An empty folder: listed with its hidden entries too (a folder holding only .keep is not empty), and reported
  // only when no part of its path under the root is hidden, unless hidden ones were asked for.
  const visitForEmpty = (folder: WalkFolder, entries: readonly { name: string }[]) => {
    scanned += entries.length;
    progress(scanned);
    if (entries.length > 0 || folder.parent === undefined) return;
    if (
      !showHidden &&
      path
        .relative(root, folder.path)
        .split(path.sep)
        .some((part) => part.startsWith("."))
    )
      return;
    // Its date, by lstat (never through a link; a folder swapped since the listing is stat'ed, never entered).
    work.add(async () => {
      try {
        const stats = await lstat(folder.path);
        accept(folder.path, "directory", 0, stats.mtimeMs);
      } catch {
        skipped.unreadableFiles += 1;
      }
    });
  };
  let summary: WalkSummary;
  try {
    summary = await walkTree({
      root,
      hidden: emptyFolders || showHidden,
      ignoreFiles: options.ignoreFiles ?? false,
      ...(signal === undefined ? {} : { signal }),
      visit(folder, entries) {
        if (emptyFolders) {
          visitForEmpty(folder, entries);
          return;
        }
        scanned += entries.length;
        progress(scanned);
        for (const entry of entries) {
          const isFile = entry.isFile();
          if (!isFile && (biggest !== undefined || !(filter.matchesDirectories && entry.isDirectory()))) continue;
          if (!filter.matchesName(entry.name)) continue;
          const type = isFile ? "file" : "directory";
          if (settledByName) matchedByName(folder, entry.name, type);
          else later(folder, entry.name, type);
        }
      },
    });
    await work.idle();
  } finally {
    // A failed search drops the examinations it had not started: their folders are closed here.
    if (holds.size > 0) await work.idle().catch(() => undefined);
    for (const release of holds) release();
  }
  skipped.unreadableFolders = summary.unreadableFolders.length;
  if (biggest !== undefined) {
    matches.push(...biggest.items());
    for (const match of matches) onMatch?.(match);
  }
  return {
    root,
    matches,
    total,
    truncated: total > matches.length,
    scanned: { entries: summary.entries, folders: summary.folders },
    skipped,
    durationMs: performance.now() - started,
  };
}
