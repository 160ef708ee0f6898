import { openForReading } from "../../exec/boundary/file-boundary.js";

/** A line that contains what was searched for (1-based line number). */
export interface LineMatch {
  line: number;
  content: string;
}

/** Files larger than this are not read line by line. */
const maximumFileBytes = 10 * 1024 * 1024;
/** Longest line content returned (characters). */
const maximumLineLength = 1000;

/**
 * The lines of a text file that contain `pattern`, case aside (as the content search matches
 * files), at most `limit` of them. `realPath` must already be through the path guard; it is opened through
 * the file boundary (no link followed on any component, no file with other names), non-blocking so a named pipe
 * swapped in after the search cannot hang the server. Binary files and files over 10 MB have none.
 */
export async function matchingLines(realPath: string, pattern: string, limit: number): Promise<LineMatch[]> {
  const { handle, info } = await openForReading(realPath);
  let bytes: Buffer;
  try {
    if (!info.isFile() || info.size > maximumFileBytes) return [];
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  if (bytes.subarray(0, 8192).includes(0)) return [];
  const needle = pattern.toLowerCase();
  const matches: LineMatch[] = [];
  const lines = bytes.toString("utf8").split("\n");
  for (const [index, raw] of lines.entries()) {
    if (matches.length >= limit) break;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!line.toLowerCase().includes(needle)) continue;
    matches.push({
      line: index + 1,
      content: line.length > maximumLineLength ? `${line.slice(0, maximumLineLength - 1)}…` : line,
    });
  }
  return matches;
}
