import { extensionWords, kindWords } from "../lexicon.js";
import type { RuleInput } from "../rule-input.js";
import { findModified, mentionsDates } from "./find-modified.js";
import { asksForEmptyFiles, findSizes, impliedMinimumSize } from "./find-sizes.js";

/** What picks files out: extensions, kind, name, content, size and date bounds. */
export interface FileFilters {
  ext?: string[];
  kind?: string;
  name?: string;
  content?: string;
  minSize?: number;
  maxSize?: number;
  modifiedAfter?: string;
  modifiedBefore?: string;
}

const kindByWord = new Map<string, string>();
for (const [kind, words] of kindWords) for (const word of words) if (!kindByWord.has(word)) kindByWord.set(word, kind);
const objectNoun = `(?:files?|documents?|docs?|scripts?|ones|stuff|sources?|archives?|images?|logs?|videos?|movies?|clips?|songs?|tracks?|photos?|pictures?|pics|spreadsheets?|sheets?|presentations?|slides)`;
const plainExtensions = /\b(pdfs|mp3s|mp4s|jpgs|jpegs|pngs|gifs|zips|csvs|isos|torrents|docx|xlsx|pptx|logs)\b/g;
const standaloneExtensions = new Set([
  "pdf",
  "jpg",
  "jpeg",
  "png",
  "gif",
  "svg",
  "heic",
  "webp",
  "mp3",
  "mp4",
  "mkv",
  "wav",
  "flac",
  "zip",
  "rar",
  "iso",
  "csv",
  "json",
  "yaml",
  "yml",
  "xml",
  "html",
  "docx",
  "xlsx",
  "pptx",
  "txt",
  "tmp",
  "bak",
  "exe",
  "dmg",
  "epub",
  "mov",
  "avi",
  "ogg",
  "odt",
  "ods",
]);
const listedExtensions = new RegExp(
  String.raw`\b(?:every|all|any|the|my)\s+(?:${[...standaloneExtensions].join("|")})(?:\s*(?:,|and|or|&)\s*(?:${[...standaloneExtensions].join("|")}))*\b`,
  "g",
);
const noun = new RegExp(String.raw`\b([a-z0-9+]+)(?:\s*(?:or|and|,)\s*([a-z0-9+]+))?(?=\s+${objectNoun}\b)`, "g");
const nounPresent = new RegExp(String.raw`\s${objectNoun}\b`);
/** Words that end an unquoted phrase ("containing q3 forecast in Documents"). */
const phraseEnd = `(?:in|on|under|inside|within|from|at|of|modified|changed|created|edited|saved|older|newer|bigger|larger|smaller|over|above|below|less|more|that|which|who|and|or|but|then|since|before|after|last|this|today|yesterday|with|anywhere|somewhere|everywhere|across|throughout|files?|folders?|please|for|to|into|onto|off|out|by|sorted|where|when|named|called)`;
const textValue = String.raw`(?:'([^']+)'|"([^"]+)"|\`([^\`]+)\`|([^\s'"?!,;]+(?:\s+(?!${phraseEnd}\b)[^\s'"?!,;]+){0,3}))`;
const contentPattern = new RegExp(
  String.raw`\b(?:containing|contain|contains|mentioning|mention|mentions|that say|that says|with the (?:word|text|phrase|string)|grep(?: for)?|(?:search|look) for the (?:word|text|phrase|string)|including the (?:word|text|phrase))\s+(?:the\s+(?:word|text|phrase|string)\s+)?${textValue}`,
  "i",
);
const namePattern = new RegExp(
  String.raw`\b(?:(?:named|called|titled)(?:\s+exactly)?|exactly\s+(?:named|called)|with the (?:exact )?name|name contains|name containing|name includes|name matching|matching|with names? like|whose names? (?:contains?|includes?|has|have))\s+${textValue}|\bwith\s+${textValue}\s+in (?:the|their|its) (?:file ?)?names?`,
  "i",
);

/** The extensions a request names: "pdf files", "*.log", ".tmp files", "python files", "mp3s". */
export function findExtensions(input: RuleInput): string[] {
  const found = new Set<string>();
  const { lower } = input;
  for (const match of lower.matchAll(/\*\.([a-z0-9]{1,8})\b/g)) found.add(match[1] ?? "");
  for (const match of lower.matchAll(/(?:^|\s)\.([a-z0-9]{1,8})\b(?!\.)(?=\s|$|,|\?)/g)) {
    if (
      !input.mentions.some(
        (mention) => match.index + 1 >= mention.start && match.index + 1 < mention.end && mention.kind !== "file",
      )
    )
      found.add(match[1] ?? "");
  }
  for (const match of lower.matchAll(
    /\b(?:extension|ext|ending in|ending with|end in|end with|suffix)\s+\.?(?!(?:so|and|or|the|to|of|in|is|it|as|that|then|for|please)\b)([a-z0-9]{1,8})\b/g,
  ))
    found.add(match[1] ?? "");
  for (const match of nounPresent.test(lower) ? lower.matchAll(noun) : []) {
    for (const word of [match[1], match[2]]) {
      if (word === undefined || input.isCovered(match.index)) continue;
      for (const ext of extensionWords.get(word) ?? []) found.add(ext);
    }
  }
  for (const match of lower.matchAll(listedExtensions)) {
    for (const word of match[0].split(/[\s,]+/)) if (standaloneExtensions.has(word)) found.add(word);
  }
  for (const match of lower.matchAll(plainExtensions)) {
    if (!input.isCovered(match.index)) for (const ext of extensionWords.get(match[1] ?? "") ?? []) found.add(ext);
  }
  found.delete("");
  return [...found];
}

/** The kind of file a request names ("photos", "videos", "spreadsheets"), outside named places. */
export function findKind(input: RuleInput): string | undefined {
  for (const match of input.lower.matchAll(/\b[a-z]+\b/g)) {
    const word = match[0];
    const kind = kindByWord.get(word);
    if (kind === undefined || input.isCovered(match.index)) continue;
    const after = input.lower.slice(match.index + word.length, match.index + word.length + 12);
    if (/^\s+(?:folder|directory|dir)\b/.test(after)) continue;
    if ((kind === "text" || kind === "code" || word === "source") && !/^\s+files?\b/.test(after) && word !== "texts") continue;
    if (kind === "document" && /^(?:doc|docs)$/.test(word) && !/^\s+files?\b/.test(after)) continue;
    return kind;
  }
  return undefined;
}

/**
 * A matched phrase, cut where a named place starts ("containing q3 forecast src" is "q3 forecast"
 * when src is a folder the request names); quoted phrases are kept whole.
 */
function phraseBeforePlace(input: RuleInput, match: RegExpExecArray, from: number, to: number): string | undefined {
  for (let index = from; index <= to; index++) {
    const group = match[index];
    if (group === undefined) continue;
    const value = group.replace(/[?!.,;:]+$/, "");
    // Groups come in fours: three quoted forms, then the bare words.
    if ((index - from) % 4 !== 3) return value;
    const start = input.text.indexOf(group, match.index);
    const named = input.mentions.find((mention) => mention.start === start && mention.fileLike);
    if (named !== undefined) return input.text.slice(start, (named.bound?.file ?? named).end).replace(/^['"`]|['"`]$/g, "");
    const place = input.mentions.find((mention) => mention.start > start && mention.start < start + value.length);
    return place === undefined ? value : value.slice(0, place.start - start).trim() || value;
  }
  return undefined;
}

const officeKinds: ReadonlyArray<readonly [kind: string, pattern: RegExp]> = [
  ["document", /\b(?:word|pdf|docx?|odt|rtf|epub)\s+(?:documents?|docs?)\b/],
  ["spreadsheet", /\b(?:excel|xlsx?|csv|ods)\s+(?:spreadsheets?|sheets?|workbooks?)\b/],
  ["presentation", /\b(?:powerpoint|pptx?|keynote|odp)\s+(?:presentations?|slides?|decks?|slideshows?)\b/],
];

/** Words before a file type that say which files by how they are, not by their names ("the old pdfs"). */
const notNameWords =
  /^(?:old|older|new|newer|big|bigger|large|larger|small|smaller|huge|tiny|recent|latest|newest|oldest|duplicate|duplicated|same|other|empty|remaining|downloaded|unused|temporary|temp|hidden|all|any|some|few|many|first|last|biggest|largest|smallest|extra|stray|loose|broken|unwanted|both|two|three|four|five|ten|those|these|my|your|the|zipped|compressed|scanned|current|today's|yesterday's)$/;

/**
 * "move the receipt pdfs", "delete all the invoice pdfs": a word just before the file type names the files (their
 * names contain it), when it is no adjective of size, age or number and no file type itself.
 */
function nameWordBefore(input: RuleInput, extensions: readonly string[]): string | undefined {
  const match = /\b(?:the|my|all(?:\s+(?:the|my|of\s+the))?|those|these|any)\s+([a-z][a-z0-9_-]{2,})\s+([a-z0-9]+)\b/.exec(
    input.lower,
  );
  const word = match?.[1];
  const type = match?.[2];
  if (match === null || word === undefined || type === undefined || input.isCovered(match.index + match[0].indexOf(word)))
    return undefined;
  const typeExtensions =
    extensionWords.get(type) ?? (extensions.includes(type.replace(/s$/, "")) ? [type.replace(/s$/, "")] : []);
  if (!typeExtensions.some((ext) => extensions.includes(ext))) return undefined;
  if (notNameWords.test(word) || extensionWords.has(word) || kindByWord.has(word)) return undefined;
  return input.text.slice(match.index + match[0].indexOf(word), match.index + match[0].indexOf(word) + word.length);
}

/** Every filter a request sets on files. */
export function findFileFilters(input: RuleInput, options: { impliedSize?: boolean } = {}): FileFilters {
  let cached = found.get(input);
  if (cached === undefined) {
    cached = new Map();
    found.set(input, cached);
  }
  const key = options.impliedSize === true ? "implied" : "plain";
  let filters = cached.get(key);
  if (filters === undefined) {
    filters = computeFileFilters(input, options);
    cached.set(key, filters);
  }
  return { ...filters, ...(filters.ext === undefined ? {} : { ext: [...filters.ext] }) };
}

/** Filters already read from a request: rules ask for them again and again. */
const found = new WeakMap<RuleInput, Map<string, FileFilters>>();

function computeFileFilters(input: RuleInput, options: { impliedSize?: boolean }): FileFilters {
  const { lower } = input;
  const filters: FileFilters = {};
  const ext = findExtensions(input);
  if (ext.length > 0) filters.ext = ext;
  const kind = findKind(input);
  if (kind !== undefined && ext.length === 0) filters.kind = kind;
  // "word documents", "excel spreadsheets": the kind as well as its extensions.
  if (ext.length > 0 && filters.kind === undefined) {
    const office = officeKinds.find(([, pattern]) => pattern.test(lower));
    if (office !== undefined) filters.kind = office[0];
  }
  const content = contentPattern.exec(input.text);
  if (content !== null) {
    const phrase = phraseBeforePlace(input, content, 1, 4);
    // `grep PATTERN PLACE`: the pattern is one word unless quoted.
    filters.content = content[4] !== undefined && /^grep\s+(?!for\b)/i.test(content[0]) ? phrase?.split(" ")[0] : phrase;
  }
  const name = namePattern.exec(input.text);
  if (name !== null) filters.name = phraseBeforePlace(input, name, 1, 8);
  // "screenshots older than a month": pictures named as screenshots are ("Screenshot 2024-05-01 at 10.22.13.png",
  // "Screenshot from …", "Screenshot_2024…"), not every old picture.
  const screenshots = /\bscreen ?shots?\b/.exec(lower);
  if (filters.name === undefined && filters.kind === "image" && screenshots !== null && !input.isCovered(screenshots.index))
    filters.name = "screenshot";
  // "all the .DS_Store files": a dotted name that is no extension names the files.
  const dotted = filters.name === undefined ? /(?:^|\s)(\.[A-Za-z][\w-]*)\s+files?\b/.exec(input.text) : null;
  if (dotted?.[1] !== undefined && !/^\.[a-z0-9]{1,8}$/i.test(dotted[1])) filters.name = dotted[1];
  if (filters.name === undefined && filters.ext !== undefined) {
    const word = nameWordBefore(input, filters.ext);
    if (word !== undefined) filters.name = word;
  }
  Object.assign(filters, findSizes(lower));
  if (filters.maxSize === undefined && asksForEmptyFiles(lower)) filters.maxSize = 0;
  if (filters.minSize === undefined && options.impliedSize === true) {
    const implied = impliedMinimumSize(lower);
    if (implied !== undefined) filters.minSize = implied;
  }
  if (mentionsDates(lower)) Object.assign(filters, findModified(lower, input.context.now));
  return filters;
}
