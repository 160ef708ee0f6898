/** Size bounds a request sets on files, in bytes (KB, MB, GB are powers of 1024). */
export interface SizeBounds {
  minSize?: number;
  maxSize?: number;
}

const units: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  kilobyte: 1024,
  kilobytes: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  meg: 1024 ** 2,
  megs: 1024 ** 2,
  megabyte: 1024 ** 2,
  megabytes: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  gig: 1024 ** 3,
  gigs: 1024 ** 3,
  gigabyte: 1024 ** 3,
  gigabytes: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
  terabyte: 1024 ** 4,
  terabytes: 1024 ** 4,
};
const size = String.raw`(\d+(?:\.\d+)?)\s*(bytes?|b|kb|kib|k|kilobytes?|mb|mib|m|megs?|megabytes?|gb|gib|g|gigs?|gigabytes?|tb|tib|t|terabytes?)\b`;
const atLeast = new RegExp(
  String.raw`\b(?:(?:larger|bigger|greater|more|heavier|over|above|exceeding|at least|no (?:smaller|less) than|>=?|minimum(?: of)?|min)(?: than)?|over|above|exceeding)\s*(?:a size of\s*)?${size}`,
  "g",
);
const atMost = new RegExp(
  String.raw`\b(?:(?:smaller|less|lighter|fewer|under|below|at most|no (?:bigger|larger|more) than|<=?|maximum(?: of)?|max|up to)(?: than)?|under|below)\s*${size}`,
  "g",
);
const between = new RegExp(String.raw`\bbetween\s*${size}\s*(?:and|to|-)\s*${size}`);
const suffixBound = new RegExp(String.raw`${size}\s*(?:or|and)\s*(more|bigger|larger|above|over|less|smaller|under|below)\b`);

function bytes(amount: string | undefined, unit: string | undefined): number {
  return Math.round(Number(amount) * (units[(unit ?? "b").toLowerCase()] ?? 1));
}

/** The size bounds in a lower-cased request ("over 5 MB", "under 10 MB", "between 1 and 2 GB"). */
export function findSizes(lower: string): SizeBounds {
  if (!/\d/.test(lower)) return {};
  const bounds: SizeBounds = {};
  const range = between.exec(lower);
  if (range !== null) {
    const low = bytes(range[1], range[2]);
    return { minSize: low, maxSize: bytes(range[3], range[4]) };
  }
  for (const match of lower.matchAll(atLeast)) bounds.minSize = bytes(match[1], match[2]);
  for (const match of lower.matchAll(atMost)) bounds.maxSize = bytes(match[1], match[2]);
  const suffix = suffixBound.exec(lower);
  if (suffix !== null) {
    const value = bytes(suffix[1], suffix[2]);
    if (/more|bigger|larger|above|over/.test(suffix[3] ?? "")) bounds.minSize = value;
    else bounds.maxSize = value;
  }
  return bounds;
}

/** "large files", "huge files": a size bound when no number is given. */
export function impliedMinimumSize(lower: string): number | undefined {
  if (/\b(?:huge|massive|enormous|giant)\b/.test(lower)) return 1024 ** 3;
  if (/\b(?:large|big|biggest|largest|heavy)\s+(?:files?|videos?|ones|documents?|archives?|downloads?)\b/.test(lower))
    return 100 * 1024 ** 2;
  return undefined;
}
