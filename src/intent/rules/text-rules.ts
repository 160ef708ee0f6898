import { findFileFilters } from "../entities/find-file-filters.js";
import type { Mention } from "../entities/find-mentions.js";
import { resolvePath } from "../entities/resolve-path.js";
import { candidate, type IntentRule, type RuleInput } from "../rule-input.js";
import { folderOf } from "./places.js";

/**
 * Reading files and facts about one file, said in English: its first or last lines, how many lines, words or
 * characters it has, its checksum, its size and dates, the README of a folder, how many files a folder holds. All
 * read-only; a request that also asks for a change ("delete the first 5 lines of x") is not read as one of these.
 */

const numbers: Record<string, number> = {
  a: 1,
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
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
  "a hundred": 100,
  "a couple of": 2,
  "a couple": 2,
  couple: 2,
  "a few": 3,
  few: 3,
};
const amount = String.raw`(\d{1,7}|a hundred|a couple(?: of)?|a few|${Object.keys(numbers)
  .filter((word) => !word.includes(" "))
  .join("|")})`;

/** Words asking for a change: a request with one of them (outside the names it gives) is not a reading. */
const changeWords =
  /\b(?:delete|remove|erase|trash|cut|drop|strip|replace|overwrite|move|copy|rename|write|save|append|insert|add|edit|change|modify|sort|send|email|mail|upload|truncate|empty|clear|fix|paste|put|kill|run|execute|compress|zip|encrypt|chmod|touch|make|create)\b/;

/** The request with the names it gives blanked out (a file called "cut-list.txt" asks for no cut). */
function wordsOutsideNames(input: RuleInput): string {
  let text = input.lower;
  for (const span of [...input.mentions, ...input.quoted]) {
    text = text.slice(0, span.start) + " ".repeat(span.end - span.start) + text.slice(span.end);
  }
  return text;
}

/**
 * Whether a request asks for a change, or is a command line of a reading program with options ("sha256sum -c
 * sums.txt"): the command rules read those, exactly or as the command itself.
 */
/**
 * Words that narrow the lines or words counted or shown ("lines containing ERROR", "non-empty lines", "unique words"):
 * a plain count or the plain first lines would be another answer than the one asked for.
 */
const narrowing =
  /\b(?:contain(?:s|ing)?|matching|match(?:es)?|with(?:out)?|(?:that|which)\s+(?:have|has|contain|say|mention|start|end|match|are|include)|where|mention(?:s|ing)?|say(?:s|ing)?|includ(?:e|es|ing)|excluding|except|ignoring|non-?empty|non-?blank|blank|empty|unique|distinct|different|duplicate[sd]?|repeated|starting|ending|begin(?:s|ning)? with|longest|shortest|average)\b/;

function narrowed(input: RuleInput): boolean {
  return narrowing.test(wordsOutsideNames(input).replace(/\bwith the file\b/, ""));
}

function asksForChange(input: RuleInput): boolean {
  if (/^(?:head|tail|wc|stat|\w+sum)\s(?:.*\s)?-/.test(input.lower)) return true;
  return changeWords.test(wordsOutsideNames(input));
}

/** The named files of a request (files, and paths that are not well-known folders), in order. */
function filesOf(input: RuleInput): Mention[] {
  return input.mentions.filter((mention) => mention.fileLike || (mention.kind === "path" && !/\/$/.test(mention.path)));
}

/** The one file a request is about: a file-like name, or a path the request calls a file ("the file ~/bin/tool"). */
function theFile(input: RuleInput): Mention | undefined {
  const named = input.mentions.find((mention) => mention.fileLike);
  if (named !== undefined) return named;
  return input.mentions.find(
    (mention) =>
      mention.kind === "path" &&
      /\b(?:file|script|log|document)\s+(?:called\s+|named\s+)?$/.test(input.lower.slice(0, mention.start)),
  );
}

function numberOf(word: string | undefined, fallback: number): number {
  if (word === undefined) return fallback;
  const value = /^\d+$/.test(word) ? Number(word) : numbers[word];
  return value !== undefined && value >= 1 ? value : fallback;
}

const headWords = "(?:first|top|opening|beginning|starting|initial|leading)";
const tailWords = "(?:last|final|bottom|closing|ending|trailing|latest|most recent|newest|end)";
const lineWords = "(?:lines?|rows?|entries|records)";
const amountFirst = new RegExp(String.raw`\b${amount}\s+(${headWords}|${tailWords})\s+${lineWords}\b`);
const positionFirst = new RegExp(String.raw`\b(?:the\s+|its\s+)?(${headWords}|${tailWords})\s+(?:${amount}\s+)?${lineWords}\b`);
const isHead = new RegExp(`^${headWords}$`);
const isTail = new RegExp(`^${tailWords}$`);

/**
 * files.head / files.tail: "first 5 lines of Documents/server.log", "show me the last 3 lines of install.log in
 * Downloads", "the top ten rows of people.csv", "the first line of notes.txt", "tail of app.log".
 */
export const headTailRule: IntentRule = (input) => {
  const { lower } = input;
  if (!/\b(?:lines?|rows?|entries|records|head|tail|beginning|start|end)\b/.test(lower)) return undefined;
  const counted = amountFirst.exec(lower) ?? positionFirst.exec(lower);
  const bare = /\b(?:the\s+)?(head|tail|beginning|start|end)\s+(?:of|in)\b/.exec(lower);
  const range = /\b(?:lines|rows)\s+(\d{1,9})\s*(?:-|–|to|through|thru|until|till)\s*(\d{1,9})\b/.exec(lower);
  const single = /\b(?:line|row)\s+(?:number\s+|no\.?\s*|#)?(\d{1,9})\s+(?:of|in|from)\b/.exec(lower) ?? ordinalLine(lower);
  let side: "head" | "tail";
  let lines: number;
  let from: number | undefined;
  if (range !== null || single !== null) {
    const first = Number(range?.[1] ?? single?.[1]);
    const last = Number(range?.[2] ?? single?.[1]);
    if (first < 1 || last < first) return undefined;
    side = "head";
    from = first;
    lines = last - first + 1;
  } else if (counted !== null) {
    const [first = "", second] = counted.slice(1);
    const position = isHead.test(first) || isTail.test(first) ? first : (second ?? "");
    const count = position === first ? second : first;
    side = isHead.test(position) ? "head" : "tail";
    const singular = /\b(?:line|row|entry|record)\b/.test(counted[0]) && count === undefined;
    lines = singular ? 1 : numberOf(count, 10);
  } else if (bare !== null) {
    side = bare[1] === "head" || bare[1] === "beginning" || bare[1] === "start" ? "head" : "tail";
    lines = 10;
  } else {
    return undefined;
  }
  if (asksForChange(input) || narrowed(input)) return undefined;
  const file = theFile(input) ?? filesOf(input)[0];
  if (file === undefined) return undefined;
  return candidate(`files.${side}`, 0.93, { path: file.path, lines, from });
};

const ordinals: Record<string, number> = {
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};

/** "the 3rd line of x", "the second line of x": that line, as the number a range match gives. */
function ordinalLine(lower: string): [string, string] | null {
  const match =
    /\b(?:the\s+)?(\d{1,9})(?:st|nd|rd|th)\s+(?:line|row)\s+(?:of|in|from)\b|\b(?:the\s+)?(second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:line|row)\s+(?:of|in|from)\b/.exec(
      lower,
    );
  if (match === null) return null;
  const number = match[1] ?? String(ordinals[match[2] ?? ""] ?? "");
  return number === "" ? null : [match[0], number];
}

const unitWords: Record<string, string> = {
  line: "lines",
  lines: "lines",
  loc: "lines",
  row: "lines",
  rows: "lines",
  word: "words",
  words: "words",
  character: "characters",
  characters: "characters",
  char: "characters",
  chars: "characters",
  letter: "characters",
  letters: "characters",
  byte: "bytes",
  bytes: "bytes",
};

/** The counted things a request names, in wc's order ("lines and words" → lines, words). */
function unitsOf(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/\b(lines?|loc|rows?|words?|characters?|chars?|letters?|bytes?)\b/g)) {
    found.add(unitWords[match[1] ?? ""] ?? "");
  }
  return ["lines", "words", "characters", "bytes"].filter((unit) => found.has(unit));
}

/** A folder named by a bare word at the end of a request ("how many folders are in projects"). */
function bareFolder(input: RuleInput): Mention | undefined {
  if (input.mentions.length > 0) return undefined;
  const named = /\b(?:in|inside|under|within)\s+(?:the\s+|my\s+)?([\w@+-][\w@+.-]*)(?:\s+(?:folder|directory|dir))?$/.exec(
    input.lower,
  );
  const word = named?.[1];
  if (named === null || word === undefined || /^(?:it|there|total|all|them|this|that|here)$/.test(word)) return undefined;
  const start = named.index + named[0].indexOf(word, named[0].indexOf(" "));
  const typed = input.text.slice(start, start + word.length);
  return {
    start,
    end: start + word.length,
    path: resolvePath(typed, input.context),
    kind: "folder",
    fileLike: false,
    preposition: undefined,
  };
}

const countAsk =
  /\b(?:how many|count(?:s|ing)?|number of|no\.? of|total|tally|how long is|length of|wc)\b|\b(?:line|word|character|char|letter|byte)\s*counts?\b|\b(?:wordcount|linecount)\b/;

/**
 * files.count: "how many lines are in projects/site/index.html", "count the words in essay.txt", "word count of
 * a.md and b.md", "how many characters does bio.txt have"; and a folder's files: "how many files are in Pictures/trip".
 */
export const countRule: IntentRule = (input) => {
  const { lower } = input;
  if (!countAsk.test(lower) || asksForChange(input)) return undefined;
  const outside = wordsOutsideNames(input);
  if (unitsOf(outside).length > 0 && narrowed(input)) return undefined;
  const units = unitsOf(outside);
  const files = filesOf(input);
  const place = folderOf(input) ?? input.mentions.find((mention) => mention.kind === "path") ?? bareFolder(input);
  const filters = findFileFilters(input);
  const ofKind = filters.ext !== undefined && files.every((file) => !file.fileLike);
  if (units.length > 0 && (files.length === 0 || ofKind) && place !== undefined && units.every((unit) => unit !== "bytes")) {
    // "how many lines of code are in src", "count the lines in all the python files in projects/site".
    if (Object.keys(filters).some((key) => key !== "ext")) return undefined;
    return candidate("files.count", 0.9, { path: place.path, what: units, ext: filters.ext });
  }
  if (units.length > 0 && files.length > 0) {
    // "how long is essay.txt" without a unit is not a count of anything in particular: every count.
    return candidate("files.count", 0.93, { paths: files.map((file) => file.path), what: units });
  }
  if (/^(?:how long is|length of)\b/.test(lower) && files.length === 1 && units.length === 0) {
    return candidate("files.count", 0.9, { paths: [files[0]?.path], what: ["lines", "words", "characters"] });
  }
  // A folder's entries: plain files, folders or items, no filter (those are searches: "how many pdfs in Downloads").
  const entries =
    /\b(?:how many|count|number of|no\.? of|total)\s+(?:of\s+)?(?:the\s+|all\s+(?:the\s+)?)?(files|items|entries|things|folders|subfolders|sub-folders|directories|subdirectories)\b/.exec(
      outside,
    );
  if (entries === null) return undefined;
  if (place === undefined && !/\b(?:here|this folder|current folder)\b/.test(lower)) return undefined;
  if (Object.keys(filters).length > 0) return undefined;
  const noun = entries[1] ?? "files";
  const what = /folder|director/.test(noun) ? "folders" : noun === "files" ? "files" : "entries";
  return candidate("files.count", 0.93, { path: place?.path ?? input.context.cwd, what: [what] });
};

const algorithmNames: Array<[RegExp, string]> = [
  [/\bmd-?5\b/, "md5"],
  [/\bsha-?1\b/, "sha1"],
  [/\bsha-?224\b/, "sha224"],
  [/\bsha-?384\b/, "sha384"],
  [/\bsha-?512\b/, "sha512"],
  [/\bsha-?256\b|\bsha-?2\b/, "sha256"],
  [/\bblake-?2b?\b|\bb2\b/, "blake2"],
];
const byLength: Record<number, string> = { 32: "md5", 40: "sha1", 56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512" };

/**
 * files.checksum: "sha256 of ubuntu.iso", "md5sum of backup.tar", "checksum of Downloads/setup.exe", "what's the
 * hash of x", "does release.tgz match 3a7bd3e2…" (with the expected digest: it says whether it matches).
 */
export const checksumRule: IntentRule = (input) => {
  const lower = wordsOutsideNames(input).replace(/(md5|sha\d*|b2)sums?\b/g, "$1 checksum");
  const expected = /\b([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})\b/.exec(lower)?.[1];
  const compares = expected !== undefined && /\b(?:verify|check|match|matches|compare|same as|equal|correct|valid)\b/.test(lower);
  if (!compares && !/\b(?:checksums?|check ?sums?|hash(?:es)?|digests?|md-?5|sha-?\d{0,3}|blake-?2b?|fingerprint)\b/.test(lower))
    return undefined;
  if (/\bhash ?tags?\b|\bhash ?(?:map|table|brown)s?\b|\bpassword\b/.test(lower) || asksForChange(input)) return undefined;
  const files = filesOf(input);
  if (files.length === 0) return undefined;
  const named = algorithmNames.find(([pattern]) => pattern.test(lower))?.[1];
  const algorithm = named ?? (expected === undefined ? "sha256" : byLength[expected.length]);
  return candidate("files.checksum", 0.93, { paths: files.map((file) => file.path), algorithm, expected });
};

const sizeAsk =
  /\bhow (?:big|large|heavy|huge|small) is\b|\b(?:file ?size|size) of\b|\bwhat(?:'s| is) (?:the )?(?:file ?)?size\b|\bhow many (?:bytes|kb|kilobytes|mb|megabytes|gb|gigabytes)\b|\bhow much (?:space|room|disk space|disk|storage) does\b|\bsize\??$|\bwhat size\b|^(?:the\s+)?(?:file\s?)?size\b|^is\s.+\s(?:big|large|huge|heavy)$/;
const whenAsk = /\bwhen\b|\bwhat (?:date|time|day)\b|\b(?:date|time|timestamp|day)\b|\bmtime\b|\bhow (?:old|recent|new) is\b/;
const modifiedWords =
  /\b(?:modified|modification|changed|edited|updated|saved|touched|written|mtime|last (?:change|edit|update|save))\b|\bhow (?:old|recent|new) is\b/;
const createdWords = /\b(?:created|creation|made|born|birth|first saved|added)\b/;
const detailsAsk =
  /\b(?:info|information|details|properties|metadata|stats|attributes|facts|permissions)\s+(?:about|on|of|for)\b|^(?:stat|file info|details|properties)\b|\b(?:tell me|what do you know) about (?:the file )?\S+$|\bwho owns\b|\b(?:owner|permissions) of\b/;

/**
 * files.info: "how big is the file Videos/lecture.mp4", "when was contract.pdf last modified", "when was notes.txt
 * created", "details about setup.exe". A folder's size is disk usage (its own rule); a folder's dates are here.
 */
export const fileInfoRule: IntentRule = (input) => {
  const { lower } = input;
  const outside = wordsOutsideNames(input);
  const size = sizeAsk.test(outside);
  const when =
    (whenAsk.test(outside) && (modifiedWords.test(outside) || createdWords.test(outside))) ||
    /\blast (?:modified|changed|edited|updated|saved|touched)\b|\b(?:modification|creation) (?:date|time)\b/.test(outside);
  const details = detailsAsk.test(outside);
  if (!size && !when && !details) return undefined;
  if (asksForChange(input) && !when) return undefined;
  if (/^(?:find|search|list|show all|locate|which|what files|any)\b/.test(lower)) return undefined;
  const file = theFile(input);
  const place = file ?? (when || details ? (input.mentions.length === 1 ? input.mentions[0] : undefined) : undefined);
  if (place === undefined) return undefined;
  if (Object.keys(findFileFilters(input)).some((key) => key !== "modifiedAfter" && key !== "modifiedBefore")) return undefined;
  const fact = details
    ? "all"
    : when
      ? createdWords.test(outside) && !modifiedWords.test(outside)
        ? "created"
        : /\bhow (?:old|recent|new) is\b/.test(outside)
          ? "dates"
          : "modified"
      : "size";
  return candidate("files.info", 0.93, { path: place.path, fact });
};

/** files.readme: "read me the readme in projects/api", "show the README of ~/src/tool", "what does the readme say". */
export const readmeRule: IntentRule = (input) => {
  const { lower } = input;
  if (!/\bread ?me\b/.test(lower.replace(/^read me\b/, ""))) return undefined;
  if (
    !/^(?:read|show|display|print|cat|view|open|output|dump|let me see|i want to see|what(?:'s| is| does)|whats|give me|get me|pull up|bring up)\b/.test(
      lower,
    ) ||
    asksForChange(input)
  )
    return undefined;
  const file = input.mentions.find((mention) => mention.fileLike);
  if (file !== undefined) return undefined;
  const place = folderOf(input);
  if (place === undefined && input.mentions.length > 0) return undefined;
  return candidate("files.readme", 0.93, { path: place?.path ?? input.context.cwd });
};
