const units = ["B", "KB", "MB", "GB", "TB", "PB"];

/**
 * A byte count for people, in powers of 1024 as requests mean them: 1536 → "1.5 KB", 25276510208 → "23.5 GB"
 * (short unit names); "unknown" for a count that is not one (negative, NaN, infinite).
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "unknown";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
