import type { Readable } from "node:stream";
import { openForReading, ProcessingError } from "../../sdk.js";
import type { ArchiveFormat } from "./archive-format.js";
import { loadTarStream } from "./load-tar-stream.js";

/** One thing to put in a new archive: its name inside, and the real path (the path guard's) to read it from. */
export interface PackedItem {
  /** The name inside the archive, `/`-separated (`taxes/2023/1099.pdf`). */
  name: string;
  type: "file" | "directory";
  realPath: string;
  size: number;
  mode: number;
  modified: Date;
}

/**
 * Build an archive of `items` in memory and return its bytes (written whole through the file boundary after).
 * Each file is opened through the boundary when its turn comes (no link followed, no file with other names), one
 * at a time; a file that changed size since it was listed is refused rather than packed torn.
 */
export async function buildArchive(format: ArchiveFormat, items: readonly PackedItem[], signal?: AbortSignal): Promise<Buffer> {
  if (format === "zip") return buildZip(items, signal);
  if (format === "gz") {
    const [only] = items;
    if (only === undefined || items.length !== 1 || only.type !== "file")
      throw new ProcessingError("gzip compresses one file; a folder or several files go in a .tar.gz or a .zip", {
        code: "REQUEST_INVALID",
      });
    const { gzip } = await import("node:zlib");
    const { promisify } = await import("node:util");
    return promisify(gzip)(await readItem(only));
  }
  return buildTar(items, format === "tar.gz", signal);
}

async function buildZip(items: readonly PackedItem[], signal?: AbortSignal): Promise<Buffer> {
  const yazl = (await import("yazl")) as typeof import("yazl") & { default?: typeof import("yazl") };
  // Bundled, a CommonJS module's exports are its default export.
  const { ZipFile } = typeof yazl.ZipFile === "function" ? yazl : (yazl.default as typeof import("yazl"));
  const zip = new ZipFile();
  // A file that fails to open is an error of the zip, not of its output: either ends the build.
  const failed = new Promise<never>((_, reject) => zip.on("error", reject));
  const output = Promise.race([collect(zip.outputStream as unknown as Readable), failed]);
  output.catch(() => undefined);
  for (const item of items) {
    signal?.throwIfAborted();
    const options = { mtime: item.modified, mode: item.mode | (item.type === "directory" ? 0o040000 : 0o100000) };
    if (item.type === "directory") zip.addEmptyDirectory(item.name, options);
    // Read as its turn comes: one open file at a time however many are packed.
    else
      zip.addReadStreamLazy(item.name, { ...options, size: item.size }, (done) => {
        openItem(item).then(
          (handle) => done(null, handle.createReadStream()),
          (error: Error) => done(error, undefined as unknown as Readable),
        );
      });
  }
  zip.end();
  return output;
}

async function buildTar(items: readonly PackedItem[], gzipped: boolean, signal?: AbortSignal): Promise<Buffer> {
  const tar = await loadTarStream();
  const { createGzip } = await import("node:zlib");
  const pack = tar.pack();
  const stream = (gzipped ? pack.pipe(createGzip()) : pack) as unknown as Readable;
  const output = collect(stream);
  output.catch(() => undefined);
  try {
    for (const item of items) {
      signal?.throwIfAborted();
      const header = { name: item.name, mode: item.mode, mtime: item.modified };
      if (item.type === "directory") {
        await new Promise<void>((resolve, reject) =>
          pack.entry({ ...header, type: "directory" }, (error) => (error ? reject(error) : resolve())),
        );
        continue;
      }
      const bytes = await readItem(item);
      await new Promise<void>((resolve, reject) =>
        pack.entry({ ...header, type: "file", size: bytes.length }, bytes, (error) => (error ? reject(error) : resolve())),
      );
    }
    pack.finalize();
  } catch (error) {
    pack.destroy(error as Error);
    throw error;
  }
  return output;
}

async function openItem(item: PackedItem) {
  const { handle, info } = await openForReading(item.realPath);
  if (!info.isFile() || info.size !== item.size) {
    await handle.close();
    throw new ProcessingError(`${item.realPath} changed while it was being packed; nothing was written`, {
      code: "REQUEST_INVALID",
      details: { path: item.realPath },
    });
  }
  return handle;
}

async function readItem(item: PackedItem): Promise<Buffer> {
  const handle = await openItem(item);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
