import { findFileFilters } from "../entities/find-file-filters.js";
import { findNameWords, withoutFiller } from "../entities/find-name-words.js";
import { largestCount } from "../entities/find-sizes.js";
import { extensionWords, kindWords } from "../lexicon.js";
import { candidate, type IntentRule, type RuleInput } from "../rule-input.js";
import { existingFolderWord, lowerOutsidePlaces } from "./disk-rules.js";
import { fileOf, folderOf } from "./places.js";

const fileNouns = /\b(?:files?|folders?|directories|documents|pdfs|photos|pictures|images|videos|songs|music|movies|stuff)\b/;
const searchVerb =
  /^(?:find|search|locate|look for|look up|lookup|look through|hunt for|hunt down|track down|dig up|dig out|fetch|get me|give me|i'm looking for|i am looking for|search for|search through|seek|scan for|grep|list|show|display)\b|^(?:files?|logs|pdfs|photos|pictures|images|videos|documents|docs|songs|spreadsheets)\s+(?:called|named|from|in|on|under|with|containing|bigger|larger|smaller|over|under|older|newer|modified|changed)\b|^(?:where(?:'s| is| are| did i (?:put|save|leave|store|stick|keep|hide|stash|download|file|move))|which files|what files|any|are there any|is there an?|is there anything|anything|do i have any|got any|have i got any|how many)\b/;

const listStarts = /^(?:ls|ll|dir|list|show|display|view|see|print|open|browse|enumerate)\b/;
const listWhat =
  /^(?:list|show(?: me)?|tell me)\s+what(?:'s| is| are)\s+(?:sitting\s+|lying\s+|stored\s+|kept\s+)?(?:in|on|inside|under)\b/;
/** Words that can only be about files: without a verb, a request needs one of them to be a search. */
const fileVocabulary = new RegExp(
  `\\b(?:files?|folders?|director(?:y|ies)|${[...extensionWords.keys(), ...kindWords.flatMap(([, words]) => words)].join("|")})\\b|\\*\\.|\\.[a-z0-9]{1,5}\\b`,
);
/** Things of the world, not of the disk: "where's the nearest pharmacy" is no file search. */
const worldly =
  /\b(?:nearest|closest|near me|nearby|near here|around here|in town|restaurants?|shops?|stores?|pharmac(?:y|ies)|station|airport|hospital|hotel|flights?|cheap|weather|parking|bus|train|my (?:car|keys?|phone|wallet|glasses|dog|cat|kids?|wife|husband|mom|dad))\b/;
/** Extension words that are also everyday words: a type only when said with "files". */
const everydayExtensions = new Set(["word", "part", "lock", "class", "temp", "shell", "go", "c", "img", "db", "orig"]);

function filterCount(filters: object): number {
  return Object.keys(filters).length;
}

/** files.list: "ls /var/log", "what's in this folder", "list the contents of the desktop". */
export const listRule: IntentRule = (input) => {
  const { lower } = input;
  if (!listStarts.test(lower) && !/\bwhat|\bcontents? of\b/.test(lower)) return undefined;
  const place = folderOf(input);
  if (/^(?:ls|ll|dir)(?:\s+-[a-z]+)*(?:\s|$)/.test(lower)) {
    return candidate("files.list", 0.93, {
      path: place?.path ?? input.context.cwd,
      hidden: /\s-[a-z]*a/.test(lower) || undefined,
    });
  }
  const asksContents =
    /^(?:list|show|display|view|see|print|open|browse)\s+(?:me\s+)?(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:files|contents?|everything|stuff|items|things|entries)\b/.test(
      lower,
    ) ||
    /\bwhat(?:'s| is| are|s)\s+(?:there\s+)?(?:in|inside|on)\b/.test(lower) ||
    /^(?:what|which)\s+(?:files|stuff|things|folders)\s+(?:are|do i have|is there|have i got)\s+(?:there\s+)?(?:in|on|inside|under)\b/.test(
      lower,
    ) ||
    /^what\s+(?:do i have|have i got|is there)\s+(?:in|on|inside|under)\b/.test(lower) ||
    /^(?:enumerate|list out|show me around)\b/.test(lower) ||
    listWhat.test(lower) ||
    /^(?:list|show|display|view|browse)\s+(?:me\s+)?(?:my\s+|the\s+)?(?:\S+\s+)?(?:folder|directory|dir)\b/.test(lower) ||
    // "the contents of Downloads", "show me the contents of …"; not "file the contents of Downloads into subfolders".
    (/\bcontents? of\b/.test(lower) &&
      (listStarts.test(lower) || /^(?:the\s+)?contents? of\b|^(?:what|tell me|give me)\b/.test(lower)));
  const listsPlace =
    /^(?:list|show|display|view|browse|open)\s+(?:me\s+)?(?:my\s+|the\s+)?/.test(lower) &&
    place !== undefined &&
    place.start <= 16 &&
    lower.length - place.end < 3;
  if (!asksContents && !listsPlace) return undefined;
  const file = fileOf(input);
  if (file?.fileLike) return undefined;
  // "show me everything by Radiohead in Music": a search for that name, not the whole folder.
  if (/\bby\s+\S/.test(lower) && findNameWords(input) !== undefined) return undefined;
  const filters = findFileFilters(input);
  if (filterCount(filters) > 0) return undefined;
  if (place === undefined && !/\b(?:here|this|current|files|everything|contents?)\b/.test(lower)) return undefined;
  return candidate("files.list", place === undefined ? 0.72 : 0.9, {
    path: place?.path ?? input.context.cwd,
    hidden: /\bhidden\b/.test(lower) || undefined,
  });
};

/**
 * "the lease pdf", "my python homework": a type said after or among the name words, when no other filter names one.
 * Everyday words that are also extensions ("word", "part") count only with "files".
 */
function typeAmongWords(input: RuleInput): string[] | undefined {
  for (const match of input.lower.matchAll(/\b[a-z0-9]+\b/g)) {
    const word = match[0];
    const extensions = extensionWords.get(word);
    if (extensions === undefined || everydayExtensions.has(word) || input.isCovered(match.index)) continue;
    return [...extensions];
  }
  return undefined;
}

/** "which pdfs did I download", "stuff I downloaded last week": the Downloads folder, when no other place is named. */
const downloaded =
  /\b(?:i|i've|ive|we|you)\s+(?:have\s+|just\s+|recently\s+|already\s+)*download(?:ed)?\b|\b(?:recently|just)\s+downloaded\b|\bdownloaded\s+(?:files?|stuff|things|pdfs|photos|images|videos|music|songs|docs|documents)\b|\b(?:files?|stuff|things|pdfs|photos|images|videos|songs|docs|documents|ones)\s+(?:that\s+|which\s+)?(?:i\s+)?downloaded\b/;

const emptyFolders =
  /\bempty\s+(?:sub)?(?:folders?|director(?:y|ies)|dirs?)\b|\b(?:folders?|director(?:y|ies))\s+(?:that\s+are\s+|which\s+are\s+|with\s+nothing\s+in\s+them\b)?(?:completely\s+)?empty\b/;

/** How the name in a request is to match: exactly ("named exactly notes.txt") or as a phrase ("called 'daft punk'"). */
function explicitNameMatch(lower: string, name?: string): "exact" | undefined {
  if (/\b(?:exactly|exact name|precisely|the exact)\b/.test(lower)) return "exact";
  // "the file called config.yaml": a name with its extension after "called" is the whole name (not config.yaml.bak).
  const said = name?.toLowerCase();
  if (said === undefined || !/^[^\s*?]+\.[a-z0-9]{1,8}$/.test(said)) return undefined;
  return lower.includes(`called ${said}`) || lower.includes(`named ${said}`) ? "exact" : undefined;
}

/** files.search: names, extensions, kinds, sizes, dates and content under a folder. */
export const searchRule: IntentRule = (input) => {
  const { lower } = input;
  if (!searchVerb.test(lower) && !/\d/.test(lower) && !fileVocabulary.test(lower)) return undefined;
  const outside = lowerOutsidePlaces(input);
  if (
    /\b(?:duplicate|duplicates|identical|dupes|repeated (?:files|pictures|photos|images|songs|videos|documents))\b/.test(outside)
  )
    return undefined;
  const verb = searchVerb.exec(lower);
  if (
    verb !== null &&
    /^(?:what|which) files$/.test(verb[0]) &&
    /^(?:what|which) files (?:are|do i have|is there) (?:in|on|inside)\b/.test(lower) &&
    Object.keys(findFileFilters(input)).length === 0
  )
    return undefined;
  // "find empty folders in Downloads": folders with nothing inside, not files.
  if (verb !== null && emptyFolders.test(lower)) {
    return candidate("files.search", 0.9, { path: folderOf(input)?.path, emptyFolders: true });
  }
  const filters = findFileFilters(input, { impliedSize: true });
  // "the 5 biggest files": a ranking by size, not a size floor; biggest folders are disk usage's.
  const largest = largestCount(outside);
  if (
    largest !== undefined &&
    /\b(?:folders?|director(?:y|ies)|dirs?|subfolders?)\b/.test(outside) &&
    !/\bfiles?\b/.test(outside)
  )
    return undefined;
  const named = filterCount(filters) + (largest === undefined ? 0 : 1);
  if (verb === null && named === 0) return undefined;
  if (verb === null && !fileNouns.test(lower)) return undefined;
  let place = folderOf(input) ?? existingFolderWord(input);
  const onlyDates = named > 0 && Object.keys(filters).every((key) => key === "modifiedAfter" || key === "modifiedBefore");
  // "search for invoices from last month": a search verb says it is about files even without a file word.
  const searching =
    verb !== null &&
    /^(?:find|search|search for|locate|look for|hunt for|dig up|dig out|track down)$/.test(verb[0]) &&
    !/^\S+(?:\s+for)?\s+(?:me\s+)?(?:a|an|some)\s/.test(lower) &&
    /\b(?:today|yesterday|last|past|this|since|ago|older|newer|modified|changed|edited|created|saved|downloaded)\b/.test(lower);
  if (onlyDates && place === undefined && !fileNouns.test(lower) && !fileVocabulary.test(lower) && !searching) return undefined;
  const slots: Record<string, unknown> = { ...filters, path: place?.path };
  if (place === undefined && downloaded.test(lower)) {
    slots.path = `${input.context.home}/Downloads`;
    place = { start: -1, end: -1, path: slots.path as string, kind: "folder", fileLike: false, preposition: undefined };
  }
  if (largest !== undefined) {
    slots.largest = largest;
    slots.hidden = true;
  }
  if (slots.name !== undefined) {
    const said = slots.name as string;
    slots.name = withoutFiller(said);
    slots.nameMatch = explicitNameMatch(lower, slots.name as string);
    // "where's my cover letter? it's called cover something": a vague name adds to the words of the thing asked for.
    const thing = verb !== null && /^where/.test(verb[0]) ? findNameWords(input, [], verb.index + verb[0].length) : undefined;
    if (slots.name !== said && thing !== undefined) {
      const words = [...thing.name.split(" "), ...((slots.name as string | undefined)?.split(" ") ?? [])];
      const seen = new Set<string>();
      slots.name = words.filter((word) => !seen.has(word.toLowerCase()) && seen.add(word.toLowerCase())).join(" ");
      slots.nameMatch = "words";
    }
  }
  // ".webp and .gif files", "*.csv": extensions, not a name.
  const file = input.mentions.find(
    (mention) => mention.kind === "file" && !/^\*?\.[a-z0-9]{1,8}$/i.test(input.text.slice(mention.start, mention.end)),
  );
  // "todo.txt in Documents": the name, searched in that folder.
  const bound = file?.bound;
  if (bound !== undefined && place === undefined) {
    place = bound.folder;
    slots.path = bound.folder.path;
  }
  if (file !== undefined && slots.name === undefined) {
    const named = bound?.file ?? file;
    slots.name = input.text.slice(named.start, named.end).replace(/^['"`]|['"`]$/g, "");
    slots.nameMatch = explicitNameMatch(lower, slots.name as string);
  }
  if (slots.name === undefined && slots.content === undefined && verb !== null) {
    const words = findNameWords(input, [], verb.index + verb[0].length);
    const count = words === undefined ? 0 : words.name.split(" ").length;
    // Leftover words name the file when the request is about files, or asks where a thing is, or finds one thing
    // ("find my resume"; "find the square root of 2209" is no file).
    const aboutFiles =
      named > 0 ||
      place !== undefined ||
      fileNouns.test(lower) ||
      fileVocabulary.test(lower) ||
      /^where/.test(verb[0]) ||
      (count === 1 &&
        /^(?:find|search for|locate|look for|hunt for|track down|dig up|dig out)$/.test(verb[0]) &&
        !/^\S+(?:\s+for)?\s+(?:me\s+)?(?:a|an|some|out)\s/.test(lower));
    if (words !== undefined && aboutFiles && !worldly.test(lower) && count <= 5) {
      slots.name = words.name;
      slots.nameMatch = words.match === "phrase" ? undefined : "words";
      if (slots.ext === undefined && slots.kind === undefined) slots.ext = typeAmongWords(input);
    }
  }
  if (slots.nameMatch === undefined) delete slots.nameMatch;
  const evidence = named + (place === undefined ? 0 : 1) + (slots.name === undefined ? 0 : 1) + (fileNouns.test(lower) ? 1 : 0);
  if (evidence === 0) return undefined;
  if (verb !== null && /^(?:list|show|display)$/.test(verb[0]) && named === 0 && slots.name === undefined) return undefined;
  if (
    verb !== null &&
    /^(?:list|show|display|any)$/.test(verb[0]) &&
    place === undefined &&
    named === 1 &&
    slots.kind !== undefined
  )
    return undefined;
  if (
    slots.content === undefined &&
    slots.name === undefined &&
    place !== undefined &&
    /^(?:search|grep|look through|scan)\b/.test(lower)
  ) {
    const quote = input.quoted.find(
      (quoted) => quoted.start > place.start && !input.mentions.some((mention) => mention.start === quoted.start),
    );
    if (quote !== undefined) slots.content = quote.value;
  }
  // "what are my largest files": a ranking of files asks for them.
  if (verb === null && place === undefined && named < 2 && largest === undefined) return undefined;
  // "what's the biggest file in Downloads": a question with a ranking and a place asks for that file, not a listing.
  const asked = largest !== undefined && place !== undefined && fileNouns.test(lower) ? 0.85 : 0.7;
  return candidate("files.search", verb === null ? asked : Math.min(0.95, 0.75 + 0.05 * evidence), slots);
};
