import { homeFolders } from "../lexicon.js";
import type { Utterance } from "../normalize-text.js";
import type { ParseContext } from "../parse-context.js";
import { nameToTheEnd } from "./destination-name.js";
import { extendToExistingNames } from "./extend-names.js";
import { findQuoted, type Quoted } from "./find-quoted.js";
import { resolvePath } from "./resolve-path.js";

/** A place a request names: a path, a file name, a well-known folder, or "here". */
export interface Mention {
  start: number;
  end: number;
  /** Absolute path. */
  path: string;
  kind: "path" | "file" | "folder" | "here";
  /** Names a file rather than a folder (it has an extension, or was called a file). */
  fileLike: boolean;
  /** The word just before it (in, to, from, on…), if a preposition. */
  preposition: string | undefined;
  /** For "todo.md on my desktop": the file as named alone, and the folder it was said to be in. */
  bound?: { file: Mention; folder: Mention };
  /** A folder named by a bare name ("the invoices folder", "the 'Old Stuff' folder"): that name, so a folder after it can hold it. */
  named?: string;
  /** Names typed without quotes that could be read more than one way, each naming something that exists: ask, never act. */
  ambiguous?: string[];
}

const prepositions = new Set([
  "in",
  "into",
  "inside",
  "under",
  "within",
  "from",
  "on",
  "onto",
  "to",
  "of",
  "at",
  "for",
  "over",
  "across",
  "throughout",
]);
const urlPattern = /\b[a-z][a-z0-9+.-]*:\/\/\S+|\bwww\.\S+/gi;
/** Letters and digits of any script, `_` and emoji: the characters of a word in a name ("résumé", "写真", "party🎉"). */
const word = String.raw`\p{L}\p{M}\p{N}_\p{Extended_Pictographic}\p{Emoji_Modifier}\u{fe0f}\u{200d}`;
const pathPattern = new RegExp(
  String.raw`(?<![${word}@:/.-])(~(?:\/[^\s'"\x60,;()]*)?|\.{1,2}\/[^\s'"\x60,;()]*|\/[^\s'"\x60,;()]*|\.?[${word}@+-][${word}@+.-]*(?:\/[${word}@+.-]+)+\/?|[${word}@+-][${word}@+.-]*\/(?=[\s?!,.]|$))`,
  "gu",
);
const windowsPathPattern = /(?<![\w\\/])([A-Za-z]:[\\/][^\s'"`,;()]*|\\\\[^\s'"`,;()\\]+\\[^\s'"`,;()]*)/g;
const filePattern = new RegExp(
  String.raw`(?<![${word}/.@-])(\.[A-Za-z][${word}-]*(?:\.[${word}-]+)*|[${word}@+-][${word}@+-]*(?:\.[${word}@+-]+)*\.[A-Za-z][A-Za-z0-9]{0,7})(?![${word}/@-])`,
  "gu",
);
const namedFolderPattern = new RegExp(
  String.raw`\b(?:folder|directory|dir)\s+(?:called|named|titled)\s+([${word}@+.-]+)|\bthe\s+([${word}@+.-]+)\s+(?:folder|directory|dir)\b|\b(?:folder|directory|dir)\s+([${word}@+.-]*[._/-][${word}@+.-]*)|\bthe\s+(?:folder|directory|dir)\s+([${word}@+-][${word}@+.-]*)(?=\s+(?:to|into|as|in|on|inside|under|from|and)\s|\s*[,.?!]*$)`,
  "giu",
);
/** "the Old Stuff folder", "the Tax Returns 2022 folder": a folder's name of several capitalised words (or numbers). */
const namedFolderWordsPattern = new RegExp(
  String.raw`\b[Tt]he\s+([\p{Lu}\p{N}][${word}@+.-]*(?:\s+[\p{Lu}\p{N}][${word}@+.-]*){1,3})\s+(?:folder|directory|dir)\b`,
  "gu",
);
const herePattern =
  /\b(?:(?:in\s+)?here|this\s+(?:folder|directory|dir|location|place)|the\s+current\s+(?:folder|directory|dir|location)|current\s+(?:folder|directory|dir|working directory)|the\s+working\s+directory|working\s+directory|cwd)\b/g;
const homePattern =
  /\b(?:(?:my|the|your)\s+)?home\s+(?:folder|directory|dir)\b|\bmy\s+home\b|\b(?:in|under|from|of|to)\s+home\b/g;
const folderWordPattern = new RegExp(
  `\\b(?:(my|the|your)\\s+)?(${[...homeFolders.keys()].join("|")})(?:\\s+(folder|directory|dir))?\\b`,
  "gi",
);
/** Folders that are also kinds of file: a location only when the request says so. */
const alsoKinds = new Set(["music", "movies", "pictures", "photos", "videos", "document", "documents", "download"]);
/** Folder names of projects, understood bare after "in", "under"… ("find TODOs in src"). */
const projectFolders =
  /\b(?:in|under|inside|within|from|of)\s+(src|lib|bin|build|dist|out|target|test|tests|spec|docs|app|apps|public|assets|static|config|scripts|node_modules|vendor|tmp|temp|logs|backups|backup|examples|packages|components|coverage|node_modules)\b(?!\.)/g;
/** Files under these folders are files even without an extension (/etc/hosts, /proc/cpuinfo). */
const systemFiles = /^\/(?:etc|proc|sys)\/[^/]+(?:\/[^/]+)*$/;
const bindingWords = /^(?:in|on|from|inside|under|within|at)$/;
/** Punctuation after a path, but not the dots of a final `.` or `..` folder, which are the path's own. */
const trailingPunctuation = /(?<!\/\.?)[?.!,;:)]+$/;

function overlaps(start: number, end: number, taken: ReadonlyArray<{ start: number; end: number }>): boolean {
  return taken.some((span) => start < span.end && end > span.start);
}

function wordBefore(lower: string, start: number): string | undefined {
  const before = lower.slice(Math.max(0, start - 24), start).trimEnd();
  const match = /([a-z]+)$/.exec(before);
  const word = match?.[1];
  return word !== undefined && prepositions.has(word) ? word : undefined;
}

function hasExtension(name: string): boolean {
  const base = name.split("/").pop() ?? "";
  return /^\.[A-Za-z]/.test(base) || /\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(base);
}

/** Every place the request names, in order of appearance, without overlaps. */
export function findMentions(utterance: Utterance, context: ParseContext, quoted = findQuoted(utterance.text)): Mention[] {
  const { text, lower } = utterance;
  const mentions: Mention[] = [];
  const taken: Array<{ start: number; end: number }> = [];
  const hasSlash = /[/~]/.test(text);
  const hasDot = text.includes(".");
  for (const match of hasSlash || /www\./i.test(text) ? text.matchAll(urlPattern) : [])
    taken.push({ start: match.index, end: match.index + match[0].length });
  const add = (start: number, end: number, typedPath: string, kind: Mention["kind"], fileLike: boolean, named?: string) => {
    const preposition = wordBefore(lower, start);
    mentions.push({ start, end, path: typedPath, kind, fileLike, preposition, ...(named === undefined ? {} : { named }) });
    taken.push({ start, end });
  };
  for (const quote of quoted) addQuoted(quote, lower, context, add);
  for (const quote of quoted) taken.push({ start: quote.start, end: quote.end });
  // A Windows-style path (C:\Users\…, D:/x, \\server\share) stays whole and as typed: the path guard refuses it
  // with a clear word, where taking it apart would make a file with backslashes in its name, or another file.
  for (const match of /[:\\]/.test(text) ? text.matchAll(windowsPathPattern) : []) {
    const typed = (match[1] ?? "").replace(trailingPunctuation, "");
    if (typed === "" || overlaps(match.index, match.index + typed.length, taken)) continue;
    add(match.index, match.index + typed.length, typed, "path", hasExtension(typed));
  }
  for (const match of hasSlash ? text.matchAll(pathPattern) : []) {
    const typed = (match[1] ?? "").replace(trailingPunctuation, "");
    const start = match.index;
    if (typed === "" || (typed === "/" && /\w\s*\/\s*\w/.test(text.slice(start - 2, start + 3)))) continue;
    if (overlaps(start, start + typed.length, taken) || /^\d+\/\d+/.test(typed)) continue;
    add(
      start,
      start + typed.length,
      resolvePath(typed, context),
      "path",
      hasExtension(typed) || (systemFiles.test(typed) && !typed.endsWith("/")),
    );
  }
  for (const match of /folder|director|dir\b/.test(text) ? text.matchAll(namedFolderWordsPattern) : []) {
    const name = match[1] ?? "";
    if (overlaps(match.index, match.index + match[0].length, taken) || homeFolders.has(name.toLowerCase())) continue;
    add(match.index, match.index + match[0].length, resolvePath(name, context), "folder", false, name);
  }
  for (const match of /folder|director|dir\b/i.test(text) ? text.matchAll(namedFolderPattern) : []) {
    const name = match[1] ?? match[2] ?? match[3] ?? match[4] ?? "";
    const offset = match.index + match[0].lastIndexOf(name);
    const lowerName = name.toLowerCase();
    if (
      overlaps(offset, offset + name.length, taken) ||
      homeFolders.has(lowerName) ||
      /^(?:same|new|whole|entire|current|other|that|this|home|my|a|an|one|empty|old|big|large|huge|hidden|parent|root|main|top|shared|last|first|next|following|previous|whole|given|said|right|wrong|called|named|titled|structure|tree|contents?|sizes?|listing|name|path|it|them|here|there|for|and|or|with|by|in|on|to|into|as|from|under|inside|you|i|we|is|was|are|has|have|had|contains?|holds?|uses?|takes?|needs?|looks?|gets?|got|should|would|will|can|could|must|does|do|did|itself|again|please|now|too|also|instead|where|which|when)$/.test(
        lowerName,
      )
    )
      continue;
    add(match.index, match.index + match[0].length, resolvePath(name, context), "folder", false, name);
  }
  for (const match of hasDot ? text.matchAll(filePattern) : []) {
    const typed = (match[1] ?? "").replace(/\.+$/, "");
    const start = match.index;
    if (
      overlaps(start, start + typed.length, taken) ||
      (!/[\p{L}_]/u.test(typed.split(".")[0] || typed.slice(1)) && context.exists === undefined)
    )
      continue;
    if (/^(?:e\.g|i\.e|etc|vs|mr|mrs|dr|st|no)$/i.test(typed)) continue;
    // "2.5.txt" is rarely a name, but "meeting notes 2024.txt" ends with one: kept only to be read against the disk.
    if (/^\d/.test(typed) && context.exists === undefined) continue;
    if (
      typed.startsWith(".") &&
      (/^\s+(?:files|ones|documents)\b/i.test(text.slice(start + typed.length, start + typed.length + 12)) ||
        /\b(?:every|all|any|each|those|these)\s+$/i.test(text.slice(Math.max(0, start - 8), start)))
    )
      continue;
    add(start, start + typed.length, resolvePath(typed, context), "file", true);
  }
  for (const match of /here|this|current|cwd|working/.test(lower) ? lower.matchAll(herePattern) : []) {
    if (!overlaps(match.index, match.index + match[0].length, taken))
      add(match.index, match.index + match[0].length, context.cwd, "here", false);
  }
  for (const match of lower.includes("home") ? lower.matchAll(homePattern) : []) {
    if (!overlaps(match.index, match.index + match[0].length, taken))
      add(match.index, match.index + match[0].length, context.home, "folder", false);
  }
  for (const match of text.matchAll(folderWordPattern)) {
    const [whole, determiner, word = "", suffix] = match;
    const start = match.index;
    if (overlaps(start, start + whole.length, taken)) continue;
    const lowerWord = word.toLowerCase();
    const capitalized = word[0] !== undefined && word[0] !== word[0].toLowerCase();
    const preposition = wordBefore(lower, start);
    const isPlace =
      !alsoKinds.has(lowerWord) ||
      // "check documents for duplicates", "search music for live recordings": the folder searched.
      (/\b(?:search|scan|check|look through|go through|comb through|grep|dedupe)\s+$/.test(
        lower.slice(Math.max(0, start - 16), start),
      ) &&
        /^\s+for\b/.test(lower.slice(start + whole.length))) ||
      suffix !== undefined ||
      determiner?.toLowerCase() === "my" ||
      capitalized ||
      (preposition !== undefined && (determiner !== undefined || !/^(?:of|for|over)$/.test(preposition)));
    if (!isPlace) continue;
    // "the photos folder on my desktop" is a folder called photos there, not ~/Pictures.
    const named = determiner?.toLowerCase() === "the" && suffix !== undefined ? word : undefined;
    add(start, start + whole.length, `${context.home}/${homeFolders.get(lowerWord)}`, "folder", false, named);
  }
  for (const match of lower.matchAll(projectFolders)) {
    const name = match[1] ?? "";
    const offset = match.index + match[0].length - name.length;
    if (!overlaps(offset, offset + name.length, taken))
      add(offset, offset + name.length, resolvePath(text.slice(offset, offset + name.length), context), "folder", false);
  }
  mentions.sort((a, b) => a.start - b.start);
  const prepositionAt = (start: number) => wordBefore(lower, start);
  const read = extendToExistingNames(mentions, text, context, prepositionAt).filter(
    (mention) =>
      !(mention.kind === "file" && /^\d/.test(text.slice(mention.start, mention.end)) && !nameThere(mention, mentions, context)),
  );
  const whole = nameToTheEnd(read, text, context);
  return bindFilesToFolders(withoutAppositions(whole, lower), lower, context);
}

/** Whether a name that starts with a digit ("2024.txt") is there, where it is or in a folder the request names. */
function nameThere(mention: Mention, mentions: readonly Mention[], context: ParseContext): boolean {
  const name = mention.path.split("/").pop() ?? "";
  const places = [mention.path, ...mentions.filter((other) => !other.fileLike).map((other) => `${other.path}/${name}`)];
  return places.some((place) => context.exists?.(place) !== undefined);
}

/**
 * "the temp folder /tmp", "the trash folder ~/.local/share/Trash": a folder named by a word, then its path, is one
 * place, the path (not a folder called "temp" here).
 */
function withoutAppositions(mentions: Mention[], lower: string): Mention[] {
  return mentions.filter((mention, index) => {
    const next = mentions[index + 1];
    return !(
      mention.kind === "folder" &&
      mention.named !== undefined &&
      next?.kind === "path" &&
      !next.fileLike &&
      /^\s*[,:]?\s*(?:at\s+|in\s+)?$/.test(lower.slice(mention.end, next.start))
    );
  });
}

/**
 * "todo.md on my desktop", "'holiday video.mp4' from Downloads", "the invoices folder in Documents":
 * a bare file or folder name followed by the folder it is in is one place, inside that folder.
 */
function bindFilesToFolders(mentions: Mention[], lower: string, context: ParseContext): Mention[] {
  const bound: Mention[] = [];
  for (let index = 0; index < mentions.length; index++) {
    const file = mentions[index] as Mention;
    const folder = mentions[index + 1];
    const between = folder === undefined ? "" : lower.slice(file.end, folder.start);
    const bare =
      (file.kind === "file" && !/[/~]/.test(lower.slice(file.start, file.end))) ||
      (file.kind === "folder" && file.named !== undefined && !/[/~]/.test(file.named));
    if (
      bare &&
      folder !== undefined &&
      !folder.fileLike &&
      folder.kind !== "here" &&
      folder.preposition !== undefined &&
      bindingWords.test(folder.preposition) &&
      /^\s*(?:\S+\s+){0,3}$/.test(between) &&
      between.split(/\s+/).length <= 5
    ) {
      const name = file.named ?? file.path.split("/").pop();
      const inFolder = `${folder.path}/${name}`;
      // "duplicate report.docx in Documents", with report.docx there and not here: the folder is where it is, not
      // where it goes (a rule reading "in Documents" as the destination puts the copy beside it).
      const whereItIs =
        context.exists !== undefined && context.exists(file.path) === undefined && context.exists(inFolder) !== undefined;
      bound.push({
        ...file,
        end: folder.end,
        path: inFolder,
        bound: { file: whereItIs ? { ...file, path: inFolder } : file, folder },
      });
      index++;
      continue;
    }
    bound.push(file);
  }
  return bound;
}

function addQuoted(
  quote: Quoted,
  lower: string,
  context: ParseContext,
  add: (start: number, end: number, path: string, kind: Mention["kind"], fileLike: boolean, named?: string) => void,
) {
  const value = quote.value.trim();
  if (quote.quote === "`" || value === "") return;
  const after = lower.slice(quote.end, quote.end + 12);
  const before = lower.slice(Math.max(0, quote.start - 30), quote.start);
  const namedFolder =
    /^\s*(?:folder|directory|dir)\b/.test(after) || /(?:folder|directory|dir)\s+(?:called|named)?\s*$/.test(before);
  const namedFile = /(?:file|document)\s+(?:called|named)?\s*$/.test(before);
  const looksLikePath = /^(?:~|\/|\.{1,2}\/)/.test(value) || (value.includes("/") && !value.includes(" "));
  if (
    looksLikePath ||
    namedFolder ||
    namedFile ||
    (hasExtension(value) && !/\s{2,}/.test(value) && value.length < 120 && !/[!?]$/.test(value))
  ) {
    add(
      quote.start,
      quote.end,
      resolvePath(value, context),
      looksLikePath ? "path" : namedFolder ? "folder" : "file",
      !namedFolder && (hasExtension(value) || namedFile),
      namedFolder && !looksLikePath ? value : undefined,
    );
  }
}
