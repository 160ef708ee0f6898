import path from "node:path/posix";
import { findFileFilters } from "../entities/find-file-filters.js";
import type { Mention } from "../entities/find-mentions.js";
import { resolvePath } from "../entities/resolve-path.js";
import { extensionWords, kindWords } from "../lexicon.js";
import { type Candidate, candidate, type IntentRule, type RuleInput } from "../rule-input.js";
import { backReference } from "./places.js";
import { wordSet, wordsLeftOver } from "./words-left-over.js";

/**
 * Archives said in English or typed like the commands (zip, tar, gzip, unzip): read here with more confidence
 * than the shell rule gives a command line, so "zip up Documents/taxes" or "make a tar.gz of site" never runs
 * `zip`/`make` word for word. A command with options (`tar czf …`, `unzip -l …`) is left to the shell rule.
 */

/** An archive file name: its ending says so. */
const archiveName = /\.(?:zip|tar|tar\.gz|tgz|gz|tar\.bz2|tbz2?|tar\.xz|txz|bz2|xz|7z|rar|zst)$/i;
/** A format said as a word ("a tar.gz", "into a zip"): not a file named so. */
const formatWord = /^\.?(?:zip|tar|tar\.gz|tgz|gz|gzip|tarball|tar\.bz2|7z|rar)$/i;
/** Options on a command line: that is the shell's to run as typed. */
const commandOptions = /(?:^|\s)-{1,2}[a-z]|^(?:tar|gtar)\s+[a-z]*[cxt][a-z]*\s/i;

/** The words each reading may carry besides the places it names; any other word leaves the request not understood. */
const archiveWords = wordSet(
  "zip zipped zipfile tar tarball tgz gz gzip gzipped tar.gz compress compressed archive archives pack packed bundle",
  "file files folder folders directory dir whole entire everything contents content all of the",
);
const createWords = wordSet(
  "make create build produce generate give want need put turn squash roll",
  "from with containing out into in to as on onto at called named new single one together backup inside save store keep place",
);
const extractWords = wordSet(
  "unzip untar gunzip ungzip unarchive un-zip extract unpack decompress uncompress expand open",
  "from out of in into to inside under at on here right place current there",
);
const listWords = wordSet(
  "what what's whats is are in inside within contained list show display view print see check look into peek",
  "which does do contain contains hold holds have has entries items names there",
);

/** Words that name kinds and extensions of files ("pdfs", "photos", "jpg"), said when files of a kind are packed. */
const filterWords = new Set([
  ...kindWords.flatMap(([, words]) => words),
  ...extensionWords.keys(),
  ...[...extensionWords.keys()].map((word) => `${word}s`),
]);

function typedOf(input: RuleInput, mention: Mention): string {
  return input.text.slice(mention.start, mention.end);
}

/** The places a request names, without the format words ("a tar.gz", "as .zip"). */
function places(input: RuleInput): Mention[] {
  return input.mentions.filter((mention) => !formatWord.test(typedOf(input, mention)));
}

function isArchive(mention: Mention): boolean {
  return mention.fileLike && archiveName.test(mention.bound?.file.path ?? mention.path);
}

/** A format named in words: "tar.gz", "tgz", "tarball", "gzip(ped)", "tar", "zip". */
function formatSaid(lower: string): "zip" | "tar" | "tar.gz" | "gz" | undefined {
  if (/\b(?:tar\.gz|tgz|tarball|gzipped tar|compressed tar|tar\.gzip)\b/.test(lower)) return "tar.gz";
  if (/\btar\b/.test(lower)) return "tar";
  if (/\bzip(?:file|ped)?\b|\.zip\b/.test(lower)) return "zip";
  if (/\b(?:gzip|gz|gzipped)\b/.test(lower)) return "gz";
  return undefined;
}

/**
 * "the Invoices 2024 folder in Documents": a folder name of several words, unquoted, read as one only when that folder
 * is there (the request is about this machine); the place after it says where it is.
 */
function spacedFolder(input: RuleInput): Mention | undefined {
  const exists = input.context.exists;
  const named = /\bthe\s+((?:[^\s/]+\s+)+?[^\s/]+)\s+(?:folder|directory|dir)\b/i.exec(input.text);
  if (exists === undefined || named === null || named[1] === undefined) return undefined;
  const end = named.index + named[0].length;
  const where = input.mentions.find(
    (mention) =>
      mention.start >= end && !mention.fileLike && /^(?:in|on|inside|under|from|within)$/.test(mention.preposition ?? ""),
  );
  const candidate = where === undefined ? resolvePath(named[1], input.context) : path.join(where.path, named[1]);
  if (exists(candidate) !== "folder") return undefined;
  const close =
    where !== undefined &&
    /^\s*(?:in|on|inside|under|from|within)\s+$/.test(input.lower.slice(end, where.start).replace(/\b(?:the|my)\s+$/, ""));
  return {
    start: named.index,
    end: close && where !== undefined ? where.end : end,
    path: candidate,
    kind: "folder",
    fileLike: false,
    preposition: undefined,
  };
}

const createVerb =
  /^(?:zip(?:\s+up)?|tar(?:\s+up)?|gzip|compress|archive|pack(?:\s+up)?|bundle(?:\s+up)?|(?:make|create|build|produce|generate|give me|i (?:want|need))\s+(?:me\s+)?(?:a|an)\s+(?:new\s+)?(?:compressed\s+|backup\s+)?(?:zip|zipfile|zip file|zip archive|tar|tarball|tar\.gz|tgz|gz|gzip|archive|compressed archive|backup archive)(?:\s+(?:file|archive))?\s+(?:of|from|with|containing|out of|for)|(?:put|turn|bundle|pack|squash|roll)\s+)\b/;

/** archive.create: "zip up Documents/taxes", "make a tar.gz of the site folder", "zip a.pdf and b.xlsx into x.zip". */
export const archiveCreateRule: IntentRule = (input) => {
  const { lower } = input;
  if (commandOptions.test(input.typed)) return undefined;
  const verb = createVerb.exec(lower);
  if (verb === null) return undefined;
  // "put/turn/pack … into a zip": only with an archive as what is made.
  if (
    /^(?:put|turn|bundle|pack|squash|roll)\s+$/.test(verb[0]) &&
    !/\b(?:in(?:to)?|as)\s+(?:a|an|one)\s+(?:single\s+)?(?:zip|tarball|tar\.gz|tgz|archive|zip file)\b|\.zip\b|\.tar\.gz\b|\.tgz\b/.test(
      lower,
    )
  )
    return undefined;
  const spaced = spacedFolder(input);
  const found = places(input)
    .filter((mention) => mention.start >= verb[0].length - 1 && mention.kind !== "here")
    .filter((mention) => spaced === undefined || mention.end <= spaced.start || mention.start >= spaced.end);
  if (spaced !== undefined) {
    found.push(spaced);
    found.sort((a, b) => a.start - b.start);
  }
  const wordBefore = (mention: Mention) => lower.slice(0, mention.start).trim().split(/\s+/).pop() ?? "";
  const destinationAt = found.findIndex(
    (mention, index) => index > 0 && isArchive(mention) && /^(?:to|into|in|as|at|called|named)$/.test(wordBefore(mention)),
  );
  let destination: Mention | undefined = destinationAt === -1 ? undefined : found[destinationAt];
  let sources = destinationAt === -1 ? found : found.slice(0, destinationAt);
  // "zip out.zip a.txt b.txt": the command's order, the archive first.
  if (destination === undefined && /^zip\s/.test(lower) && sources.length > 1 && isArchive(sources[0] as Mention)) {
    destination = sources[0];
    sources = sources.slice(1);
  }
  const earlier = packedBefore(input, verb[0].length, found);
  if (earlier !== undefined) return earlier;
  // "… into a zip on the desktop", "… and put it in Backups": a folder after the sources is where the archive goes.
  let folder: Mention | undefined;
  if (destination === undefined && sources.length > 1) {
    const last = sources[sources.length - 1] as Mention;
    const before = lower.slice(0, last.start);
    if (
      !last.fileLike &&
      /\b(?:(?:in|into|to|on|onto)\s+(?:a|an|one)\s+\S+\s+(?:in|on|into|to|inside)|(?:save|put|store|place)\s+it\s+(?:in|on|into|to))\s+(?:the\s+|my\s+)?$/.test(
        before,
      )
    ) {
      folder = last;
      sources = sources.slice(0, -1);
    }
  }
  // "zip all the pdfs in Documents", "make a zip of every jpg on the desktop": the files of a kind in one folder.
  // The format said ("a zip file", "a tarball") is what is made, never a kind of file picked.
  const { ext: saidExt, kind: saidKind, ...others } = findFileFilters(input);
  const ext = saidExt?.filter((value) => !/^(?:zip|tar|gz|tgz|tar\.gz|bz2|xz|7z|rar|zst)$/.test(value));
  const filters = {
    ...others,
    ...(ext !== undefined && ext.length > 0 ? { ext } : {}),
    ...(saidKind !== undefined && !/^(?:archive|archives|compressed)$/.test(saidKind) ? { kind: saidKind } : {}),
  };
  if ((filters.ext !== undefined || filters.kind !== undefined) && !sources.some((mention) => mention.fileLike)) {
    const folders = sources.filter((mention) => !mention.fileLike);
    // "… called Desktop/pics.zip": the name said is the archive's, not a name of the files picked.
    const archiveNamed = (value: unknown) =>
      typeof value === "string" &&
      destination !== undefined &&
      typedOf(input, destination).toLowerCase().endsWith(value.toLowerCase());
    const other = Object.entries(filters)
      .filter(([key, value]) => key !== "ext" && key !== "kind" && !(key === "name" && archiveNamed(value)))
      .map(([key]) => key);
    if (folders.length > 1 || other.length > 0) return undefined;
    const place = folders[0];
    const here = input.mentions.find((mention) => mention.kind === "here");
    const known = new Set([...archiveWords, ...createWords, ...filterWords, "every", "each", "any"]);
    if (wordsLeftOver(input, known).length > 0) return undefined;
    return candidate("archive.create", 0.95, {
      source: place?.path ?? here?.path ?? input.context.cwd,
      ext: filters.ext,
      kind: filters.kind,
      // "in Documents" reaches into its subfolders, as a search there would; "on the desktop" is what lies there.
      recursive: place !== undefined && place.preposition !== "on" ? true : undefined,
      destination: destination?.path ?? folder?.path,
      format: destination === undefined ? (formatSaid(lower) ?? "zip") : undefined,
    });
  }
  if (sources.length === 0) return undefined;
  // "report.pdf and budget.xlsx from Documents": bare names are in the folder the request names for them.
  const from = sources.find((mention) => !mention.fileLike && /^(?:from|in|inside|on)$/.test(mention.preposition ?? ""));
  // "a.pdf and b.xlsx from Documents": the folder was bound to the name just before it, and holds the others too.
  const fromFolder =
    from?.path ??
    sources.find(
      (mention) => mention.bound !== undefined && /^(?:from|in|inside|on)$/.test(mention.bound.folder.preposition ?? ""),
    )?.bound?.folder.path;
  // "all my photos from Pictures/Trip": a folder said to hold what is packed, beside another folder word: which is packed
  // is not clear, so nothing is.
  if (from !== undefined && !sources.some((mention) => mention.fileLike) && sources.length > 1) return undefined;
  const paths: string[] = [];
  for (const mention of sources) {
    if (mention === from && sources.some((other) => other.fileLike)) continue;
    const typed = typedOf(input, mention);
    if (fromFolder !== undefined && mention.fileLike && mention.bound === undefined && !/[/~]/.test(typed)) {
      paths.push(path.join(fromFolder, path.basename(mention.path)));
    } else paths.push(mention.path);
  }
  // Only files and folders may be packed: an archive named as a source is fine, a word that is no place is not.
  if (sources.some((mention) => mention.kind === "here") || paths.length === 0) return undefined;
  // The format in words, said outside the names packed ("zip old.tar.gz" makes a zip).
  let said = lower;
  for (const mention of sources)
    said = `${said.slice(0, mention.start)}${" ".repeat(mention.end - mention.start)}${said.slice(mention.end)}`;
  const format = destination !== undefined ? undefined : /^gzip\b/.test(lower) ? "gz" : formatSaid(said);
  if (wordsLeftOver(input, new Set([...archiveWords, ...createWords]), spaced === undefined ? [] : [spaced]).length > 0)
    return undefined;
  return candidate("archive.create", 0.95, {
    paths,
    destination: destination?.path ?? folder?.path,
    format,
  });
};

/**
 * "zip them into Desktop/shots.zip", "compress those", "tar them up to Backups": "them" is what the turn before found or
 * listed, and the one place said after it is where the archive goes (never a file packed).
 */
function packedBefore(input: RuleInput, verbEnd: number, found: Mention[]): Candidate | undefined {
  const files = input.previous?.sameRequest === true ? undefined : input.previous?.files;
  if (files === undefined || files.length === 0 || found.length > 1) return undefined;
  const [target] = found;
  const said = input.lower
    .slice(verbEnd, target?.start ?? input.lower.length)
    .trim()
    .replace(/^up\s+/, "");
  const into =
    /\s+(to|into|in|as|at|on|onto|inside|called|named)(?:\s+(?:a|an|one)\s+(?:zip|archive|tarball)(?:\s+file)?)?$/.exec(said);
  const object = (into === null ? said : said.slice(0, into.index)).replace(/\s+up$/, "").trim();
  if (!backReference.test(object)) return undefined;
  // "zip the files in Documents": a folder said with "in" holds what is packed; only "to"/"into" sends the archive there.
  if (target !== undefined && !isArchive(target) && !/^(?:to|into)$/.test(into?.[1] ?? "")) return undefined;
  if (target !== undefined && input.lower.slice(target.end).trim() !== "") return undefined;
  const archive = target !== undefined && isArchive(target);
  return candidate("archive.create", 0.95, {
    paths: [...files],
    destination: target?.path,
    format: archive ? undefined : (formatSaid(input.lower) ?? "zip"),
  });
}

const extractVerb =
  /^(?:unzip|untar|gunzip|ungzip|unarchive|un-zip|extract(?:\s+(?:all\s+)?(?:the\s+)?(?:files\s+|contents?\s+|everything\s+)?(?:from|of|in|out of))?|unpack|decompress|uncompress|expand|open up|unpack and open)\b/;

const archiveOfKind =
  /^\s*(?:the|my|that)\s+(?:(zip|tar\.gz|tgz|tar|gz|gzip)\s+(?:file|archive)|(archive|zipfile|tarball))\s+(?:(?:on|in|inside|from|under)\s+)(?:the\s+|my\s+)?/;

/** "unzip the zip file on my desktop": the one archive of that kind in the folder named (the tool names several). */
function onlyArchiveInFolder(input: RuleInput, verbEnd: number, found: readonly Mention[]) {
  const match = archiveOfKind.exec(input.lower.slice(verbEnd));
  const folder = found.find((mention) => !mention.fileLike && mention.kind !== "here");
  if (match === null || folder === undefined || found.length !== 1) return undefined;
  if (input.lower.slice(folder.end).replace(/[\s.!?]+$/, "") !== "") return undefined;
  const kind = match[1] ?? (match[2] === "tarball" ? "tar.gz" : match[2] === "zipfile" ? "zip" : "any");
  const format = kind === "tgz" ? "tar.gz" : kind === "gzip" ? "gz" : kind;
  return candidate("archive.extract", 0.95, { path: folder.path, onlyOfFormat: format });
}

/** archive.extract: "unzip Downloads/photos.zip", "extract fonts.tar.gz into Documents/Fonts", "unpack archive.tar here". */
export const archiveExtractRule: IntentRule = (input) => {
  const { lower } = input;
  if (commandOptions.test(input.typed)) return undefined;
  const verb = extractVerb.exec(lower);
  if (verb === null) return undefined;
  const found = places(input).filter((mention) => mention.start >= verb[0].length - 1);
  const archive = found.find((mention) => isArchive(mention));
  if (archive === undefined) return onlyArchiveInFolder(input, verb[0].length, found);
  const after = found.filter((mention) => mention.start >= archive.end);
  const target = after.find(
    (mention) => /^(?:to|into|in|inside|under|at|on|onto)$/.test(mention.preposition ?? "") || mention.kind === "here",
  );
  // "unzip a.zip b.zip", "extract photos.zip and music.zip": one at a time, said plainly.
  if (after.some((mention) => isArchive(mention))) return undefined;
  const archivePath =
    archive.bound !== undefined && /\b(?:into|to)\b/.test(lower.slice(archive.start, archive.end))
      ? archive.bound.file.path
      : archive.path;
  const destination = target?.kind === "here" ? input.context.cwd : target?.path;
  const here = /\b(?:here|right here|in place|in this folder|in the current folder)\s*[.!]?$/.test(lower) && target === undefined;
  if (wordsLeftOver(input, new Set([...archiveWords, ...extractWords])).length > 0) return undefined;
  return candidate("archive.extract", 0.95, {
    path: archivePath,
    destination: destination ?? (here ? input.context.cwd : undefined),
  });
};

const listVerb =
  /^(?:what(?:'s| is| are|s)?\s+(?:in|inside|within|contained in|in the archive)|whats\s+(?:in|inside)|(?:list|show|display|view|print|see|check)\s+(?:me\s+)?(?:what(?:'s| is)\s+(?:in|inside)|(?:all\s+)?(?:the\s+)?(?:files|contents?|entries|everything|items)\s+(?:in|of|inside|within)|inside|the\s+inside\s+of)|look\s+(?:inside|into|in)|peek\s+(?:inside|into|in)|(?:which|what)\s+files\s+(?:are|does)\s+(?:in|inside)?|(?:what\s+)?does\s+(?:the\s+)?(?:archive\s+|zip\s+|tarball\s+)?)/;

/** archive.list: "what's inside backup.tar.gz", "list the files in Downloads/project.zip". */
export const archiveListRule: IntentRule = (input) => {
  const { lower } = input;
  const verb = listVerb.exec(lower);
  const command = /^(?:unzip\s+-l|zipinfo|tar\s+-?t[vzjf]*f?)\s/.test(lower);
  if (verb === null && !command) return undefined;
  if (verb !== null && /^(?:what )?does/.test(verb[0]) && !/\b(?:contains?|holds?|have in it|include|includes)\b/.test(lower))
    return undefined;
  const archive = places(input).find((mention) => isArchive(mention));
  if (archive === undefined) return undefined;
  // "what's in backup.zip and extract it": more than a look: not this rule's alone.
  if (/\b(?:extract|unzip|unpack|delete|move|copy)\b/.test(lower)) return undefined;
  if (wordsLeftOver(input, new Set([...archiveWords, ...listWords])).length > 0) return undefined;
  return candidate("archive.list", 0.95, { path: archive.path });
};
