import { formatBytes } from "../shared/format-bytes.js";
import { extensionsOf, type FileKind } from "./file-kinds.js";
import type { NameMatch } from "./name-match.js";

/** What a search looks for; every filter given must hold. */
export interface SearchFilters {
  /** A part of the file name ("invoice"), or a glob on the name ("*.tar.gz", "IMG_20??*"); case aside. */
  name?: string;
  /** How `name` is compared (see NameMatch): a phrase in the name (default), all its words, or the exact name. */
  nameMatch?: NameMatch;
  /** Extensions without the dot, any case ("pdf", "tar.gz"). */
  ext?: readonly string[];
  kind?: FileKind;
  /** Bytes, inclusive. */
  minSize?: number;
  maxSize?: number;
  /** A date ("2026-03-11", local midnight) or a date-time: modified at or after it. */
  modifiedAfter?: string;
  /** Modified before it (a date means before that day began). */
  modifiedBefore?: string;
  /** Text inside the file, case aside; binary files (a NUL byte in the first 8 KB) never match. */
  content?: string;
}

/** A date bound as the requests mean it: a bare date is that day's local midnight. */
export function parseDateBound(text: string): number {
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (bare !== null) return new Date(Number(bare[1]), Number(bare[2]) - 1, Number(bare[3])).getTime();
  return Date.parse(text);
}

/** Extensions as given by people or parsers (".PDF", "pdf") made comparable. */
export function normalizeExtensions(ext: string | readonly string[] | undefined): string[] | undefined {
  if (ext === undefined) return undefined;
  const list = (typeof ext === "string" ? ext.split(/[,\s]+/) : ext)
    .map((extension) =>
      extension
        .trim()
        .replace(/^\*?\.+/, "")
        .toLowerCase(),
    )
    .filter((extension) => extension !== "");
  return list.length === 0 ? undefined : list;
}

const nameDescriptions: Record<NameMatch, string> = {
  contains: "named",
  words: "with every word of",
  exact: "named exactly",
};

/** The filters in words, for messages: "*.pdf, over 5.0 MB, modified since 2026-03-11". */
export function describeFilters(filters: SearchFilters): string {
  const parts: string[] = [];
  if (filters.name !== undefined)
    parts.push(`${nameDescriptions[filters.nameMatch ?? "contains"]} ${JSON.stringify(filters.name)}`);
  if (filters.kind !== undefined) parts.push(`${filters.kind} files (${extensionsOf(filters.kind).slice(0, 4).join(", ")}, …)`);
  if (filters.ext !== undefined) parts.push(filters.ext.map((extension) => `*.${extension}`).join(" or "));
  if (filters.minSize !== undefined) parts.push(`at least ${formatBytes(filters.minSize)}`);
  if (filters.maxSize === 0) parts.push("empty");
  else if (filters.maxSize !== undefined) parts.push(`at most ${formatBytes(filters.maxSize)}`);
  if (filters.modifiedAfter !== undefined) parts.push(`modified since ${filters.modifiedAfter}`);
  if (filters.modifiedBefore !== undefined) parts.push(`modified before ${filters.modifiedBefore}`);
  if (filters.content !== undefined) parts.push(`containing ${JSON.stringify(filters.content)}`);
  return parts.join(", ");
}
