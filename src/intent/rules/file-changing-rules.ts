import path from "node:path/posix";
import { type FileFilters, findFileFilters } from "../entities/find-file-filters.js";
import type { Mention } from "../entities/find-mentions.js";
import { resolvePath } from "../entities/resolve-path.js";
import { kindWords } from "../lexicon.js";
import { type Candidate, candidate, type IntentRule, type RuleInput } from "../rule-input.js";
import { backReference, fileOf, folderOf, placeAfter } from "./places.js";

const textValue = String.raw`(?:'([^']*)'|"([^"]*)"|\`([^\`]*)\`)`;

function quotedOrRest(match: RegExpExecArray, first: number): string | undefined {
  for (let index = first; index < match.length; index++) if (match[index] !== undefined) return match[index];
  return undefined;
}

/** The selection a follow-up's "them" stands for: the previous turn's place and filters. */
export function previousSelection(input: RuleInput): Record<string, unknown> | undefined {
  const previous = input.previous;
  if (previous === undefined || !/^files\./.test(previous.intent)) return undefined;
  const { path: place, source, destination, ext, kind, name, minSize, maxSize, modifiedAfter, modifiedBefore } = previous.slots;
  const where = previous.intent === "files.move" || previous.intent === "files.copy" ? destination : (place ?? source);
  if (previous.files !== undefined && previous.files.length > 0) return { path: where, files: previous.files };
  // A turn that picked no files by any filter ("find duplicate files in Pictures", "how big is Downloads"): "them" is
  // not its whole folder.
  const filters = { ext, kind, name, minSize, maxSize, modifiedAfter, modifiedBefore };
  if (Object.values(filters).every((value) => value === undefined)) return undefined;
  return { path: where, ...filters };
}

/** Whether the object of a verb (the text between the verb and `end`) is a back-reference. */
export function objectIsBackReference(input: RuleInput, verbEnd: number, end: number): boolean {
  const object = input.lower
    .slice(verbEnd, end)
    .trim()
    .replace(/\s+(?:to|into|in|onto|on|inside|as|over to)$/, "")
    .replace(/\s+(?:the\s+)?(?:trash|bin)$/, "");
  return backReference.test(object) || /^all\s+of\s+(?:them|those)$/.test(object);
}

/** Kind words for one file ("the photo", "a video"); mass nouns such as "music" or "code" name many. */
const singleKindWords = new Set(
  kindWords
    .flatMap(([, words]) => words)
    .filter((word) => !word.endsWith("s") && !/^(?:audio|music|code|source|text|compressed)$/.test(word)),
);

/**
 * "delete the photo from my desktop", "put the picture in the frame": a kind said of one file,
 * with nothing else to pick it out, does not say which file, so no bulk action is read from it.
 */
export function onlyOneOfAKind(input: RuleInput, filters: FileFilters): boolean {
  if (filters.kind === undefined || Object.keys(filters).some((key) => key !== "kind")) return false;
  if (/\b(?:all|every|each|any)\b/.test(input.lower)) return false;
  return input.lower.split(/[^a-z]+/).some((word) => singleKindWords.has(word));
}

/**
 * "everything in Downloads", "all the files from my desktop", "the contents of ~/scratch", "empty
 * the build folder": what is inside the folder, not the folder itself.
 */
export function meansContents(input: RuleInput, verb: string): boolean {
  if (/^(?:clear out|clean out|empty)\b/.test(verb)) return true;
  return /^\s*(?:(?:everything|all(?: of)?(?: the| my)? (?:files|stuff|things|contents))(?: that'?s?| which is)?(?: sitting| stored| lying around)?|all of it|the (?:whole )?contents?(?: of)?|whatever(?:'s| is))\s+(?:in|inside|from|of|within|on|off)?\b/.test(
    input.lower.slice(verb.length),
  );
}

const createFile = new RegExp(
  String.raw`^(?:create|make|new|add|start|i want|i need|give me)\s+(?:me\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:empty\s+|blank\s+)?(?:text\s+)?file\b.*?(?:\s+(?:with|containing|that says|saying|with the (?:text|contents|content|words?|line)|and (?:put|write|add|type))\s+(?:the\s+)?(?:text|contents|content|words?|line)?\s*(?::\s*)?(?:${textValue}|(.+?)))?(?:\s+(?:written\s+)?in(?:to|side)? it)?$`,
  "i",
);
const putInFile = new RegExp(
  String.raw`^(?:write|put|save|store|add|append|type|insert)\s+(?:the\s+(?:text|line|words?)\s+)?(?:${textValue}|(.+?))\s+(?:to|into|in|inside)\s+(?:the\s+|a\s+)?(?:new\s+)?(?:file\s+)?(?:called\s+|named\s+)?(\S+)(?:\s+file)?$`,
  "i",
);
const createNamedFile = new RegExp(
  String.raw`^(?:create|make|new|add|start)\s+(?:a\s+|an\s+)?(?:new\s+)?(\S+|'[^']+'|"[^"]+")(?:\s+(?:in|on|inside|under)\s+.+?)?\s+(?:with|containing|saying)\s+(?:the\s+)?(?:text|content|contents|words?|line)?\s*:?\s*(?:${textValue}|(.+))$`,
  "i",
);
const writeVerb =
  /^(?:create|make|new|add|start|write|put|save|store|append|type|insert|overwrite|replace|set|fill|i want|i need|give me)\b/;

/** files.write: "create a file called hello.txt with the text hello world", "write 'buy milk' to notes.txt". */
export const writeRule: IntentRule = (input) => {
  const { lower, text } = input;
  if (!writeVerb.test(lower)) return undefined;
  const create = createFile.exec(text);
  if (create !== null) {
    const file = fileOf(input);
    if (file === undefined || !file.fileLike) return undefined;
    const place = folderOf(input);
    const where =
      file.kind === "file" && !file.bound && place !== undefined && place.kind !== "here"
        ? path.join(place.path, path.basename(file.path))
        : file.path;
    return candidate("files.write", 0.92, { path: where, content: quotedOrRest(create, 1) ?? "" });
  }
  const put = putInFile.exec(text);
  if (put !== null) {
    const file = fileOf(input, put.index + put[0].length - (put[5]?.length ?? 0) - 1);
    if (file === undefined || !file.fileLike) return undefined;
    return candidate("files.write", 0.94, {
      path: file.path,
      content: quotedOrRest(put, 1),
      append: /^(?:add|append)\b/.test(lower) || undefined,
      // "add bananas to list.txt": unquoted words added are an item of their own, on a new line; quoted text is kept as is.
      line: (/^(?:add|append)\b/.test(lower) && put[4] !== undefined) || undefined,
    });
  }
  const overwrite = /^(?:overwrite|replace the contents? of|set the contents? of|fill)\s+(\S+)\s+(?:with|to)\s+(.+)$/i.exec(text);
  if (overwrite !== null) {
    const file = fileOf(input);
    if (file === undefined || !file.fileLike) return undefined;
    return candidate("files.write", 0.9, { path: file.path, content: (overwrite[2] ?? "").replace(/^['"`]|['"`]$/g, "") });
  }
  const named = createNamedFile.exec(text);
  if (named !== null) {
    const file = fileOf(input);
    if (file === undefined || !file.fileLike) return undefined;
    return candidate("files.write", 0.9, { path: file.path, content: quotedOrRest(named, 2) ?? "" });
  }
  const into = /^(?:write|save)\s+(?:to|into)\s+(?:the\s+file\s+)?(\S+)\s*[:,-]\s*(.+)$/i.exec(text);
  if (into !== null) {
    const file = fileOf(input);
    if (file === undefined || !file.fileLike) return undefined;
    return candidate("files.write", 0.88, { path: file.path, content: (into[2] ?? "").replace(/^['"`]|['"`]$/g, "") });
  }
  return undefined;
};

/** files.mkdir: "mkdir backups", "make a new folder called archive in Documents", "create directory ~/projects/demo". */
export const mkdirRule: IntentRule = (input) => {
  const { lower, text } = input;
  const bare = /^mkdir\s+(?:-p\s+)?(\S+)/.exec(text);
  if (bare !== null) return candidate("files.mkdir", 0.95, { path: resolvePath(bare[1] ?? "", input.context) });
  if (
    !/^(?:create|make|add|new|set up|build|i need|i want|give me)\s+(?:me\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:empty\s+)?(?:sub)?(?:folder|directory|dir)\b/.test(
      lower,
    )
  )
    return undefined;
  const named =
    /\b(?:called|named|titled)\s+(?:'([^']+)'|"([^"]+)"|([\w@+.~/-]+(?:\s+[\w@+.-]+)*?))(?=\s+(?:in|on|inside|under|at|to|within|here|there)\b|$)/i.exec(
      text,
    ) ?? /(?:folder|directory|dir)\s+(?!(?:in|on|inside|under|at|for|to)\b)(?:'([^']+)'|"([^"]+)"|([\w@+.~/-]+))/i.exec(text);
  const name = named?.[1] ?? named?.[2] ?? named?.[3];
  if (name === undefined || /^(?:in|on|inside|under|at|for)$/i.test(name)) {
    const place = folderOf(input);
    return place === undefined ? undefined : candidate("files.mkdir", 0.85, { path: place.path });
  }
  if (name.startsWith("/") || name.startsWith("~"))
    return candidate("files.mkdir", 0.93, { path: resolvePath(name, input.context) });
  const nameEnd = (named?.index ?? 0) + (named?.[0].length ?? 0);
  const parent =
    placeAfter(input, /^(?:in|inside|under|on|within|at|to)$/, nameEnd) ??
    placeAfter(input, /^(?:in|inside|under|on|within|at|to)$/) ??
    input.mentions.find((mention) => mention.bound !== undefined && !mention.fileLike)?.bound?.folder;
  const folder = parent === undefined ? resolvePath(name, input.context) : path.join(parent.path, name);
  return candidate("files.mkdir", 0.93, { path: folder });
};

const moveVerbs = `move|mv|relocate|transfer|shift|put(?! a copy| copies)|drag|stick|place(?! a copy)|file away|file|send|pop|shove|chuck|drop|slide|bung`;
const copyVerbs = `copy|cp|cpy|make (?:a|an) (?:spare |backup |extra |second |quick )?cop(?:y|ies) of|(?:i want |i need |i'd like )?(?:a|another|a second|an extra) (?:backup )?copy of|duplicate|back up|backup|clone|replicate|put a copy of|place a copy of|put copies of|make a copy of|make copies of|save a copy of|create a copy of|make a backup of|create a backup of`;
const moveVerb = new RegExp(`^(?:${moveVerbs})\\b`);
const copyVerb = new RegExp(`^(?:${copyVerbs})\\b`);
const destinationWords = /^(?:to|into|in|onto|on|inside|under|over|across)$/;

/** The source and destination of a move or copy, or undefined when either is not clearly a file place. */
function transfer(input: RuleInput, intent: "files.move" | "files.copy", verbs: RegExp): Candidate | undefined {
  const { lower, text } = input;
  const bare = /^(?:mv|cp)(?:\s+-[a-z]+)*\s+(\S+)\s+(\S+)$/.exec(input.typed);
  if (bare !== null && (intent === "files.move") === /^mv/.test(lower)) {
    return candidate(intent, 0.93, {
      source: resolvePath(bare[1] ?? "", input.context),
      destination: resolvePath(bare[2] ?? "", input.context),
    });
  }
  const verb = verbs.exec(lower);
  if (verb === null) return undefined;
  const verbEnd = verb[0].length;
  const mentions = input.mentions.filter((mention) => mention.start >= verbEnd);
  const filters = findFileFilters(input);
  const hasFilters =
    filters.ext !== undefined ||
    filters.kind !== undefined ||
    filters.minSize !== undefined ||
    filters.modifiedAfter !== undefined ||
    filters.modifiedBefore !== undefined;
  let destination: Mention | undefined = [...mentions]
    .reverse()
    .find((mention) => mention.preposition !== undefined && destinationWords.test(mention.preposition));
  let destinationPath = destination?.path;
  let destinationStart = destination?.start ?? lower.length;
  // "to the archive folder": a bare word the request itself calls a folder.
  let namedFolder = destination !== undefined;
  if (destination === undefined) {
    const bareDestination = /\s(?:to|into|in|onto)\s+(?:the\s+|a\s+|my\s+)?([\w@+.-]+)(?:\s+(?:folder|directory|dir))?$/.exec(
      lower,
    );
    const word = bareDestination?.[1];
    const wordAt =
      bareDestination === null || word === undefined ? -1 : bareDestination.index + bareDestination[0].indexOf(word, 3);
    if (
      bareDestination !== null &&
      word !== undefined &&
      // A word already read as a place ("report.pdf in the Documents folder") is not a bare folder name.
      !input.mentions.some((mention) => wordAt >= mention.start && wordAt < mention.end) &&
      !/^(?:\d.*|today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|me|him|her|them|us|it|you|there|trash|bin)$/.test(
        word,
      )
    ) {
      destinationPath = resolvePath(text.slice(wordAt, wordAt + word.length), input.context);
      destinationStart = bareDestination.index;
      namedFolder = /\s(?:folder|directory|dir)$/.test(bareDestination[0]);
    }
  }
  if (destination === undefined && /^(?:mv|cp)\s/.test(lower) && mentions.length >= 2) {
    destination = mentions[mentions.length - 1];
    destinationPath = destination?.path;
    destinationStart = destination?.start ?? lower.length;
  }
  const boundSource = mentions.find((mention) => mention.bound !== undefined && mention.bound.folder.preposition !== "from");
  if (destinationPath === undefined && boundSource?.bound !== undefined) {
    const { file, folder } = boundSource.bound;
    return candidate(intent, 0.88, { source: file.path, destination: folder.path });
  }
  if (destinationPath === undefined) return undefined;
  const sources = mentions.filter((mention) => mention.start < destinationStart);
  const file = sources.find((mention) => mention.fileLike || mention.kind === "path" || mention.kind === "folder");
  let slots: Record<string, unknown> | undefined;
  // "move the photo beach.jpg into Pictures": one named file, which the kind word only describes.
  const oneFile =
    file?.fileLike === true &&
    filters.ext === undefined &&
    filters.minSize === undefined &&
    filters.modifiedAfter === undefined &&
    filters.modifiedBefore === undefined;
  if (hasFilters && !oneFile) {
    // Many files of a kind, to a word that is no folder the request names ("put photos in the box"): not sure enough.
    if (onlyOneOfAKind(input, filters) || (filters.kind !== undefined && Object.keys(filters).length === 1 && !namedFolder))
      return undefined;
    const from = sources.find((mention) => !mention.fileLike) ?? placeAfter(input, /^(?:from|in|inside|under|on|of)$/);
    slots = { source: from === destination ? input.context.cwd : (from?.path ?? input.context.cwd), ...filters };
    // "move all the pdfs under Downloads, including subfolders, to Documents": only when said, since a move gathers
    // files from many folders into one.
    if (
      intent === "files.move" &&
      /\b(?:under (?!\d|a |an |one |half )|including (?:the |its |their |all )?sub-?folders|and (?:its|their|all) sub-?folders|(?:in|from) (?:all |every )?sub-?folders|recursively|anywhere in|everywhere in)\b/.test(
        lower,
      )
    )
      slots.recursive = true;
  } else if (file !== undefined) {
    slots = {
      source: file.path,
      ...(filters.name === undefined ? {} : { name: filters.name }),
      ...(!file.fileLike && meansContents(input, verb[0]) ? { contents: true } : {}),
    };
  } else if (objectIsBackReference(input, verbEnd, destinationStart)) {
    const selection = previousSelection(input);
    if (selection === undefined) return undefined;
    const { path: source, ...rest } = selection;
    slots = { source, ...rest };
  }
  if (slots === undefined) return undefined;
  return candidate(intent, 0.92, { ...slots, destination: destinationPath });
}

/** files.move: "move report.pdf to ~/Documents", "put budget.xlsx into the Documents folder". */
export const moveRule: IntentRule = (input) => transfer(input, "files.move", moveVerb);

/** files.copy: "copy notes.txt to /tmp", "make a copy of ~/Documents/cv.pdf on the Desktop". */
export const copyRule: IntentRule = (input) => transfer(input, "files.copy", copyVerb);

/** files.rename: "rename draft.md to final.md", "change the name of ~/Pictures/IMG_001.jpg to beach.jpg". */
export const renameRule: IntentRule = (input) => {
  const { lower, text } = input;
  const giveName =
    /^(?:give|call)\s+(?:the\s+(?:file|folder|directory)\s+)?('[^']+'|"[^"]+"|\S+)\s+(?:the\s+(?:new\s+)?name\s+)?(?:'([^']+)'|"([^"]+)"|(\S+))(?:\s+instead)?$/.exec(
      text,
    );
  if (giveName !== null) {
    const file = fileOf(input);
    const name = giveName[2] ?? giveName[3] ?? giveName[4] ?? "";
    if (file?.fileLike && file.start < lower.indexOf(name.toLowerCase(), file.end - 1) && /\.\w/.test(name)) {
      return candidate("files.rename", 0.88, { path: file.path, newName: name });
    }
  }
  const bareRename = /^(?:rename|ren)\s+(\S+\.\w+)\s+(\S+\.\w+)$/.exec(text);
  if (bareRename !== null) {
    return candidate("files.rename", 0.93, { path: resolvePath(bareRename[1] ?? "", input.context), newName: bareRename[2] });
  }
  const shouldBe =
    /(?:^|,\s*)(\S+\.\w+)\s+should (?:really |actually )?be (?:called|named)\s+(\S+\.\w+)/i.exec(text) ??
    /^call\s+(\S+\.\w+)\s+(?:just\s+)?(\S+\.\w+)(?:\s+instead)?$/i.exec(text);
  if (shouldBe !== null) {
    return candidate("files.rename", 0.88, { path: resolvePath(shouldBe[1] ?? "", input.context), newName: shouldBe[2] });
  }
  const verb = /^(?:rename|change the name of|change the filename of|retitle|relabel)\b/.exec(lower);
  if (verb === null) return undefined;
  const newName = /\s(?:to|as|into)\s+(?:'([^']+)'|"([^"]+)"|`([^`]+)`|(\S+(?:\s\S+){0,3}))$/.exec(text);
  const name = newName?.[1] ?? newName?.[2] ?? newName?.[3] ?? newName?.[4];
  if (newName === null || name === undefined) return undefined;
  const file = input.mentions.find((mention) => mention.start >= verb[0].length && mention.start < newName.index);
  if (file !== undefined && (file.fileLike || file.kind !== "here")) {
    return candidate("files.rename", 0.93, {
      path: file.path,
      newName: name.replace(/[?.!]+$/, (end) => (/\.\w/.test(name) ? "" : end)),
    });
  }
  if (objectIsBackReference(input, verb[0].length, newName.index) && input.previous?.slots.path !== undefined) {
    return candidate("files.rename", 0.85, { path: input.previous.slots.path, newName: name });
  }
  return undefined;
};
