import { DuplicateCandidates } from "./duplicate-candidates.js";
import { compileFilter } from "./file-filter.js";
import type { FileKind } from "./file-kinds.js";
import { chooseKeeper, type KeepRule } from "./keeper-rule.js";
import { progressTicker } from "./progress-ticker.js";
import {
  type HashMode,
  hashFieldCount,
  hashState,
  partialEdgeBytes,
  ScanWorkerPool,
  type StatsAndHashes,
  statField,
  statFieldCount,
  statKind,
} from "./scan-worker-pool.js";
import { entryPath, walkTree } from "./walk-tree.js";

export interface DuplicateFile {
  path: string;
  size: number;
  /** ISO date-time. */
  modified: string;
  /** Other paths of this same file (hard links) found in the scan: one file, never a duplicate of itself. */
  links: string[];
}

export interface DuplicateGroup {
  size: number;
  /** `xxhash64:` and the digest of the whole content. */
  hash: string;
  /** The suggested keeper first, then the copies by path. */
  files: DuplicateFile[];
  /** The copy the keep rule suggests keeping. */
  keep: string;
  /** Every path of the other copies (their hard links included): what removing the copies would take. */
  remove: string[];
  /** Bytes freed by removing them (a copy with hard links outside the scan frees nothing). */
  reclaimable: number;
}

export interface DuplicateOptions {
  /** A folder, already through the path guard. */
  root: string;
  /** Smallest size compared, in bytes (default 1: empty files are never duplicates worth reporting). */
  minSize?: number;
  ext?: readonly string[];
  kind?: FileKind;
  hidden?: boolean;
  ignoreFiles?: boolean;
  keep?: KeepRule;
  signal?: AbortSignal;
  /** What the scan is doing, about every `progressIntervalMs`. */
  onProgress?: (message: string) => void;
  progressIntervalMs?: number;
}

export interface DuplicateResult {
  root: string;
  /** Most reclaimable bytes first. */
  groups: DuplicateGroup[];
  reclaimable: number;
  /** Copies beyond the one kept in each group. */
  duplicateFiles: number;
  keepRule: KeepRule;
  scanned: { entries: number; folders: number; files: number; compared: number };
  /** Paths skipped because they are a hard link to a file already seen. */
  hardLinks: number;
  skipped: { unreadableFolders: number; unreadableFiles: number };
  durationMs: number;
}

const statBatchSize = 512;
/** Small files are read whole in one go: the first and last 64 KB would be all of them anyway. */
const wholeLimit = 2 * partialEdgeBytes;

/**
 * Find files with the same content: same size, then the same xxhash64 of the first and last 64 KB, then of all the
 * content (files of up to 128 KB are hashed whole as they are stat'ed). Hard links to one file count as one file. Read-only: each group names a copy to keep and those that
 * could go, for the action that trashes them.
 */
export async function findDuplicates(options: DuplicateOptions): Promise<DuplicateResult> {
  const started = performance.now();
  const { root, signal } = options;
  const minSize = Math.max(1, options.minSize ?? 1);
  const keepRule = options.keep ?? "oldest";
  const filter = compileFilter({
    ...(options.ext === undefined ? {} : { ext: options.ext }),
    ...(options.kind === undefined ? {} : { kind: options.kind }),
  });
  const report = progressTicker(options.progressIntervalMs ?? 500, (message: string) => options.onProgress?.(message));
  const candidates = new DuplicateCandidates();
  const batches: Promise<void>[] = [];
  let paths: string[] = [];
  let unreadableFiles = 0;
  let scanned = 0;
  const pool = ScanWorkerPool.start(signal === undefined ? {} : { signal });

  const apply = (batchPaths: string[], { stats, hashes }: StatsAndHashes) => {
    for (let index = 0; index < batchPaths.length; index++) {
      const at = index * statFieldCount;
      const kind = stats[at + statField.kind];
      if (kind === statKind.unreadable) unreadableFiles += 1;
      if (kind !== statKind.file) continue;
      const size = stats[at + statField.size] as number;
      if (size < minSize) continue;
      const nlink = stats[at + statField.nlink] as number;
      const inode = nlink > 1 ? `${stats[at + statField.dev]}:${stats[at + statField.ino]}` : undefined;
      const id = candidates.add(batchPaths[index] as string, size, stats[at + statField.modifiedMs] as number, nlink, inode);
      const hashAt = index * hashFieldCount;
      if (id >= 0 && hashes[hashAt] !== hashState.notAsked) {
        candidates.setHash(id, hashes[hashAt] as number, hashes[hashAt + 1] as number, hashes[hashAt + 2] as number);
      }
    }
  };
  // Stat'ed and hashed by real path in the worker threads: through each folder's pinned handle (/proc/self/fd/<fd>/<name>)
  // it measured 1.9 times slower, one /proc lookup per file. The names come from the pinned walk (no outside name),
  // the hashes never open a link at the name (O_NOFOLLOW), and a copy is removed only after its bytes are compared
  // through the file boundary (sameBytes); a folder swapped for a link between listing and stat may still lend an
  // outside file's size or hash to an inside name.
  const flush = () => {
    if (paths.length === 0) return;
    const batchPaths = paths;
    paths = [];
    const batch = pool.statAndHash(batchPaths, { from: minSize, upTo: wholeLimit }).then((reply) => apply(batchPaths, reply));
    batch.catch(() => {}); // Awaited below; if the walk fails first, its error is the one reported.
    batches.push(batch);
  };

  try {
    const summary = await walkTree({
      root,
      hidden: options.hidden ?? false,
      ignoreFiles: options.ignoreFiles ?? false,
      ...(signal === undefined ? {} : { signal }),
      visit(folder, entries) {
        for (const entry of entries) {
          if (!entry.isFile() || !filter.matchesName(entry.name)) continue;
          paths.push(entryPath(folder, entry.name));
          if (paths.length >= statBatchSize) flush();
        }
        scanned += entries.length;
        report(`scanned ${scanned.toLocaleString("en-US")} items`);
      },
    });
    flush();
    await Promise.all(batches);

    const sameSize = candidates.sameSize();
    const small = sameSize.filter((group) => (candidates.sizes[group[0] as number] as number) <= wholeLimit);
    const large = sameSize.filter((group) => (candidates.sizes[group[0] as number] as number) > wholeLimit);
    const compared = sameSize.reduce((sum, group) => sum + group.length, 0);
    // Small files were hashed whole as they were stat'ed; large ones by their edges first, then whole.
    let hashed = compared - large.reduce((sum, group) => sum + group.length, 0);
    const hashAll = async (mode: HashMode, groups: number[][], batchFiles: number): Promise<number[][]> => {
      const ids = groups.flat();
      const jobs: Promise<void>[] = [];
      for (let start = 0; start < ids.length; start += batchFiles) {
        const batch = ids.slice(start, start + batchFiles);
        const batchPaths = batch.map((id) => candidates.paths[id] as string);
        const sizes = batch.map((id) => candidates.sizes[id] as number);
        jobs.push(
          pool.hash(mode, batchPaths, sizes).then((hashes) => {
            batch.forEach((id, index) => {
              const at = index * hashFieldCount;
              candidates.setHash(id, hashes[at] as number, hashes[at + 1] as number, hashes[at + 2] as number);
            });
            if (mode === "full") hashed += batch.length;
            report(`compared ${hashed.toLocaleString("en-US")} of ${compared.toLocaleString("en-US")} files that share a size`);
          }),
        );
      }
      await Promise.all(jobs);
      return candidates.sameHash(groups);
    };
    const edgesAlike = await hashAll("partial", large, 16);
    hashed += large.reduce((sum, group) => sum + group.length, 0) - edgesAlike.reduce((sum, group) => sum + group.length, 0);
    const groups = [...candidates.sameHash(small), ...(await hashAll("full", edgesAlike, 1))].map((group) =>
      describeGroup(candidates, group, keepRule),
    );
    for (const group of sameSize) {
      for (const id of group) if (candidates.hashStates[id] === hashState.unreadable) unreadableFiles += 1;
    }
    groups.sort((a, b) => b.reclaimable - a.reclaimable || b.size - a.size || (a.keep < b.keep ? -1 : 1));
    return {
      root,
      groups,
      reclaimable: groups.reduce((sum, group) => sum + group.reclaimable, 0),
      duplicateFiles: groups.reduce((sum, group) => sum + group.files.length - 1, 0),
      keepRule,
      scanned: { entries: summary.entries, folders: summary.folders, files: candidates.count, compared },
      hardLinks: candidates.hardLinks,
      skipped: { unreadableFolders: summary.unreadableFolders.length, unreadableFiles },
      durationMs: performance.now() - started,
    };
  } finally {
    await pool.close();
  }
}

function describeGroup(candidates: DuplicateCandidates, ids: readonly number[], keepRule: KeepRule): DuplicateGroup {
  const members = ids.map((id) => ({
    id,
    path: candidates.paths[id] as string,
    size: candidates.sizes[id] as number,
    modifiedMs: candidates.modifiedMs[id] as number,
    nlink: candidates.nlinks[id] as number,
    links: candidates.links(id),
  }));
  const keeper = chooseKeeper(members, keepRule);
  const copies = members.filter((member) => member !== keeper).sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    size: keeper.size,
    hash: `xxhash64:${candidates.hashText(keeper.id)}`,
    files: [keeper, ...copies].map((member) => ({
      path: member.path,
      size: member.size,
      modified: new Date(member.modifiedMs).toISOString(),
      links: member.links,
    })),
    keep: keeper.path,
    remove: copies.flatMap((copy) => [copy.path, ...copy.links]),
    // Removing every path of a copy frees its blocks only if no other link to it lives outside the scan.
    reclaimable: copies.reduce((sum, copy) => sum + (copy.nlink <= 1 + copy.links.length ? copy.size : 0), 0),
  };
}
