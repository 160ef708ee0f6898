import { findFileFilters } from "../entities/find-file-filters.js";
import type { Mention } from "../entities/find-mentions.js";
import { largestCount } from "../entities/find-sizes.js";
import { resolvePath } from "../entities/resolve-path.js";
import { candidate, type IntentRule, type RuleInput } from "../rule-input.js";
import { fileOf, folderOf } from "./places.js";

/** Names the place finder reads from ranking words ("the biggest folder"): no folder's name. */
const rankingName = /^(?:biggest|largest|heaviest|fattest|smallest|top|\d+)$/i;

/**
 * "under projects", "in code": a bare word after a preposition that names a folder which exists in the working folder
 * (only when the request is read on this machine; never a guess from the words alone).
 */
export function existingFolderWord(input: RuleInput): Mention | undefined {
  const exists = input.context.exists;
  if (exists === undefined) return undefined;
  for (const match of input.lower.matchAll(
    /\b(in|under|inside|within|of)\s+(?:my\s+|the\s+)?([\p{L}\p{N}_][\p{L}\p{N}_.@+-]*)/gu,
  )) {
    const word = match[2] ?? "";
    const start = match.index + match[0].length - word.length;
    if (input.isCovered(start)) continue;
    const typed = input.text.slice(start, start + word.length);
    const path = resolvePath(typed, input.context);
    if (exists(path) === "folder")
      return { start, end: start + word.length, path, kind: "folder", fileLike: false, preposition: match[1] };
  }
  return undefined;
}

/**
 * The request lower-cased with every named place and quote blanked out (same length, so positions hold): words inside
 * a path ("~/bench/astros-bench-duplicates-x", "the biggest-files folder") are not words of the request.
 */
export function lowerOutsidePlaces(input: RuleInput): string {
  let lower = input.lower;
  // "the biggest folder in my home" is no folder called "biggest": its words stay.
  const places = input.mentions.filter(
    (mention) => !rankingName.test(mention.named ?? "") && !rankingName.test(mention.bound?.file.named ?? ""),
  );
  for (const span of [...places, ...input.quoted]) {
    lower = `${lower.slice(0, span.start)}${"_".repeat(Math.max(0, span.end - span.start))}${lower.slice(span.end)}`;
  }
  return lower;
}

/** files.duplicates: "find duplicate files in Pictures", "are there any duplicates in my downloads". */
export const duplicatesRule: IntentRule = (input) => {
  const lower = lowerOutsidePlaces(input);
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
  // "delete the duplicates" right after finding them: those of the folder the turn before searched.
  const earlier =
    input.previous?.intent === "files.duplicates" && typeof input.previous.slots.path === "string"
      ? { path: input.previous.slots.path }
      : undefined;
  const place = folderOf(input) ?? (/\b(?:the|those|these)\s+(?:duplicates|dupes|copies)\b/.test(lower) ? earlier : undefined);
  const filters = findFileFilters(input);
  const remove = /^(?:delete|remove|trash|get rid of|clean up|clean out|clear out|purge|eliminate|dedupe|deduplicate)\b/.test(
    lower,
  );
  if (place === undefined && !/\b(?:files?|photos|pictures|images|songs|music|videos|documents|downloads)\b/.test(lower))
    return undefined;
  const same = place === earlier && earlier !== undefined ? input.previous?.slots : undefined;
  return candidate("files.duplicates", 0.92, {
    path: place?.path,
    ext: filters.ext ?? same?.ext,
    kind: filters.kind ?? same?.kind,
    action: remove ? "trash" : undefined,
    keep: /\bkeep(?:ing)?\s+(?:only\s+)?the\s+(?:newest|latest|most recent|youngest)\b/.test(lower) ? "newest" : undefined,
  });
};

const superlative = "(?:biggest|largest|heaviest|fattest)";
const folderWord = "(?:folders?|directories|directory|dirs?|subfolders?|subdirectories|subdirs?)";
/** "the 3 biggest folders", "which folder in Documents is the biggest", "biggest 3 folders under projects". */
const folderRanking = new RegExp(
  String.raw`\b${superlative}\s+(?:\S+\s+){0,2}${folderWord}\b|\b${folderWord}\b.{0,40}\b(?:are|is)\s+(?:the\s+)?${superlative}\b|\b(?:top\s+\S+\s+)${folderWord}\b.*\b(?:size|space|big|large)`,
);

/** "how big are they altogether", "the total size of those": the files the previous turn found. */
const sizeOfThose =
  /\b(?:how (?:big|large|heavy) (?:are|were) (?:they|them|those|these|all of them|those files|these files)|how (?:big|large|heavy) is (?:it|that|that file|this file|the file)\s*$|(?:total |combined |whole )?sizes? of (?:them|those|these|all of them|those files|these files|the results)|how much (?:space|room|disk(?: space)?|storage) (?:do|did) (?:they|those|these|those files|these files) (?:take|use)|(?:add|sum) (?:up )?(?:their|the) sizes?)\b/;

/** Places named together: "the Music and Videos folders", "Music, Videos and Pictures". */
function placesListed(input: RuleInput): Mention[] {
  const places = input.mentions.filter((mention) => mention.kind !== "here");
  if (places.length < 2) return [];
  for (let index = 1; index < places.length; index++) {
    const between = input.lower.slice((places[index - 1] as Mention).end, (places[index] as Mention).start);
    if (!/^\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|\+\s*|plus\s+)(?:(?:the|my)\s+)?$/.test(between)) return [];
  }
  return places;
}

/** files.disk_usage: "what's taking up space in my home folder", "how big is node_modules", "biggest 3 folders here". */
export const diskUsageRule: IntentRule = (input) => {
  const { lower } = input;
  const previousFiles = input.previous?.files;
  if (sizeOfThose.test(lower) && input.mentions.length === 0) {
    // "them" is the previous result set, or nothing: never the working folder.
    if (previousFiles === undefined || previousFiles.length === 0) return undefined;
    return candidate("files.disk_usage", 0.9, { paths: [...previousFiles] });
  }
  const rankingFolders = folderRanking.test(lowerOutsidePlaces(input));
  const usage =
    rankingFolders ||
    /\b(?:taking|using|eating|hogging|filling|consuming|occupying|wasting|chewing)\s+(?:up\s+)?(?:all\s+)?(?:the\s+|my\s+|so much\s+|most\s+|much\s+)?(?:disk\s+|storage\s+|drive\s+)?(?:space|storage|disk|room|drive)\b/.test(
      lower,
    ) ||
    /\b(?:eating|filling|hogging)\s+(?:up\s+)?(?:my|the)\s+(?:disk|drive|storage|ssd|hard drive)\b/.test(lower) ||
    /\b(?:biggest|largest|heaviest|fattest)\s+(?:things|space hogs|items)\b/.test(lower) ||
    /\b(?:folder|directory) sizes\b|\bsizes? of (?:the |my )?(?:folders|directories|subfolders)\b/.test(lower) ||
    /\b(?:using|taking|uses|takes)\s+(?:up\s+)?(?:the\s+)?most\s+(?:disk\s+)?(?:space|room|storage)\b|\b(?:break ?down|breakdown)\b.*\b(?:space|storage|disk)\b|\bspace (?:used|taken) (?:by|in)\b/.test(
      lower,
    ) ||
    /\bdisk usage\b|^du(?:\s|$)|\bspace hogs?\b/.test(lower) ||
    /\bhow (?:big|large|heavy) (?:is|are)\b|\bhow much (?:disk\s+)?(?:space|room|storage)\b.*\b(?:take|takes|taking|use|uses|using|occupy|occupies|eat|eats|eating)\b|\bsizes? of (?:the |my )?\S+\s*(?:folder|directory|dir)$|\bsizes? of (?:the |my )?[\w@+-]*[./~_][\w@+./~-]*$|\bwhat uses the most (?:disk )?space\b|\bwhere (?:did|has) (?:all )?my (?:disk )?space go\b/.test(
      lower,
    ) ||
    (/\b(?:sizes?|how (?:big|large|heavy))\b/.test(lower) && placesListed(input).length > 1);
  if (!usage) return undefined;
  const listed = placesListed(input);
  if (listed.length > 1 && /\b(?:sizes?|how (?:big|large|heavy)|how much (?:space|room|disk|storage))\b/.test(lower))
    return candidate("files.disk_usage", 0.92, { paths: listed.map((mention) => mention.path) });
  // "the biggest folder in my home" names no folder called "biggest".
  const places = input.mentions.flatMap((mention) =>
    rankingName.test(mention.bound?.file.named ?? "")
      ? [mention.bound?.folder as Mention]
      : rankingName.test(mention.named ?? "")
        ? []
        : [mention],
  );
  const place = places.find((mention) => !mention.fileLike) ?? places[0] ?? existingFolderWord(input);
  if (rankingFolders) {
    return candidate("files.disk_usage", 0.92, {
      path: place?.path ?? input.context.cwd,
      limit: largestCount(lowerOutsidePlaces(input)) ?? 10,
      show: "folders",
    });
  }
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
