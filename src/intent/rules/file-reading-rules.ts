import { findFileFilters } from "../entities/find-file-filters.js";
import { resolvePath } from "../entities/resolve-path.js";
import { extensionWords, kindWords } from "../lexicon.js";
import { candidate, type IntentRule } from "../rule-input.js";
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
    /\bcontents? of\b/.test(lower);
  const listsPlace =
    /^(?:list|show|display|view|browse|open)\s+(?:me\s+)?(?:my\s+|the\s+)?/.test(lower) &&
    place !== undefined &&
    place.start <= 16 &&
    lower.length - place.end < 3;
  if (!asksContents && !listsPlace) return undefined;
  const file = fileOf(input);
  if (file?.fileLike) return undefined;
  const filters = findFileFilters(input);
  if (filterCount(filters) > 0) return undefined;
  if (place === undefined && !/\b(?:here|this|current|files|everything|contents?)\b/.test(lower)) return undefined;
  return candidate("files.list", place === undefined ? 0.72 : 0.9, {
    path: place?.path ?? input.context.cwd,
    hidden: /\bhidden\b/.test(lower) || undefined,
  });
};

/** files.read: "cat package.json", "show me the contents of ~/notes/todo.txt", "read /etc/hostname". */
export const readRule: IntentRule = (input) => {
  const { lower } = input;
  const verb =
    /^(?:read|cat|print|display|show|view|output|dump|type out|open (?:up )?and (?:read|show|display|print)|open up|less|more|head|tail|let me see|let me look at|i want to see|read out|read back|see what(?:'s| is) in(?:side)?)\b/.test(
      lower,
    ) ||
    /^(?:what(?:'s| is| does)|whats)\s+(?:in|inside|written in)\b/.test(lower) ||
    /^what does\s+(?:the\s+)?(?:file\s+)?\S+(?:\s+file)?\s+(?:say|contain)\b/.test(lower);
  if (!verb) return undefined;
  const file = fileOf(input);
  if (file === undefined) return undefined;
  const explicitFile = file.fileLike || (file.kind === "path" && /^(?:read|cat|print|less|more|head|tail)\b/.test(lower));
  if (!explicitFile) return undefined;
  if (
    /^(?:show|display|list)\b/.test(lower) &&
    !/\b(?:contents?|inside|text|what'?s in)\b/.test(lower) &&
    lower.length - file.end > 2 &&
    !/^(?:show|display)\s+(?:me\s+)?(?:the\s+file\s+)?\S+$/.test(lower)
  ) {
    return undefined;
  }
  return candidate("files.read", 0.9, { path: file.path });
};

/** files.search: names, extensions, kinds, sizes, dates and content under a folder. */
export const searchRule: IntentRule = (input) => {
  const { lower } = input;
  if (!searchVerb.test(lower) && !/\d/.test(lower) && !fileVocabulary.test(lower)) return undefined;
  if (/\b(?:duplicate|duplicates|identical|dupes)\b/.test(lower)) return undefined;
  const verb = searchVerb.exec(lower);
  if (
    verb !== null &&
    /^(?:what|which) files$/.test(verb[0]) &&
    /^(?:what|which) files (?:are|do i have|is there) (?:in|on|inside)\b/.test(lower) &&
    Object.keys(findFileFilters(input)).length === 0
  )
    return undefined;
  const filters = findFileFilters(input, { impliedSize: true });
  const named = filterCount(filters);
  if (verb === null && named === 0) return undefined;
  if (verb === null && !fileNouns.test(lower)) return undefined;
  const place = folderOf(input);
  const onlyDates = named > 0 && Object.keys(filters).every((key) => key === "modifiedAfter" || key === "modifiedBefore");
  // "search for invoices from last month": a search verb says it is about files even without a file word.
  const searching =
    verb !== null &&
    /^(?:find|search|search for|locate|look for|hunt for|dig up|dig out|track down)$/.test(verb[0]) &&
    !/^\S+(?:\s+for)?\s+(?:me\s+)?(?:a|an|some)\s/.test(lower) &&
    /\b(?:today|yesterday|last|past|this|since|ago|older|newer|modified|changed|edited|created|saved|downloaded)\b/.test(lower);
  if (onlyDates && place === undefined && !fileNouns.test(lower) && !fileVocabulary.test(lower) && !searching) return undefined;
  const slots: Record<string, unknown> = { ...filters, path: place?.path };
  const file = input.mentions.find((mention) => mention.kind === "file");
  if (file !== undefined && slots.name === undefined) {
    slots.name = input.text.slice(file.start, file.end).replace(/^['"`]|['"`]$/g, "");
  }
  if (verb !== null && /^where/.test(verb[0]) && slots.name === undefined) {
    const thing =
      /^where(?:'s| is| are| did i (?:put|save|leave|store|stick|keep|hide|stash|download|file|move))\s+(?:my|the|a|an|that|this)?\s*(.+?)(?:\s+(?:file|document|folder))?$/.exec(
        lower,
      );
    const words = thing?.[1]?.trim();
    const fileish =
      words !== undefined &&
      (words.split(" ").length === 1 ||
        /\b(?:file|files|document|pdf|photo|photos|picture|screenshot|scan|spreadsheet|report|resume|cv|invoice|receipt|contract|statement|certificate|letter|form|ticket|draft|slides|presentation|download|backup)\b/.test(
          words,
        ));
    if (
      words !== undefined &&
      fileish &&
      !/\b(?:you|i|he|she|they|we|it|keys?|phone|car|wallet|glasses|remote|charger|dog|cat)\b/.test(words)
    ) {
      const at = lower.indexOf(words, 5);
      // "the lease pdf": a name and the type of file it is.
      const typed = /^(.+?)\s+([a-z0-9]+)$/.exec(words);
      const typeExtensions = typed?.[2] === undefined ? undefined : extensionWords.get(typed[2]);
      if (typed?.[1] !== undefined && typeExtensions !== undefined) {
        slots.name = input.text.slice(at, at + typed[1].length);
        slots.ext ??= [...typeExtensions];
      } else {
        slots.name = input.text.slice(at, at + words.length);
      }
    }
  }
  if (slots.name === undefined && slots.content === undefined && named === 0 && file === undefined) {
    const object =
      /^(?:find|search for|locate|look for|hunt for|track down|dig up)\s+(?:my|the|a|an|all|all the|all my)?\s*([a-z0-9_-]+)(?:\s+(?:file|document|doc))?$/.exec(
        lower,
      );
    const word = object?.[1];
    if (word !== undefined && !/^(?:files?|it|them|everything|something|stuff|things|one|out|me)$/.test(word)) slots.name = word;
  }
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
  if (verb === null && place === undefined && named < 2) return undefined;
  return candidate("files.search", verb === null ? 0.7 : Math.min(0.95, 0.75 + 0.05 * evidence), slots);
};

/** files.duplicates: "find duplicate files in Pictures", "are there any duplicates in my downloads". */
export const duplicatesRule: IntentRule = (input) => {
  const { lower } = input;
  if (
    !/\b(?:duplicates?|duplicated|identical|dupes|dedupe|de-dupe|deduplicate|same (?:content|file)s?|copies of the same|repeated files|double(?:d)? files|redundant (?:copies|files)|(?:exist|exists|appear|appears|stored) (?:more than once|twice)|multiple copies|same file (?:twice|more than once)|(?:exact )?copies of each other|repeated (?:files|pictures|photos|images|songs|videos|documents)|saved (?:things|files|stuff) twice)\b/.test(
      lower,
    )
  )
    return undefined;
  if (/^duplicate\s/.test(lower) && fileOf(input)?.fileLike === true) return undefined;
  if (
    /\b(?:duplicate|duplicated)\s+(?:email|emails|contacts?|rows?|lines?|entries|events?|messages?|accounts?|tabs?)\b/.test(lower)
  )
    return undefined;
  const place = folderOf(input);
  const filters = findFileFilters(input);
  const remove = /^(?:delete|remove|trash|get rid of|clean up|clean out|clear out|purge|eliminate|dedupe|deduplicate)\b/.test(
    lower,
  );
  if (place === undefined && !/\b(?:files?|photos|pictures|images|songs|music|videos|documents|downloads)\b/.test(lower))
    return undefined;
  return candidate("files.duplicates", 0.92, {
    path: place?.path,
    ext: filters.ext,
    kind: filters.kind,
    action: remove ? "trash" : undefined,
  });
};

/** files.disk_usage: "what's taking up space in my home folder", "how big is node_modules". */
export const diskUsageRule: IntentRule = (input) => {
  const { lower } = input;
  const usage =
    /\b(?:taking|using|eating|hogging|filling|consuming|occupying|wasting|chewing)\s+(?:up\s+)?(?:all\s+)?(?:the\s+|my\s+|so much\s+|most\s+|much\s+)?(?:disk\s+|storage\s+|drive\s+)?(?:space|storage|disk|room|drive)\b/.test(
      lower,
    ) ||
    /\b(?:eating|filling|hogging)\s+(?:up\s+)?(?:my|the)\s+(?:disk|drive|storage|ssd|hard drive)\b/.test(lower) ||
    /\b(?:biggest|largest|heaviest|fattest)\s+(?:folders|directories|dirs|things|space hogs|items)\b/.test(lower) ||
    /\b(?:folders|directories|dirs)\b.{0,40}\b(?:are|is)\s+(?:the\s+)?(?:biggest|largest|heaviest)\b|\b(?:folder|directory) sizes\b|\bsizes? of (?:the |my )?(?:folders|directories|subfolders)\b/.test(
      lower,
    ) ||
    /\b(?:using|taking|uses|takes)\s+(?:up\s+)?(?:the\s+)?most\s+(?:disk\s+)?(?:space|room|storage)\b|\b(?:break ?down|breakdown)\b.*\b(?:space|storage|disk)\b|\bspace (?:used|taken) (?:by|in)\b/.test(
      lower,
    ) ||
    /\bdisk usage\b|^du(?:\s|$)|\bspace hogs?\b/.test(lower) ||
    /\bhow (?:big|large|heavy) is\b|\bhow much (?:disk\s+)?(?:space|room|storage)\b.*\b(?:take|takes|taking|use|uses|using|occupy|occupies|eat|eats|eating)\b|\bsize of (?:the |my )?\S+\s*(?:folder|directory|dir)$|\bsize of (?:the |my )?[\w@+-]*[./~_][\w@+./~-]*$|\bwhat uses the most (?:disk )?space\b|\bwhere (?:did|has) (?:all )?my (?:disk )?space go\b/.test(
      lower,
    );
  if (!usage) return undefined;
  const place = folderOf(input) ?? input.mentions[0];
  if (place === undefined && /\bhow (?:big|large|heavy) is\b|\bsize of\b/.test(lower)) {
    const thing = /\b(?:how (?:big|large|heavy) is|size of)\s+(?:the\s+|my\s+)?([\w@+.~/-]+)/.exec(lower);
    const word = thing?.[1];
    if (thing === null || word === undefined || /^(?:it|this|that|disk|drive|memory|ram|file|computer|machine)$/.test(word))
      return undefined;
    const offset = thing.index + thing[0].length - word.length;
    return candidate("files.disk_usage", 0.75, {
      path: resolvePath(input.text.slice(offset, offset + word.length), input.context),
    });
  }
  const wholeDisk = place === undefined && /\bmy (?:disk|drive|computer|machine|laptop|storage|ssd|hard drive)\b/.test(lower);
  return candidate("files.disk_usage", 0.9, { path: place?.path ?? (wholeDisk ? input.context.home : undefined) });
};
