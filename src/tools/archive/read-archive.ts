import { createReadStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { ProcessingError } from "../../sdk.js";
import { type ArchiveFormat, formatFromBytes, formatFromName, isOwnFormat, isTarHeader, stemOf } from "./archive-format.js";
import { loadTarStream } from "./load-tar-stream.js";
import { loadYauzl } from "./yauzl-promises.js";

/** One entry of an archive, as its header says (nothing read yet). */
export interface ArchiveEntry {
  name: string;
  type: "file" | "directory" | "link" | "other";
  size: number;
  /** Permission bits, when the archive keeps them. */
  mode?: number;
  modified?: Date;
  /** For a link: where it points. */
  linkTarget?: string;
}

/** A visitor of entries: `content` reads the entry's bytes (files only), once, before the visitor returns. */
export type EntryVisitor = (entry: ArchiveEntry, content: () => Promise<Buffer>) => Promise<void>;

/** What an archive is, by its bytes (and, for gzip, by what is inside): an own format, or a refusal that says why. */
export async function detectFormat(handle: FileHandle, fileName: string): Promise<ArchiveFormat> {
  const head = Buffer.alloc(512);
  const { bytesRead } = await handle.read(head, 0, 512, 0);
  const found = formatFromBytes(head.subarray(0, bytesRead));
  if (found === "zip" || found === "tar") return found;
  if (found === "gzip") return (await gzipHoldsTar(handle)) ? "tar.gz" : "gz";
  const named = formatFromName(fileName);
  const kind = found ?? (isOwnFormat(named) ? undefined : named);
  throw new ProcessingError(
    kind === undefined
      ? `${fileName} is not an archive AstrOS can read (not zip, tar, tar.gz or gz)`
      : `${fileName} is a ${kind} archive, which AstrOS cannot open yet (it reads zip, tar, tar.gz and gz)`,
    { code: "REQUEST_INVALID", details: { path: fileName, format: kind }, recovery: "Open it with the program made for it." },
  );
}

/** Whether a gzip file's first 512 bytes, uncompressed, are a tar header. */
async function gzipHoldsTar(handle: FileHandle): Promise<boolean> {
  const { createGunzip } = await import("node:zlib");
  const gunzip = createGunzip();
  const source = streamOf(handle, 16 * 1024);
  source.pipe(gunzip);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= 512) break;
    }
  } catch {
    return false;
  } finally {
    source.unpipe(gunzip);
    gunzip.destroy();
    await stopReading(source);
  }
  return isTarHeader(Buffer.concat(chunks));
}

/** Visit every entry in archive order. A name that leads outside is for the caller to judge; nothing is written here. */
export async function eachEntry(
  handle: FileHandle,
  format: ArchiveFormat,
  fileName: string,
  visit: EntryVisitor,
  signal?: AbortSignal,
): Promise<void> {
  if (format === "zip") return eachZipEntry(handle, visit, signal);
  if (format === "gz") return eachGzipFile(handle, fileName, visit);
  return eachTarEntry(handle, format === "tar.gz", visit, signal);
}

async function eachZipEntry(handle: FileHandle, visit: EntryVisitor, signal?: AbortSignal): Promise<void> {
  const yauzl = await loadYauzl();
  // The archive is read through the open handle the boundary gave (never by its name again).
  const zip = await yauzl.fromFdPromise(handle.fd, { autoClose: false, lazyEntries: true, decodeStrings: false });
  try {
    for await (const entry of zip.eachEntry()) {
      signal?.throwIfAborted();
      const name = decodeName(entry.fileName as unknown as Buffer, entry.generalPurposeBitFlag);
      const unix = entry.versionMadeBy >> 8 === 3;
      const attributes = (entry.externalFileAttributes >>> 16) & 0xffff;
      const fileType = attributes & 0o170000;
      const type =
        name.endsWith("/") || (unix && fileType === 0o040000)
          ? "directory"
          : unix && fileType === 0o120000
            ? "link"
            : unix && fileType !== 0 && fileType !== 0o100000
              ? "other"
              : "file";
      const read = async () => {
        if (entry.isEncrypted()) {
          throw new ProcessingError(`${name} in the zip is encrypted; AstrOS cannot open encrypted zips`, {
            code: "REQUEST_INVALID",
          });
        }
        return collect(await zip.openReadStreamPromise(entry));
      };
      await visit(
        {
          name,
          type,
          size: entry.uncompressedSize,
          ...(unix && attributes !== 0 ? { mode: attributes & 0o7777 } : {}),
          modified: entry.getLastModDate(),
          ...(type === "link" ? { linkTarget: (await read()).toString("utf8") } : {}),
        },
        read,
      );
    }
  } finally {
    // Never zip.close(): on a zip read from an fd it closes that fd, which is the boundary's handle (its owner closes it).
  }
}

/** A zip entry's name: UTF-8 when its flag says so (or it is valid UTF-8), else the old DOS code page read as Latin-1. */
function decodeName(bytes: Buffer, flags: number): string {
  const utf8 = bytes.toString("utf8");
  if ((flags & 0x800) !== 0 || !utf8.includes("\ufffd")) return utf8;
  return bytes.toString("latin1");
}

async function eachTarEntry(handle: FileHandle, gzipped: boolean, visit: EntryVisitor, signal?: AbortSignal): Promise<void> {
  const tar = await loadTarStream();
  const { createGunzip } = await import("node:zlib");
  const source = streamOf(handle);
  const extract = tar.extract();
  const input: Readable = gzipped ? source.pipe(createGunzip()) : source;
  input.on("error", (error) => extract.destroy(error));
  input.pipe(extract);
  try {
    for await (const entry of extract) {
      signal?.throwIfAborted();
      const header = entry.header;
      const type =
        header.type === "file" || header.type === "contiguous-file"
          ? "file"
          : header.type === "directory"
            ? "directory"
            : header.type === "symlink" || header.type === "link"
              ? "link"
              : "other";
      let read: Promise<Buffer> | undefined;
      const content = () => {
        read ??= collect(entry as unknown as Readable);
        return read;
      };
      await visit(
        {
          name: header.name,
          type,
          size: header.size ?? 0,
          ...(header.mode === undefined ? {} : { mode: header.mode & 0o7777 }),
          ...(header.mtime === undefined ? {} : { modified: header.mtime }),
          ...(type === "link" && typeof header.linkname === "string" ? { linkTarget: header.linkname } : {}),
        },
        content,
      );
      // What the visitor did not read is skipped, so the next entry can come.
      if (read === undefined) entry.resume();
      else await read;
    }
  } finally {
    await stopReading(source);
  }
}

/** A gzip file holds one file: the archive's name without `.gz`. */
async function eachGzipFile(handle: FileHandle, fileName: string, visit: EntryVisitor): Promise<void> {
  const { createGunzip } = await import("node:zlib");
  const info = await handle.stat();
  // The size gzip recorded (modulo 4 GiB) in its last four bytes.
  const tail = Buffer.alloc(4);
  await handle.read(tail, 0, 4, Math.max(0, info.size - 4));
  const content = () => collect(streamOf(handle).pipe(createGunzip()));
  await visit({ name: stemOf(path.basename(fileName)), type: "file", size: tail.readUInt32LE(0), modified: info.mtime }, content);
}

/** Stop a stream of the handle and wait until no read of it is under way (the handle is closed right after). */
function stopReading(stream: Readable): Promise<void> {
  stream.on("error", () => undefined);
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("close", () => resolve());
    stream.destroy();
  });
}

/**
 * The archive's bytes from the start, read from the very file the boundary opened: reopened through its handle's
 * /proc/self/fd link (the same open file, never its name again), so the stream owns, and closes, a descriptor of its own.
 */
function streamOf(handle: FileHandle, highWaterMark = 64 * 1024): Readable {
  return createReadStream(`/proc/self/fd/${handle.fd}`, { start: 0, highWaterMark });
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
