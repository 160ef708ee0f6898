import type { FileHandle } from "node:fs/promises";

const chunkSize = 64 * 1024;

/** Lines taken from one end of a file, and whether the file ended (or was cut) before that many. */
export interface TakenLines {
  lines: string[];
  /** True when the file has fewer lines than were asked for: these are all of them. */
  wholeFile: boolean;
  /** True when reading stopped at `maxBytes` before the lines were complete. */
  cut: boolean;
  /** True when what was read holds a NUL byte: not text. */
  binary: boolean;
}

/**
 * The first `count` lines of an open file, read a chunk at a time from the start: a file of any size costs only
 * what the lines take (at most `maxBytes`). A line is what ends at a newline, or the text after the last newline.
 */
export async function firstLines(handle: FileHandle, count: number, maxBytes = 10 * 1024 * 1024): Promise<TakenLines> {
  const pieces: Buffer[] = [];
  let newlines = 0;
  let position = 0;
  let ended = false;
  let cut = false;
  const buffer = Buffer.alloc(chunkSize);
  while (newlines < count) {
    if (position >= maxBytes) {
      cut = true;
      break;
    }
    const { bytesRead } = await handle.read(buffer, 0, Math.min(chunkSize, maxBytes - position), position);
    if (bytesRead === 0) {
      ended = true;
      break;
    }
    let chunk = buffer.subarray(0, bytesRead);
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
      newlines++;
      if (newlines === count) {
        chunk = chunk.subarray(0, at + 1);
        break;
      }
    }
    pieces.push(Buffer.from(chunk));
    position += bytesRead;
  }
  const bytes = Buffer.concat(pieces);
  const lines = splitLines(bytes.toString("utf8"));
  return {
    lines: lines.slice(0, count),
    wholeFile: ended && lines.length < count,
    cut,
    binary: bytes.subarray(0, 8192).includes(0),
  };
}

/**
 * The last `count` lines of an open file of `size` bytes, read a chunk at a time backwards from its end: a 10 GB log
 * costs only its last lines. A final newline ends the last line; it does not start an empty one.
 */
export async function lastLines(
  handle: FileHandle,
  size: number,
  count: number,
  maxBytes = 10 * 1024 * 1024,
): Promise<TakenLines> {
  const pieces: Buffer[] = [];
  let end = size;
  let newlines = 0;
  let start = size;
  let cut = false;
  // The newline that ends the last line does not count: the lines are the ones it ends.
  const trailing = size > 0 && (await byteAt(handle, size - 1)) === 10 ? 1 : 0;
  while (end > 0 && newlines < count + trailing) {
    if (size - end >= maxBytes) {
      cut = true;
      break;
    }
    const from = Math.max(0, end - chunkSize, size - maxBytes);
    const chunk = Buffer.alloc(end - from);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, from);
    const read = chunk.subarray(0, bytesRead);
    start = from;
    for (let at = read.lastIndexOf(10); at !== -1; at = at === 0 ? -1 : read.lastIndexOf(10, at - 1)) {
      newlines++;
      if (newlines === count + trailing) {
        start = from + at + 1;
        break;
      }
    }
    pieces.unshift(Buffer.from(read.subarray(start - from)));
    end = from;
  }
  const bytes = Buffer.concat(pieces);
  const lines = splitLines(bytes.toString("utf8"));
  return {
    lines: lines.slice(-count),
    wholeFile: start === 0 && !cut && lines.length < count,
    cut,
    binary: bytes.subarray(0, 8192).includes(0),
  };
}

async function byteAt(handle: FileHandle, position: number): Promise<number | undefined> {
  const one = Buffer.alloc(1);
  const { bytesRead } = await handle.read(one, 0, 1, position);
  return bytesRead === 1 ? one[0] : undefined;
}

/** Text split into lines: "a\nb\n" is two lines, "a\nb" too, "" none; a CR before a newline is not part of the line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}
