import type { Readable } from "node:stream";
import type { Entry, Options } from "yauzl";

/** The promise API yauzl 3 has and its published types (written for yauzl 2) lack. */
export interface ZipReader {
  eachEntry(): AsyncIterable<Entry>;
  openReadStreamPromise(entry: Entry): Promise<Readable>;
  close(): void;
}

export interface YauzlPromises {
  fromFdPromise(fd: number, options?: Options): Promise<ZipReader>;
}

/** yauzl, loaded when an archive is first read. */
export async function loadYauzl(): Promise<YauzlPromises> {
  const module = (await import("yauzl")) as unknown as YauzlPromises & { default?: YauzlPromises };
  return typeof module.fromFdPromise === "function" ? module : (module.default as YauzlPromises);
}
