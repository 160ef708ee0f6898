/** The kinds of archive AstrOS makes and opens itself: zip, tar, gzip-compressed tar, and one gzip-compressed file. */
export const archiveFormats = ["zip", "tar", "tar.gz", "gz"] as const;
export type ArchiveFormat = (typeof archiveFormats)[number];

/** Kinds people have that AstrOS recognises but cannot open yet: named in the answer, never guessed at. */
export type ForeignFormat = "tar.bz2" | "tar.xz" | "bz2" | "xz" | "7z" | "rar" | "zst";

/** The ending a new archive of `format` gets. */
export function extensionOf(format: ArchiveFormat): string {
  return format === "tar.gz" ? ".tar.gz" : `.${format}`;
}

/** The format a file name says (`site.tgz` is tar.gz), or undefined when it names none. */
export function formatFromName(name: string): ArchiveFormat | ForeignFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith(".zip")) return "zip";
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar.gz";
  if (lower.endsWith(".tar.bz2") || lower.endsWith(".tbz2") || lower.endsWith(".tbz")) return "tar.bz2";
  if (lower.endsWith(".tar.xz") || lower.endsWith(".txz")) return "tar.xz";
  if (lower.endsWith(".tar")) return "tar";
  if (lower.endsWith(".gz")) return "gz";
  if (lower.endsWith(".bz2")) return "bz2";
  if (lower.endsWith(".xz")) return "xz";
  if (lower.endsWith(".7z")) return "7z";
  if (lower.endsWith(".rar")) return "rar";
  if (lower.endsWith(".zst")) return "zst";
  return undefined;
}

/** Whether a format is one AstrOS opens itself. */
export function isOwnFormat(format: string | undefined): format is ArchiveFormat {
  return (archiveFormats as readonly string[]).includes(format ?? "");
}

/**
 * What the first bytes of a file say it is: zip, gzip (a tar inside or one file: the caller looks inside), tar, or a
 * kind AstrOS does not open; undefined when it is no archive at all.
 */
export function formatFromBytes(head: Uint8Array): "zip" | "gzip" | "tar" | ForeignFormat | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return "zip";
  if (starts(0x1f, 0x8b)) return "gzip";
  if (isTarHeader(head)) return "tar";
  if (starts(0x42, 0x5a, 0x68)) return "bz2";
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return "xz";
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return "7z";
  if (starts(0x52, 0x61, 0x72, 0x21)) return "rar";
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return "zst";
  return undefined;
}

/** A tar header block: "ustar" at offset 257 (POSIX and GNU tar both write it). */
export function isTarHeader(block: Uint8Array): boolean {
  return block.length >= 262 && Buffer.from(block.subarray(257, 262)).toString("latin1") === "ustar";
}

/** The name an archive's contents are known by: `photos.zip` → `photos`, `site.tar.gz` → `site`, `big.log.gz` → `big.log`. */
export function stemOf(name: string): string {
  const stem = name.replace(/\.(?:tar\.gz|tar\.bz2|tar\.xz|tgz|tbz2?|txz|zip|tar|gz|bz2|xz|7z|rar|zst)$/i, "");
  return stem === "" ? name : stem;
}
