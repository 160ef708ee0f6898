import { kindOf } from "../file-scan/file-kinds.js";

/**
 * When a photo was taken, from its EXIF data (DateTimeOriginal, else CreateDate), or undefined for
 * files that are not images or carry no such date. exifr is loaded on first use only.
 */
export async function photoDate(filePath: string): Promise<Date | undefined> {
  if (kindOf(filePath) !== "image") return undefined;
  try {
    const { default: exifr } = await import("exifr");
    const tags = (await exifr.parse(filePath, { pick: ["DateTimeOriginal", "CreateDate"] })) as
      | { DateTimeOriginal?: unknown; CreateDate?: unknown }
      | undefined;
    const value = tags?.DateTimeOriginal ?? tags?.CreateDate;
    return value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined;
  } catch {
    return undefined;
  }
}
