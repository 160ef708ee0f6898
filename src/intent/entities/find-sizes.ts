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

/** "large files", "huge files": a size bound when no number is given ("the biggest files" is a ranking, not a bound). */
export function impliedMinimumSize(lower: string): number | undefined {
  if (largestCount(lower) !== undefined) return undefined;
  if (/\b(?:huge|massive|enormous|giant)\s+(?:files?|videos?|ones|documents?|archives?|downloads?|movies?|stuff)\b/.test(lower))
    return 1024 ** 3;
  if (/\b(?:large|big|heavy)\s+(?:files?|videos?|ones|documents?|archives?|downloads?)\b/.test(lower)) return 100 * 1024 ** 2;
  return undefined;
}

/** "empty files", "zero-byte files", "files that are empty": nothing in them. */
const emptyFiles =
  /\bempty\s+(?:[a-z0-9]+\s+)?(?:files?|ones|documents?|docs|logs?|scripts?|pdfs|text files)\b|\b(?:files?|ones)\s+(?:that\s+are\s+|which\s+are\s+|that'?re\s+)?(?:completely\s+|totally\s+)?empty\b|\b(?:zero|0)[- ]?(?:bytes?|b|length|size[d]?)\s+(?:files?|ones)\b/;

/** Whether a request asks for empty files (a size of at most 0 bytes). */
export function asksForEmptyFiles(lower: string): boolean {
  return emptyFiles.test(lower);
}

const countWords: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  fifty: 50,
  hundred: 100,
};
const countValue = String.raw`(\d{1,4}|${Object.keys(countWords).join("|")})`;
const superlative = "(?:biggest|largest|heaviest|fattest|hugest)";
const rankings: ReadonlyArray<RegExp> = [
  // "the 5 biggest files", "top 3 largest folders", "five biggest"
  new RegExp(String.raw`\b${countValue}\s+${superlative}\b`),
  // "biggest 3 folders", "largest 10"
  new RegExp(String.raw`\b${superlative}\s+${countValue}\b(?!\s*(?:bytes?|b|kb|mb|gb|tb|k|m|g|megs?|gigs?)\b)`),
  // "top 5 files by size", "the top ten folders"
  new RegExp(String.raw`\btop\s+${countValue}\b(?!\s*(?:bytes?|b|kb|mb|gb|tb|k|m|g|megs?|gigs?)\b)`),
];
/** One thing said in the singular: "the biggest file", "which folder is the largest". */
const singular = new RegExp(
  String.raw`\b(?:the|my)\s+(?:single\s+)?${superlative}\s+(?:file|folder|directory|dir|subfolder|one|thing|item|[a-z0-9]+\s+file|pdf|photo|picture|image|video|movie|song|document|archive|download)\b|\b(?:which|what)\s+(?:file|folder|directory|dir|subfolder|one)\b.{0,40}\bis\s+(?:the\s+)?${superlative}\b|\b(?:which|what)(?:'s| is)\s+(?:the\s+)?${superlative}\s+(?:file|folder|directory|dir|subfolder|one)\b`,
);
const plural = new RegExp(String.raw`\b${superlative}\b`);

/**
 * How many of the biggest a request asks for: "the 5 biggest files" 5, "biggest 3 folders" 3, "the biggest file" 1,
 * "my largest files" 10 (no number: a list); undefined when it asks for no ranking by size.
 */
export function largestCount(lower: string): number | undefined {
  for (const pattern of rankings) {
    const match = pattern.exec(lower);
    if (match === null) continue;
    if (pattern !== rankings[0] && pattern !== rankings[1] && !plural.test(lower) && !/\b(?:by size|size|space)\b/.test(lower))
      continue;
    const word = match[1] ?? "";
    const value = countWords[word] ?? Number(word);
    if (Number.isInteger(value) && value > 0) return value;
  }
  if (singular.test(lower)) return 1;
  return plural.test(lower) ? 10 : undefined;
}
