import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";

const chunkSize = 1024 * 1024;

/** What `wc` counts in a file, and whether its last line lacks a newline (then `wc -l` says one line fewer). */
export interface TextCounts {
  /** Lines as a person counts them: a last line without a newline is a line too. */
  lines: number;
  /** Newline characters: what `wc -l` prints. */
  newlines: number;
  /** Runs of characters between whitespace, as `wc -w` counts them. */
  words: number;
  /** UTF-8 characters, as `wc -m` counts them in a UTF-8 locale. */
  characters: number;
  bytes: number;
  /** A NUL byte in the first 8 KB: not text (a PDF, an image, a program). */
  binary: boolean;
}

/** ASCII whitespace as wc sees it: space, tab, newline, vertical tab, form feed, carriage return. */
function isSpace(byte: number): boolean {
  return byte === 32 || (byte >= 9 && byte <= 13);
}

/**
 * Count lines, words, characters and bytes of an open file, a megabyte at a time from its start (a file of any size
 * streams through; nothing of it is kept). `signal` stops a long count.
 */
export async function countText(handle: FileHandle, signal?: AbortSignal): Promise<TextCounts> {
  const buffer = Buffer.alloc(chunkSize);
  let newlines = 0;
  let words = 0;
  let characters = 0;
  let bytes = 0;
  let inWord = false;
  let binary = false;
  let last = -1;
  for (;;) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(buffer, 0, chunkSize, bytes);
    if (bytesRead === 0) break;
    for (let index = 0; index < bytesRead; index++) {
      const byte = buffer[index] as number;
      if (byte === 10) newlines++;
      // Every byte that does not continue a UTF-8 sequence starts a character.
      if ((byte & 0xc0) !== 0x80) characters++;
      if (isSpace(byte)) inWord = false;
      else if (!inWord) {
        inWord = true;
        words++;
      }
    }
    if (bytes < 8192 && buffer.subarray(0, Math.min(bytesRead, 8192 - bytes)).includes(0)) binary = true;
    bytes += bytesRead;
    last = buffer[bytesRead - 1] as number;
  }
  const lines = newlines + (bytes > 0 && last !== 10 ? 1 : 0);
  return { lines, newlines, words, characters, bytes, binary };
}

/** The checksum algorithms a person names, as Node's crypto calls them. */
export const checksumAlgorithms = {
  md5: "md5",
  sha1: "sha1",
  sha224: "sha224",
  sha256: "sha256",
  sha384: "sha384",
  sha512: "sha512",
  blake2: "blake2b512",
} as const;

export type ChecksumAlgorithm = keyof typeof checksumAlgorithms;

/** The hex digest of an open file's bytes, streamed a megabyte at a time. */
export async function checksumOf(handle: FileHandle, algorithm: ChecksumAlgorithm, signal?: AbortSignal): Promise<string> {
  const hash = createHash(checksumAlgorithms[algorithm]);
  const buffer = Buffer.alloc(chunkSize);
  let position = 0;
  for (;;) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(buffer, 0, chunkSize, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest("hex");
}
