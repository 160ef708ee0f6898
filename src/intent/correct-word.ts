import { grammarWords, typoTargets } from "./lexicon.js";

/** Misspellings and British spellings people type, each mapped to the word the grammar knows. */
const known = new Map<string, string>(
  Object.entries({
    organise: "organize",
    organised: "organized",
    organising: "organizing",
    categorise: "categorize",
    colour: "color",
    colours: "colors",
    recognise: "recognize",
    catalogue: "catalog",
    favourite: "favorite",
    favourites: "favorites",
    pls: "please",
    plz: "please",
    thx: "thanks",
    wats: "what's",
    wat: "what",
    wrte: "write",
    wirte: "write",
    cpy: "copy",
    whats: "what's",
    wheres: "where's",
    whos: "who's",
    hows: "how's",
    dont: "don't",
    doesnt: "doesn't",
    cant: "can't",
    youre: "you're",
    theyre: "they're",
    isnt: "isn't",
    arent: "aren't",
    didnt: "didn't",
    havent: "haven't",
    wasnt: "wasn't",
    thats: "that's",
    theres: "there's",
    ive: "i've",
    im: "i'm",
    u: "you",
    ur: "your",
    pics: "pictures",
    pix: "pictures",
    docs: "documents",
    dl: "downloads",
    dls: "downloads",
    dloads: "downloads",
    proc: "process",
    procs: "processes",
    dir: "dir",
    dupes: "duplicates",
    dups: "duplicates",
    dupe: "duplicate",
    teh: "the",
    taht: "that",
    fo: "of",
    fiels: "files",
    flies: "files",
    fils: "files",
    flie: "file",
    fiel: "file",
    mkae: "make",
    kil: "kill",
    excute: "execute",
    exectue: "execute",
    rember: "remember",
    remeber: "remember",
    rmemeber: "remember",
    serch: "search",
    lsit: "list",
    amke: "make",
  }),
);

const vocabulary = [...typoTargets];
const byLength = new Map<number, string[]>();
for (const word of vocabulary) {
  const list = byLength.get(word.length) ?? [];
  list.push(word);
  byLength.set(word.length, list);
}

/** Damerau–Levenshtein distance (optimal string alignment), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const previous = rows[i - 1] as number[];
    let best = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = value;
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
  }
  return (rows[a.length] as number[])[b.length] as number;
}

const shortTargets = vocabulary
  .filter((target) => target.length === 4)
  .map((target) => ({ target, letters: [...target].sort().join("") }));

/** "lsit" is "list", "mvoe" is "move": four-letter grammar words with two letters swapped. */
function transposed(word: string): string | undefined {
  const letters = [...word].sort().join("");
  return shortTargets.find((entry) => entry.letters === letters && editDistance(word, entry.target, 1) === 1)?.target;
}

/**
 * The grammar's word for a typed word: a known misspelling or British spelling, or a word of the
 * grammar's vocabulary one typo away (two for long words). Short words, names with digits or
 * capitals inside, and words the vocabulary already has are left alone. Case is kept for words
 * that are not changed.
 */
export function correctWord(word: string): string {
  const seen = memo.get(word);
  if (seen !== undefined) return seen;
  const result = correctUncached(word);
  if (memo.size < 20_000) memo.set(word, result);
  return result;
}

/** Every word's answer, remembered: requests repeat their words. */
const memo = new Map<string, string>();

function correctUncached(word: string): string {
  const lower = word.toLowerCase();
  const mapped = known.get(lower);
  if (mapped !== undefined) return mapped;
  if (lower.length === 4 && !grammarWords.has(lower)) return transposed(lower) ?? word;
  if (lower.length < 5 || lower.length > 14 || grammarWords.has(lower) || /[^a-z']/.test(lower)) return word;
  if (/[A-Z]/.test(word.slice(1))) return word;
  const limit = lower.length >= 8 ? 2 : 1;
  let best = "";
  let bestDistance = limit + 1;
  for (let length = lower.length - limit; length <= lower.length + limit; length++) {
    for (const candidate of byLength.get(length) ?? []) {
      if (candidate[0] !== lower[0] && candidate[1] !== lower[1]) continue;
      if (limit === 2 && candidate.slice(0, 2) !== lower.slice(0, 2) && editDistance(lower, candidate, 1) > 1) continue;
      const distance = editDistance(lower, candidate, limit);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
  }
  return best === "" ? word : best;
}
