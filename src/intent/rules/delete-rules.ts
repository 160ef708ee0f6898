import { findFileFilters } from "../entities/find-file-filters.js";
import type { Mention } from "../entities/find-mentions.js";
import { resolvePath } from "../entities/resolve-path.js";
import { homeFolders } from "../lexicon.js";
import { candidate, type IntentRule, type RuleInput } from "../rule-input.js";
import { meansContents, objectIsBackReference, onlyOneOfAKind, previousSelection } from "./file-changing-rules.js";
import { bareFolder, emptyFoldersAsked, foldersNamed, staysAtTopLevel } from "./folder-selection.js";
import { folderOf } from "./places.js";

/** Words that stand for a whole folder's files ("everything in", "all the files on"). */
const wholeFolderObject =
  /^(?:(?:all|every|each|any)(?:\s+(?:of\s+)?(?:the|my))?\s*)?(?:everything|anything|all|files?|stuff|contents?|things|items|whatever|the (?:files|contents?|stuff|things)|my (?:files|stuff|things))?(?:\s+(?:that(?:'s| is| are)|which (?:is|are)))?$/;

/**
 * Whether a folder named after "in", "on", "from"… is what a verb acts on: "delete everything in
 * Downloads" names it, "delete the junk in Downloads" names something in it that is not understood.
 */
function objectIsFolder(input: RuleInput, verbEnd: number, folder: Mention): boolean {
  if (folder.preposition === undefined || !/^(?:in|on|inside|under|within|from|at|of)$/.test(folder.preposition)) return true;
  const object = input.lower
    .slice(verbEnd, folder.start)
    .trim()
    .replace(/\s*\b(?:in|on|inside|under|within|from|at|of)$/, "")
    .trim();
  return wholeFolderObject.test(object);
}

/**
 * Where a bulk delete looks: the folder the request names (a bare word after "in"/"under" is a folder under the
 * working folder), the working folder when it names none, and undefined when it names one that is not understood.
 */
function bulkPlace(input: RuleInput, folderNames: readonly string[] = []): { path: string; inside: boolean } | undefined {
  // A folder's name the request picks folders by ("every folder named cache") is not where it looks.
  const place = input.mentions.find(
    (mention) => !mention.fileLike && !folderNames.some((name) => mention.path.endsWith(`/${name}`)),
  );
  // "in/under X" reaches into X's subfolders; "on the desktop", "from Downloads" mean what lies there.
  const inside = (preposition: string | undefined) =>
    preposition !== undefined && /^(?:in|inside|under|within|throughout|across|beneath|below)$/.test(preposition);
  if (place !== undefined) return { path: place.path, inside: inside(place.preposition) };
  const bare = bareFolder(input.lower, input.text);
  if (bare === "unread") return undefined;
  if (bare === undefined) return { path: input.context.cwd, inside: false };
  return { path: resolvePath(bare.word, input.context), inside: inside(bare.preposition) };
}

const deleteVerbs =
  /^(?:delete|remove|rm|trash|erase|get rid of|get shot of|throw away|throw out|bin|discard|wipe out|wipe|purge|nuke|dispose of|send|move|put|clear out|clean out|empty)\b(?:\s+-\w+)*/;

/** files.delete (to the trash): "delete old.log", "trash all .tmp files in this folder", "get rid of the node_modules folder". */
export const deleteRule: IntentRule = (input) => {
  const { lower } = input;
  // "clean up the node_modules folders": cleaning up folders picked by name or emptiness is deleting them.
  const cleanUp = /^(?:clean up|clear up|tidy up|cleanup)\b/.exec(lower);
  const verb =
    cleanUp !== null && (foldersNamed(lower.slice(cleanUp[0].length)).length > 0 || emptyFoldersAsked(lower))
      ? cleanUp
      : deleteVerbs.exec(lower);
  if (verb === null) return undefined;
  if (/^(?:send|move|put)\b/.test(verb[0]) && !/\b(?:to|in|into) (?:the )?(?:trash|bin|recycle bin|wastebasket)\b/.test(lower))
    return undefined;
  if (
    /^(?:clear out|clean out|empty)\b/.test(verb[0]) &&
    !/\b(?:files|folders?|director(?:y|ies))\b/.test(lower) &&
    !input.mentions.some((mention) => mention.kind === "path")
  ) {
    return undefined;
  }
  if (
    /\b(?:reminder|reminders|schedule|schedules|alarm|note|notes|account|accounts|profile|history|cookies|cache|app|apps|application|package|packages|user|users|email|emails|message|messages|contact|contacts|event|events|meeting|appointment|song from|photo from|tab|tabs|bookmark|bookmarks|comment|post|tweet|friend|subscription)\b/.test(
      lower,
    ) &&
    input.mentions.length === 0 &&
    !/\bfiles?\b/.test(lower)
  ) {
    return undefined;
  }
  const end = lower.search(/\s(?:to|into|in) (?:the )?(?:trash|bin|recycle bin|wastebasket)\b/);
  const objectEnd = end === -1 ? lower.length : end;
  const filters = findFileFilters(input);
  const hasFilters =
    filters.ext !== undefined ||
    filters.kind !== undefined ||
    filters.minSize !== undefined ||
    filters.maxSize !== undefined ||
    filters.modifiedAfter !== undefined ||
    filters.modifiedBefore !== undefined ||
    filters.name !== undefined;
  const file = input.mentions.find(
    (mention) => mention.start >= verb[0].length && mention.start < objectEnd && mention.kind !== "here",
  );
  const place = folderOf(input);
  if (file !== undefined && filters.name !== undefined && Object.keys(filters).length === 1 && file.kind === "file") {
    return candidate("files.delete", 0.93, { path: file.path });
  }
  // "all node_modules folders under projects", ".pyc files and __pycache__ folders", "the empty folders in Documents".
  const named = foldersNamed(lower.slice(verb[0].length, objectEnd));
  const empty = emptyFoldersAsked(lower);
  if (named.length > 0 || empty) {
    const where = bulkPlace(input, named);
    if (where === undefined) return undefined;
    // "every folder named cache": the name is the folders', not a filter on files.
    const { name: _name, ...fileFilters } = filters;
    const forFiles = /\b(?:named|called)\b/.test(lower) && named.length > 0 ? fileFilters : filters;
    const filesToo = Object.values(forFiles).some((value) => value !== undefined);
    return candidate("files.delete", 0.92, {
      path: where.path,
      ...(named.length > 0 ? { folderNames: named } : {}),
      ...(empty ? { emptyFolders: true } : {}),
      ...(filesToo ? forFiles : {}),
      recursive: true,
    });
  }
  const bareFolder =
    /^\s*(?:the\s+)?(node_modules|build|dist|out|target|coverage|tmp|temp|cache|\.cache|logs|__pycache__|\.venv|venv|vendor)(?:\s+(?:folder|directory|dir))?$/.exec(
      lower.slice(verb[0].length, objectEnd),
    );
  if (file === undefined && bareFolder?.[1] !== undefined)
    return candidate("files.delete", 0.88, { path: resolvePath(bareFolder[1], input.context) });
  if (hasFilters && onlyOneOfAKind(input, filters)) return undefined;
  if (hasFilters && (place !== undefined || /\bfiles?\b/.test(lower) || filters.ext !== undefined)) {
    // "the .tmp files in Downloads" means them wherever they are in it, as a search would find them.
    const where = bulkPlace(input);
    if (where === undefined) return undefined;
    return candidate("files.delete", 0.9, {
      path: where.path,
      ...filters,
      ...(staysAtTopLevel(lower) ||
      !(where.inside || /\b(?:all|every|any|anywhere|everywhere|recursive(?:ly)?|sub-?folders?)\b/.test(lower))
        ? {}
        : { recursive: true }),
    });
  }
  if (file !== undefined && !file.fileLike && file.bound === undefined && !objectIsFolder(input, verb[0].length, file))
    return undefined;
  if (file !== undefined)
    return candidate("files.delete", file.fileLike || file.kind === "path" ? 0.93 : 0.85, {
      path: file.path,
      ...(!file.fileLike && meansContents(input, verb[0]) ? { contents: true } : {}),
    });
  if (objectIsBackReference(input, verb[0].length, objectEnd)) {
    const selection = previousSelection(input);
    // "delete them" after a search that found nothing: exactly those files, none, never a folder guessed at.
    const found = input.previous?.files;
    if (selection !== undefined && typeof selection.path !== "string" && Array.isArray(found))
      return candidate("files.delete", 0.85, { path: input.context.cwd, files: found });
    if (selection !== undefined && typeof selection.path === "string") return candidate("files.delete", 0.85, selection);
  }
  return undefined;
};

const organizeVerb =
  /^(?:auto-sort|autosort|bucket|organize|organizing|sort|sorting|tidy|tidy up|tidying up|arrange|arranging|clean up|cleanup|group|grouping|categorize|declutter|sort out|reorganize|put order in|bring order to|put (?:\S+\s+){1,3}in order|get (?:\S+\s+){1,3}in order|put (?:\S+\s+){1,5}into (?:sub)?folders)\b/;

/** files.organize: "organize my Downloads by type", "tidy up ~/Pictures into folders by month". */
export const organizeRule: IntentRule = (input) => {
  const { lower } = input;
  const verb = organizeVerb.exec(lower);
  if (verb === null) return undefined;
  // "clean up the node_modules folders", "tidy up the empty folders": folders to delete, not a folder to organize.
  if (foldersNamed(lower.slice(verb[0].length)).length > 0 || emptyFoldersAsked(lower)) return undefined;
  const kindFolder =
    /^\s*(?:my\s+|the\s+|all\s+(?:the\s+|my\s+)?)?(pictures|photos|music|videos|movies|documents|downloads|desktop)\b/.exec(
      lower.slice(verb[0].length),
    )?.[1];
  const place =
    folderOf(input) ??
    (kindFolder === undefined ? undefined : { path: `${input.context.home}/${homeFolders.get(kindFolder) ?? kindFolder}` });
  const filesWord = /\b(?:files|my files|the files|everything|my stuff|the stuff|this mess)\b/.test(lower);
  if (place === undefined && !filesWord) return undefined;
  if (place === undefined && !/\b(?:by|into)\b/.test(lower)) return undefined;
  if (
    /^(?:sort|group)\b/.test(verb[0]) &&
    /\b(?:list|results|output|lines|numbers|names|rows|table|emails|tabs|by name)\b/.test(lower) &&
    place === undefined
  )
    return undefined;
  let method: string | undefined;
  if (
    /\b(?:by|based on|according to)\s+(?:their\s+|its\s+)?(?:file\s+)?(?:type|kind|category|format|categories|types)\b|\binto\s+(?:folders\s+(?:by|for)\s+)?(?:types|categories|kinds)\b/.test(
      lower,
    )
  )
    method = "type";
  else if (
    /\b(?:by|per|into folders by|into)\s+(?:the\s+)?(?:date|month|months|year|years|day|days|time|when|modified|modification|creation|age)\b|\bmonthly folders\b|\bby when\b/.test(
      lower,
    )
  )
    method = "date";
  else if (/\b(?:by|based on)\s+(?:their\s+|file\s+)?size\b|\bsize bands\b|\bby how (?:big|large)\b/.test(lower)) method = "size";
  else if (/\bby\s+(?:file\s+)?(?:extension|extensions|ext|suffix|file ending)\b/.test(lower)) method = "extension";
  else if (/\bby\s+\w+/.test(lower) && !/\bby\s+(?:hand|me|itself|myself|now|then|tomorrow|today)\b/.test(lower))
    return undefined;
  const dateFormat = /\bYYYY-MM\b|\byear-month\b/i.test(input.text) ? "YYYY-MM" : undefined;
  return candidate("files.organize", place === undefined ? 0.8 : 0.92, {
    path: place?.path ?? input.context.cwd,
    method: method ?? "type",
    dryRun:
      /\b(?:dry run|dry-run|preview|what would|just show|show me the plan|plan only|without (?:doing|moving)|simulate)\b/.test(
        lower,
      ) || undefined,
    dateFormat,
  });
};
