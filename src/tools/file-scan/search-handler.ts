import { AstrOSError, defineHandler, type HandlerContext, type HandlerResult, z } from "../../sdk.js";
import { formatBytes } from "../shared/format-bytes.js";
import { fileKinds } from "./file-kinds.js";
import { formatCount } from "./format-count.js";
import { formatDate } from "./format-date.js";
import { LineStream } from "./line-stream.js";
import { nameMatches } from "./name-match.js";
import { resolveFolder } from "./resolve-folder.js";
import type { FileMatch, SearchResult } from "./search-files.js";
import { describeFilters, normalizeExtensions, parseDateBound, type SearchFilters } from "./search-filters.js";

const dateBound = z
  .string()
  .refine((text) => !Number.isNaN(parseDateBound(text)), "expected a date like 2026-03-11 or an ISO date-time");

export const searchArguments = z.object({
  path: z.string().optional().describe("Folder to search (default: the current folder)"),
  name: z.string().optional().describe("Part of the file name, or a glob on it (*.tar.gz)"),
  nameMatch: z
    .enum(nameMatches)
    .optional()
    .describe("contains: the name as a phrase (default); words: every word anywhere in the name; exact: the whole name"),
  ext: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe("Extensions without the dot"),
  kind: z.enum(fileKinds).optional(),
  minSize: z.number().nonnegative().optional().describe("Bytes (KB, MB, GB are powers of 1024)"),
  maxSize: z.number().nonnegative().optional().describe("Bytes"),
  modifiedAfter: dateBound.optional().describe("Modified on or after this date (YYYY-MM-DD)"),
  modifiedBefore: dateBound.optional().describe("Modified before this date (YYYY-MM-DD)"),
  content: z.string().optional().describe("Text inside the files (binary files are skipped)"),
  ignore: z.boolean().default(false).describe("Honour .gitignore and .ignore files"),
  hidden: z.boolean().default(false).describe("Include hidden files and folders"),
  emptyFolders: z
    .boolean()
    .default(false)
    .describe("Find empty folders (nothing inside, hidden files included) instead of files"),
  limit: z.number().int().positive().max(10_000).default(100).describe("Matches to list; the count goes past it"),
  largest: z
    .number()
    .int()
    .positive()
    .max(1000)
    .optional()
    .describe("List only the N biggest matching files, biggest first (no size floor)"),
});

type SearchArguments = z.infer<typeof searchArguments>;

/** files.search: files by name, extension, kind, size, date and content under a folder. */
export const searchHandler = defineHandler({
  intent: "files.search",
  description: "Find files under a folder by name, extension, kind, size, modification date or content",
  examples: ["find PDFs over 5 MB in Downloads", "search for files named invoice", "find files containing TODO"],
  args: searchArguments,
  pathArgs: ["path"],
  readOnly: true,
  run: runSearch,
});

async function runSearch(args: SearchArguments, context: HandlerContext): Promise<HandlerResult> {
  const root = await resolveFolder(context, args.path);
  const filters = filtersOf(args);
  const { searchFiles } = await import("./search-files.js");
  const stream = new LineStream((delta) => context.text(delta));
  const result = await searchFiles({
    root,
    filters,
    limit: args.limit,
    ...(args.largest === undefined ? {} : { largest: args.largest }),
    ...(args.emptyFolders ? { emptyFolders: true } : {}),
    hidden: args.hidden,
    ignoreFiles: args.ignore,
    signal: context.signal,
    onMatch: (match) => stream.line(describeMatch(match)),
    onProgress: (scanned) => context.progress(undefined, `scanned ${formatCount(scanned, "item")}`),
    canRead: async (filePath) => {
      try {
        await context.files.resolve(filePath);
        return true;
      } catch (error) {
        if (AstrOSError.isInstance(error) && error.code === "PATH_DENIED") return false;
        throw error;
      }
    },
  });
  const summary = summarize(result, args.emptyFolders ? {} : filters, args.largest, args.emptyFolders);
  stream.line(summary);
  stream.flush();
  const suggestions: string[] = [];
  if (result.total === 0 && !args.hidden) suggestions.push("Hidden files were left out: search again with hidden: true.");
  if (result.truncated && args.largest === undefined)
    suggestions.push(`Narrow the search, or raise limit (now ${args.limit}) to list more.`);
  return {
    success: true,
    message: [summary, ...result.matches.map(describeMatch)].join("\n"),
    data: { ...result, limit: args.limit, filters },
    suggestions,
  };
}

function filtersOf(args: SearchArguments): SearchFilters {
  const ext = normalizeExtensions(args.ext);
  const filters: SearchFilters = {};
  if (args.name !== undefined && args.name.trim() !== "") filters.name = args.name.trim();
  if (filters.name !== undefined && args.nameMatch !== undefined) filters.nameMatch = args.nameMatch;
  if (ext !== undefined) filters.ext = ext;
  if (args.kind !== undefined) filters.kind = args.kind;
  if (args.minSize !== undefined) filters.minSize = args.minSize;
  if (args.maxSize !== undefined) filters.maxSize = args.maxSize;
  if (args.modifiedAfter !== undefined) filters.modifiedAfter = args.modifiedAfter;
  if (args.modifiedBefore !== undefined) filters.modifiedBefore = args.modifiedBefore;
  if (args.content !== undefined && args.content !== "") filters.content = args.content;
  return filters;
}

function describeMatch(match: FileMatch): string {
  if (match.type === "directory") return `${match.path}/  (folder, ${formatDate(match.modified)})`;
  return `${match.path}  (${formatBytes(match.size)}, ${formatDate(match.modified)})`;
}

function summarize(result: SearchResult, filters: SearchFilters, largest: number | undefined, emptyFolders: boolean): string {
  const described = emptyFolders ? "empty folders" : describeFilters(filters);
  const what = described === "" ? "" : ` (${described})`;
  const { total, root } = result;
  const parts = [
    total === 0 ? `Nothing found in ${root}${what}.` : `Found ${formatCount(total, "match", "matches")} in ${root}${what}.`,
  ];
  if (largest !== undefined && total > 0) {
    const shown = result.matches.length;
    parts.push(shown === 1 ? "The biggest is listed." : `The ${shown} biggest are listed, biggest first.`);
  } else if (result.matches.length < total) parts.push(`Showing the first ${result.matches.length}.`);
  const skipped: string[] = [];
  if (result.skipped.binaryFiles > 0) skipped.push(formatCount(result.skipped.binaryFiles, "binary file"));
  if (result.skipped.protectedFiles > 0) skipped.push(formatCount(result.skipped.protectedFiles, "protected file"));
  const skippedText = skipped.length === 0 ? "" : `, skipped ${skipped.join(" and ")}`;
  parts.push(
    `Scanned ${formatCount(result.scanned.entries, "item")}${skippedText} in ${(result.durationMs / 1000).toFixed(1)} s.`,
  );
  return parts.join(" ");
}
