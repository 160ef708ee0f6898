/**
 * Folders picked out by what they are called or hold: "all node_modules folders", "the build folders", "__pycache__
 * directories", "folders named cache", "the empty folders". A word names folders only when it looks like a folder's
 * name (build and cache folders people clean, or a name with _ . - or a digit in it, or one said after "named"), so
 * "the old folders" or "photo folders" are never read as folders called "old" or "photo".
 */

/** Folders programs rebuild, the ones people clean out by name. */
const knownFolderNames = new Set([
  "node_modules",
  "build",
  "builds",
  "dist",
  "target",
  "out",
  "obj",
  "bin",
  "coverage",
  "cache",
  "caches",
  "tmp",
  "temp",
  "logs",
  "venv",
  "vendor",
  "__pycache__",
  "bower_components",
]);

/** The words that call what comes before them folders. */
const folderWord = /(?:^|\s)(folders|directories|dirs|folder|directory|dir)\b/g;
/** Separators of a list of names: "node_modules, dist and build". */
const listSeparator = /^(?:,|and|or|&)$/;
const namedFolders =
  /\b(?:folders|directories|dirs|(?:every|all|each|any)\s+(?:sub)?(?:folder|directory|dir))\s+(?:named|called)\s+(?:'([^']+)'|"([^"]+)"|([\w.@+-]+))/;

/** Whether a word is a folder's name rather than a description ("old", "photo", "empty"). */
function looksLikeFolderName(word: string): boolean {
  if (knownFolderNames.has(word)) return true;
  if (
    /^(?:the|my|all|every|each|any|empty|old|new|big|large|small|hidden|sub|these|those|this|that|both|other|some|unused|files?|and|or)$/.test(
      word,
    )
  )
    return false;
  return /^\.[\w-]+$/.test(word) || /[_\d]/.test(word) || /\w[.-]\w/.test(word);
}

/**
 * The folder names an object names (lower-case text after the verb): plural "folders", or a singular one after
 * "all", "every", "each" or "any". Empty when it names none.
 */
export function foldersNamed(object: string): string[] {
  const called = namedFolders.exec(object);
  if (called !== null) return [called[1] ?? called[2] ?? called[3] ?? ""].filter((value) => value !== "");
  if (object.length > 500) return [];
  for (const match of object.matchAll(folderWord)) {
    const plural = /s$/.test(match[1] ?? "");
    // The words before "folders", back to the first that is neither a folder's name nor a list separator.
    const before = object.slice(0, match.index).replace(/,/g, " , ").trim().split(/\s+/);
    const names: string[] = [];
    let at = before.length - 1;
    for (; at >= 0; at--) {
      const word = before[at] ?? "";
      if (listSeparator.test(word)) {
        if (names.length === 0) break;
        continue;
      }
      if (!/^[\w.@+-]+$/.test(word) || !looksLikeFolderName(word)) break;
      names.unshift(word);
    }
    if (names.length === 0) continue;
    const lead = before.slice(0, at + 1).join(" ");
    if (!plural && !/\b(?:all|every|each|any)(?:\s+(?:the|my|of the))?$/.test(lead)) continue;
    return names;
  }
  return [];
}

/** "the empty folders in Documents", "empty subfolders", "folders that are empty". */
export function emptyFoldersAsked(lower: string): boolean {
  return /\bempty\s+(?:sub)?(?:folders|directories|dirs)\b|\b(?:sub)?(?:folders|directories|dirs)\s+(?:that|which)\s+(?:are|were)\s+empty\b/.test(
    lower,
  );
}

/** "only directly in Downloads", "top level only", "not in subfolders": the folder itself, not what is below it. */
export function staysAtTopLevel(lower: string): boolean {
  return /\b(?:directly in|right in|top[- ]level|not (?:in )?(?:the |any |its )?sub-?folders|no sub-?folders|without (?:the |its )?sub-?folders|not recursive(?:ly)?|only in (?:the folder )?itself)\b/.test(
    lower,
  );
}

/** Words after "in" that are no folder's name ("in the last week", "in my code directory" is the folder code). */
const notPlaces =
  /^(?:the|a|an|it|them|there|here|this|that|last|past|total|size|order|bulk|one|all|any|general|case|full|\d.*|days?|weeks?|months?|years?|subfolders?|sub-folders?)$/;

/**
 * The folder a bulk request names with a bare word no place was read from: "under projects", "in my code
 * directory", "from build-output" (relative to the working folder). Undefined when it names none; `unread` when it
 * says "in/under …" with something after that is not a folder's name, so the request is not guessed at.
 */
export function bareFolder(lower: string, text: string): { word: string; preposition: string } | "unread" | undefined {
  const match =
    /\s(in|under|inside|within|from|throughout|across|beneath|below)\s+(?:all\s+of\s+)?(?:my\s+|the\s+|your\s+)?([\w.@+~/-]+)(?:\s+(?:folders?|directory|dir|project|repo))?(?:\s+(?:folder|directory|dir))?\s*[.?!]?$/.exec(
      lower,
    );
  const word = match?.[2];
  if (match === null || word === undefined) return undefined;
  if (notPlaces.test(word)) return "unread";
  const at = match.index + match[0].indexOf(word, 2 + (match[1]?.length ?? 0));
  return { word: text.slice(at, at + word.length), preposition: match[1] ?? "in" };
}
