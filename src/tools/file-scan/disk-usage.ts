import { lstat } from "node:fs/promises";
import { progressTicker } from "./progress-ticker.js";
import { ScanWorkerPool, statField, statFieldCount, statKind } from "./scan-worker-pool.js";
import { TopList } from "./top-list.js";
import { entryPath, walkTree } from "./walk-tree.js";

export interface UsageEntry {
  path: string;
  /** Bytes of disk the blocks take (what `du` counts, and what deleting frees). */
  allocated: number;
  /** Bytes of content (what `ls -l` shows). */
  apparent: number;
}

export interface FolderUsage extends UsageEntry {
  /** Files (and links and other non-folders) inside, at any depth. */
  files: number;
}

export interface DiskUsageOptions {
  /** A folder, already through the path guard. */
  root: string;
  /** Folders and files to list (default 10 of each). */
  limit?: number;
  /** List the biggest folders at any depth, not only the root's own subfolders (default false). */
  nested?: boolean;
  signal?: AbortSignal;
  /** Entries scanned and bytes counted so far, about every `progressIntervalMs`. */
  onProgress?: (scanned: number, allocated: number) => void;
  progressIntervalMs?: number;
}

export interface DiskUsageResult extends FolderUsage {
  folders: number;
  /** The biggest folders below the root, biggest first: the root's own subfolders, each with all it holds (at any depth with `nested`). */
  largestFolders: FolderUsage[];
  /** The biggest files, by apparent size (a sparse file counts whole), biggest first. */
  largestFiles: UsageEntry[];
  /** Paths that named a file already counted (hard links), left out of every total. */
  hardLinksCountedOnce: number;
  unreadable: { folders: number; entries: number };
  durationMs: number;
}

interface FolderNode extends FolderUsage {
  depth: number;
  parent: FolderNode | undefined;
}

/** Paths sent to a worker at once. */
const batchSize = 512;

/**
 * Sizes of everything under a folder, as `du` counts them: symlinks are not followed, a file with several hard links
 * counts once, and a folder's own blocks count with it. Folders are sorted by allocated bytes, files by apparent size.
 */
export async function diskUsage(options: DiskUsageOptions): Promise<DiskUsageResult> {
  const started = performance.now();
  const { root, signal } = options;
  const limit = options.limit ?? 10;
  const rootStats = await lstat(root);
  const nodes = new Map<string, FolderNode>();
  const folderOwn = new Map<string, [allocated: number, apparent: number]>([[root, [rootStats.blocks * 512, rootStats.size]]]);
  const largestFiles = new TopList<UsageEntry>(limit, (entry) => entry.apparent);
  const linked = new Map<string, { path: string; owner: FolderNode; allocated: number; apparent: number; isFile: boolean }>();
  const batches: Promise<void>[] = [];
  let paths: string[] = [];
  let owners: FolderNode[] = [];
  let scanned = 0;
  let counted = 0;
  let hardLinksCountedOnce = 0;
  let unreadableEntries = 0;
  const progress = progressTicker(options.progressIntervalMs ?? 500, () => options.onProgress?.(scanned, counted));
  const pool = ScanWorkerPool.start(signal === undefined ? {} : { signal });

  const count = (filePath: string, owner: FolderNode, allocated: number, apparent: number, isFile: boolean) => {
    owner.allocated += allocated;
    owner.apparent += apparent;
    owner.files += 1;
    counted += allocated;
    if (isFile) largestFiles.offer({ path: filePath, allocated, apparent });
  };
  const apply = (batchPaths: string[], batchOwners: FolderNode[], stats: Float64Array) => {
    for (let index = 0; index < batchPaths.length; index++) {
      const at = index * statFieldCount;
      const kind = stats[at + statField.kind];
      const allocated = stats[at + statField.allocated] ?? 0;
      const apparent = stats[at + statField.size] ?? 0;
      const filePath = batchPaths[index] as string;
      if (kind === statKind.unreadable) {
        unreadableEntries += 1;
        continue;
      }
      if (kind === statKind.directory) {
        folderOwn.set(filePath, [allocated, apparent]);
        continue;
      }
      const owner = batchOwners[index] as FolderNode;
      if ((stats[at + statField.nlink] ?? 1) > 1) {
        // Counted once, at the path that sorts first, so the answer does not depend on the walk's order.
        const inode = `${stats[at + statField.dev]}:${stats[at + statField.ino]}`;
        const seen = linked.get(inode);
        if (seen !== undefined) hardLinksCountedOnce += 1;
        if (seen === undefined || filePath < seen.path) {
          linked.set(inode, { path: filePath, owner, allocated, apparent, isFile: kind === statKind.file });
        }
        continue;
      }
      count(filePath, owner, allocated, apparent, kind === statKind.file);
    }
  };
  const flush = () => {
    if (paths.length === 0) return;
    const batchPaths = paths;
    const batchOwners = owners;
    paths = [];
    owners = [];
    const batch = pool.stat(batchPaths).then((stats) => apply(batchPaths, batchOwners, stats));
    batch.catch(() => {}); // Awaited below; if the walk fails first, its error is the one reported.
    batches.push(batch);
  };

  try {
    const summary = await walkTree({
      root,
      hidden: true,
      ...(signal === undefined ? {} : { signal }),
      visit(folder, entries) {
        const node: FolderNode = {
          path: folder.path,
          depth: folder.depth,
          parent: folder.parent === undefined ? undefined : nodes.get(folder.parent.path),
          allocated: 0,
          apparent: 0,
          files: 0,
        };
        nodes.set(folder.path, node);
        for (const entry of entries) {
          paths.push(entryPath(folder, entry.name));
          owners.push(node);
          if (paths.length >= batchSize) flush();
        }
        scanned += entries.length;
        progress(undefined);
      },
    });
    flush();
    await Promise.all(batches);
    for (const file of linked.values()) count(file.path, file.owner, file.allocated, file.apparent, file.isFile);

    // Each folder's own blocks, then totals from the deepest folders up.
    const ordered = [...nodes.values()].sort((a, b) => b.depth - a.depth);
    for (const node of ordered) {
      const own = folderOwn.get(node.path);
      node.allocated += own?.[0] ?? 0;
      node.apparent += own?.[1] ?? 0;
    }
    const largestFolders = new TopList<FolderNode>(limit, (node) => node.allocated);
    for (const node of ordered) {
      if (node.parent !== undefined) {
        node.parent.allocated += node.allocated;
        node.parent.apparent += node.apparent;
        node.parent.files += node.files;
      }
    }
    const top = nodes.get(root) as FolderNode;
    for (const node of ordered) {
      if (node.parent !== undefined && (options.nested === true || node.parent === top)) largestFolders.offer(node);
    }
    return {
      path: root,
      allocated: top.allocated,
      apparent: top.apparent,
      files: top.files,
      folders: summary.folders,
      largestFolders: largestFolders
        .items()
        .map(({ path, allocated, apparent, files }) => ({ path, allocated, apparent, files })),
      largestFiles: largestFiles.items(),
      hardLinksCountedOnce,
      unreadable: { folders: summary.unreadableFolders.length, entries: unreadableEntries },
      durationMs: performance.now() - started,
    };
  } finally {
    await pool.close();
  }
}
