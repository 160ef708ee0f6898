import path from "node:path";
import type { FileEntry } from "../../sdk.js";
import { type FileKind, kindOf } from "../file-scan/file-kinds.js";

export const organizeMethods = ["type", "date", "size", "extension"] as const;
export type OrganizeMethod = (typeof organizeMethods)[number];

/** One planned move: a file into a folder under the organized folder. */
export interface PlannedMove {
  from: string;
  /** The folder it goes into, relative to the organized folder (e.g. "Images", "2024/07"). */
  folder: string;
}

const folderByKind: Record<FileKind, string> = {
  image: "Images",
  video: "Videos",
  audio: "Audio",
  document: "Documents",
  archive: "Archives",
  code: "Code",
  spreadsheet: "Spreadsheets",
  presentation: "Presentations",
  text: "Text",
};

const sizeBands: ReadonlyArray<readonly [number, string]> = [
  [100 * 1024, "Tiny (under 100 KB)"],
  [1024 * 1024, "Small (100 KB to 1 MB)"],
  [100 * 1024 * 1024, "Medium (1 to 100 MB)"],
  [1024 * 1024 * 1024, "Large (100 MB to 1 GB)"],
  [Number.POSITIVE_INFINITY, "Huge (over 1 GB)"],
];

/** The folder a file belongs in. `taken` is when it was taken (EXIF) or last modified. */
export function folderFor(
  entry: Pick<FileEntry, "name" | "size">,
  method: OrganizeMethod,
  taken: Date,
  dateFormat: "YYYY/MM" | "YYYY-MM",
): string {
  switch (method) {
    case "type": {
      const kind = kindOf(entry.name);
      return kind === undefined ? "Other" : folderByKind[kind];
    }
    case "extension": {
      const extension = path.extname(entry.name).slice(1).toLowerCase();
      return extension === "" ? "no extension" : extension;
    }
    case "size":
      return sizeBands.find(([limit]) => entry.size < limit)?.[1] ?? "Huge (over 1 GB)";
    case "date": {
      const year = String(taken.getFullYear());
      const month = String(taken.getMonth() + 1).padStart(2, "0");
      return dateFormat === "YYYY-MM" ? `${year}-${month}` : `${year}/${month}`;
    }
  }
}

/**
 * The plan with each of the organizer's folders given a name no file holds: where something other than a folder (a
 * file, a symlink) already has the name in the organized folder, the folder becomes "Images (1)" (or the next free
 * number), so nothing stands in the way and nothing is overwritten or followed.
 */
export function clearFolderNames(
  moves: readonly PlannedMove[],
  entries: ReadonlyArray<Pick<FileEntry, "name" | "type">>,
): PlannedMove[] {
  const blocked = new Set(entries.filter((entry) => entry.type !== "directory").map((entry) => entry.name));
  const names = new Map<string, string>();
  const freeName = (top: string) => {
    for (let index = 0; ; index += 1) {
      const candidate = index === 0 ? top : `${top} (${index})`;
      if (!blocked.has(candidate)) return candidate;
    }
  };
  return moves.map((move) => {
    const [top = "", ...rest] = move.folder.split("/");
    let name = names.get(top);
    if (name === undefined) {
      name = freeName(top);
      names.set(top, name);
    }
    return name === top ? move : { ...move, folder: [name, ...rest].join("/") };
  });
}

/** A plan summed up by folder, largest first: "Images (300), Documents (12)". */
export function summarizePlan(moves: readonly PlannedMove[]): Array<{ folder: string; count: number }> {
  const counts = new Map<string, number>();
  for (const move of moves) counts.set(move.folder, (counts.get(move.folder) ?? 0) + 1);
  return [...counts]
    .map(([folder, count]) => ({ folder, count }))
    .sort((a, b) => b.count - a.count || a.folder.localeCompare(b.folder));
}
