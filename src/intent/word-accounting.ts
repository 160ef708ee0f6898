import { resolvePath } from "./entities/resolve-path.js";
import { extensionWords, homeFolders, kindWords, typoTargets } from "./lexicon.js";
import type { Utterance } from "./normalize-text.js";
import type { ParseContext } from "./parse-context.js";
import { RuleInput } from "./rule-input.js";

/** The readings whose words must all be accounted for: a word they did not use may be the name of another file. */
const accountedIntents = new Set(["files.delete", "files.move", "files.copy", "files.rename", "files.organize", "files.write"]);

/**
 * Words that are the request's own grammar, not a name: verbs of changing files, places in general, time and size
 * words, determiners, pronouns, politeness and filler. A word outside these, a named place, a quote and the slots a
 * reading quotes (a new name, a name to match) is one the reading did not understand.
 */
const requestVocabulary = new Set(
  `a an the my your our his her their its this that these those them it they me i you we us all every each any some
  both either other another same one ones only just also too again now then first next last please thanks thank kindly
  pls plz ok okay hey hi so well right really actually maybe perhaps quickly carefully safely permanently completely
  can could would will should shall may might must do does did done is are was were be been being am have has had
  want wanted need needed like love get got let let's make made go going gonna wanna i'd i'm you're it's that's there's
  what's where's don't doesn't won't can't isn't aren't
  and or but if when while as than with without of in into inside onto on off out from to at by for over under
  within across through throughout up down away back about around between after before since until till via per
  move moved moving mv relocate transfer shift put drag stick place file away send pop shove chuck drop slide bung
  copy copied copying cp cpy duplicate duplicated back backup backed clone replicate spare extra second quick
  add added append appended write insert bottom
  rename renamed call called name named retitle relabel change filename title titled
  delete deleted remove removed rm trash trashed erase erased rid shot throw bin binned discard wipe purge nuke
  dispose clear clean cleaned empty emptied recycle wastebasket garbage
  organize organise organized organising organizing sort sorted sorting tidy tidied tidying arrange arranging group
  grouped grouping categorize categorise declutter reorganize order bucket auto-sort autosort
  file files folder folders directory directories dir dirs subfolder subfolders item items thing things stuff
  everything anything whatever contents content whole entire
  here there where which who whose what how
  type types kind kinds category categories format date dates month months monthly year years yearly day days daily
  week weeks weekly hour hours minute minutes time size sizes extension extensions ext suffix ending modification
  modified created changed edited saved downloaded older newer old new bigger larger smaller big large small huge
  tiny more less most least ago today yesterday tomorrow tonight recent recently
  kb mb gb tb kib mib gib bytes byte b k m g
  dry run preview simulate plan show just without doing moving actually
  same instead keeping keep overwrite overwriting replace replacing existing exact exactly
  named matching match containing contains containing ends end ending starts start starting begin beginning
  home current working cwd location place take took grab pull fetch get bring leave
  they're we're i've you've it'll i'll we'll they've
  not directly recursively recursive level top-level nested subfolder sub-folders anywhere everywhere itself including included
  zero one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty ninety
  hundred hundreds thousand thousands dozen dozens couple few several many lots loads bunch
  ugh honestly seriously totally basically literally finally already still ever never always though anyway guess think
  hope mess messy clutter cluttered cluttering anymore pretty sure gotten hand random full taken based accidentally
  belongs belong wrong fix needs messing crazy annoying give gave according save store stash mind`
    .split(/\s+/)
    .filter((word) => word !== ""),
);

/** Words of writing text into a file: the request's own only when its reading writes ("append a line to x.txt"). */
const writingVocabulary = new Set(
  `write wrote writing written append appended appending add added adding insert line lines text following follows
  say says saying said read reads reading words word note create created creating blank bottom top overwrite type typed`
    .split(/\s+/)
    .filter((word) => word !== ""),
);

/**
 * Words that describe as well as name: just before a file's name ("old notes.txt", "final report.pdf") they may be the
 * start of its name, so a reading that did not take them did not account for them.
 */
const describingWords = new Set(
  "old new older newer oldest newest big bigger biggest large small huge tiny recent latest final draft second spare extra other current".split(
    " ",
  ),
);

const knownWords = new Set<string>([
  ...requestVocabulary,
  ...typoTargets,
  ...homeFolders.keys(),
  ...kindWords.flatMap(([, words]) => words),
  ...extensionWords.keys(),
  ...[...extensionWords.keys()].map((word) => `${word}s`),
]);

/** The spans of `lower` a reading's quoting slots take ("to Summer Trip 2023": the new name). */
function slotSpans(lower: string, slots: Record<string, unknown>): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const said = (value: string) => {
    if (value.trim() === "") return;
    const at = lower.lastIndexOf(value.toLowerCase());
    if (at !== -1) spans.push({ start: at, end: at + value.length });
  };
  for (const key of ["newName", "name", "content", "query", "text"]) {
    const value = slots[key];
    if (typeof value === "string") said(value);
  }
  // Folder names a reading picks out ("node_modules and dist folders"), and a folder it read from a bare word
  // ("under projects": the path ends in that word).
  const folderNames = slots.folderNames;
  if (Array.isArray(folderNames)) for (const value of folderNames) if (typeof value === "string") said(value);
  for (const key of ["path", "source", "destination"]) {
    const value = slots[key];
    if (typeof value === "string" && value.includes("/")) said(value.slice(value.lastIndexOf("/") + 1));
  }
  return spans;
}

/**
 * Clauses that remark rather than ask, whose words a reading need not use: a later sentence that starts with its
 * subject ("…into Documents? they're cluttering everything up"), a reason ("because…"), and a clause that starts
 * with its subject and names no place ("I'm heading out and need my thesis with me, can you copy …").
 */
function asides(lower: string, places: ReadonlyArray<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  const remark =
    /[.?!;]\s+(?:they|they're|they are|it|it's|it is|i|i'm|i've|i am|we|we're|this|that's|these are|those are)\b|,?\s+(?:because|cause|'cause|since they|since it|as they're|as it's)\b/.exec(
      lower,
    );
  if (remark !== null) found.push({ start: remark.index, end: lower.length });
  for (const clause of lower.matchAll(/[^,.?!;]+/g)) {
    const start = clause.index;
    const end = start + clause[0].length;
    const statement =
      /^\s*(?:(?:ugh|honestly|so|well|oh|man|argh|sigh|ok|okay)\s+)*(?:i|i'm|i've|i'd|i've got|my|they|they're|it|it's|we|we're|there's|there are|this|that's|these|those)\b/.test(
        clause[0],
      ) &&
      !/\b(?:like|want|need|wanna)\s+(?:you\s+)?to\b|\b(?:like|want|need)\b.*\b(?:moved|copied|deleted|renamed|trashed|removed|sorted|organi[sz]ed)\b/.test(
        clause[0],
      );
    if (statement && !places.some((place) => place.start < end && place.end > start)) found.push({ start, end });
  }
  return found;
}

/**
 * The words of a request that would change files which its reading did not account for: not the grammar of the
 * request, not a place it names, not a quote, not a value the reading took. "rename draft final.docx to
 * report.docx" read as renaming `final.docx` leaves "draft" over; such a request is not acted on.
 */
export function unaccountedWords(
  intents: ReadonlyArray<{ intent: string; slots: Record<string, unknown> }>,
  utterance: Utterance,
  context: ParseContext,
  hasPrevious = false,
): string[] {
  if (!intents.some((step) => accountedIntents.has(step.intent))) return [];
  const input = new RuleInput(utterance, context);
  const values = intents.flatMap((step) => slotSpans(utterance.lower, step.slots));
  const taken = [...input.mentions, ...input.quoted, ...values];
  const aside = asides(utterance.lower, [...input.mentions, ...input.quoted]);
  const inside = (at: number, spans: ReadonlyArray<{ start: number; end: number }>) =>
    spans.some((span) => at >= span.start && at < span.end);
  const used = intents.flatMap((step) => slotPaths(step.slots));
  const isUsed = (place: string) => used.some((slot) => slot === place || slot.startsWith(`${place}/`));
  // The home folder and / named beside another target ("delete ~/Documents and ~") are targets of their own, never
  // just the folder another target is in.
  const wholeRoots = new Set([context.home, "/"]);
  const isTarget = (place: string) => (wholeRoots.has(place) ? used.includes(place) : isUsed(place));
  const extensions = intents.flatMap((step) => (Array.isArray(step.slots.ext) ? step.slots.ext.map(String) : []));
  // "trash notes.txt, old.txt and x.txt" read as trashing notes.txt leaves two named files over.
  const unused = input.mentions.filter(
    (mention) =>
      (mention.fileLike || mention.kind === "path" || mention.kind === "folder") &&
      !inside(mention.start, aside) &&
      !values.some((value) => value.start < mention.end && value.end > mention.start) &&
      !isTarget(mention.path) &&
      // ".tmp and .bak files": extensions the reading took.
      !extensions.includes(utterance.lower.slice(mention.start + 1, mention.end)) &&
      // "~/Downloads/*.jpg": the files of a folder, which a reading takes as the folder and a pattern.
      !(/[*?[]/.test(mention.path) && isUsed(mention.path.slice(0, mention.path.lastIndexOf("/")))) &&
      !(mention.bound !== undefined && isUsed(mention.bound.file.path)),
  );
  // "to the old stuff folder in Documents": the words a folder is called by, when no place was read from them.
  const folderNames = [...utterance.lower.matchAll(/\b(?:the|my|a|your)\s+((?:[^\s,.;:?!]+\s+){1,4})(?:folder|directory|dir)\b/g)]
    .map((match) => ({ start: match.index + match[0].indexOf(match[1] ?? "", 2), end: match.index + match[0].lastIndexOf(" ") }))
    .filter((span) => !taken.some((other) => other.start < span.end && other.end > span.start));
  const names = input.mentions.filter(
    (mention) => (mention.kind === "file" || mention.kind === "path") && !/^['"`]/.test(utterance.text[mention.start] ?? ""),
  );
  const left: string[] = [];
  const writes = intents.some((step) => step.intent === "files.write");
  for (const token of utterance.lower.matchAll(/\S+/g)) {
    const start = token.index;
    const end = start + token[0].length;
    if (inside(start, taken)) continue;
    const typed = utterance.text.slice(start, end);
    const core = token[0].replace(/^[("'`]+|[)"'`,.;:!?]+$/g, "");
    // "rename draft final.docx", "Desktop/Screenshot 2024-05-01 at …": a word touching a name may be part of it.
    const beforeName = names.some(
      (name) => name.start === end + 1 && !/[,;:]$/.test(token[0]) && !/^[.~/]/.test(utterance.text[name.start] ?? ""),
    );
    const afterName = names.some((name) => name.end === start - 1);
    // "meeting notes 2024.txt": a file name no place was read from.
    const fileName = /^[\p{L}\p{N}_][^\s/]*\.[a-z][a-z0-9]{0,7}$/u.test(core) && !/^\d+(?:\.\d+)*(?:am|pm)?$/.test(core);
    if (
      fileName ||
      (beforeName && (describingWords.has(core) || (inside(start, aside) && !knownWords.has(core)))) ||
      (afterName && /^\d/.test(core))
    ) {
      left.push(typed);
      continue;
    }
    // "cp -r src ~/src-backup": options, and a bare word the reading took as a place.
    if (inside(start, aside) || core.startsWith("-") || isUsed(resolvePath(typed, context))) continue;
    if (
      inside(start, folderNames) &&
      !/^(?:this|that|whole|entire|current|working|home|empty|trash|bin|wastebasket|recycle)$/.test(core) &&
      !used.some((slot) => slot.endsWith(`/${typed}`))
    ) {
      left.push(typed);
      continue;
    }
    for (const match of token[0].matchAll(/[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'_-]*/gu)) {
      const word = match[0].replace(/'s$/, "");
      const at = start + match.index;
      if (inside(at, taken) || /^\d/.test(word)) continue;
      // "delete the old log files": a word that narrows which files, which the reading did not narrow by.
      if (qualifierUnused(word, utterance.lower.slice(at + word.length, at + word.length + 12), intents)) {
        left.push(utterance.text.slice(at, at + match[0].length));
        continue;
      }
      if (knownWords.has(word) || knownWords.has(match[0])) continue;
      if (writes && writingVocabulary.has(word)) continue;
      // "the zip files there": a place said before, in this request or the turn before; else nothing to stand for.
      if (word === "there" && (hasPrevious || input.mentions.some((mention) => !mention.fileLike))) continue;
      left.push(utterance.text.slice(at, at + match[0].length));
    }
  }
  return [...unused.map((mention) => utterance.text.slice(mention.start, mention.end)), ...left];
}

/** Words that narrow files by age or by size, and the slots a reading narrows them with. */
const qualifiers: ReadonlyArray<{ words: RegExp; slots: RegExp }> = [
  {
    words: /^(?:old|older|oldest|new|newer|newest|recent|recently|latest|stale|ancient)$/,
    slots: /modified|created|older|newer|age|date|sort|latest|newest|oldest/i,
  },
  {
    words: /^(?:big|bigger|biggest|large|larger|largest|small|smaller|smallest|huge|tiny|giant|massive)$/,
    slots: /size|sort|top|limit|largest|biggest/i,
  },
];

/**
 * A word that narrows which files ("old", "big") in a reading that took no age or size: the reading would act on
 * more than was asked. "a new folder", "the new name" describe what is made, not which files.
 */
function qualifierUnused(
  word: string,
  after: string,
  intents: ReadonlyArray<{ intent: string; slots: Record<string, unknown> }>,
): boolean {
  const kind = qualifiers.find((qualifier) => qualifier.words.test(word));
  if (kind === undefined || /^\s+(?:folder|directory|dir|file|name|one|copy|location|place|home)\b/.test(after)) return false;
  return !intents.some((step) => Object.keys(step.slots).some((key) => kind.slots.test(key)));
}

/** Every path a reading's slots name (a source, a destination, the files of an earlier turn). */
function slotPaths(slots: Record<string, unknown>): string[] {
  return Object.values(slots).flatMap((value) =>
    typeof value === "string" && value.startsWith("/")
      ? [value]
      : Array.isArray(value)
        ? value.filter((item): item is string => typeof item === "string" && item.startsWith("/"))
        : [],
  );
}

/** Names that could be read more than one way, each naming something that exists ("old notes.txt", "notes.txt v2"). */
export function ambiguousNames(utterance: Utterance, context: ParseContext): string[] | undefined {
  if (context.exists === undefined) return undefined;
  return new RuleInput(utterance, context).mentions.find((mention) => mention.ambiguous !== undefined)?.ambiguous;
}

/** A reading that changes files, with whatever it said, when all of the request's words were accounted for. */
export interface Reading {
  intent: string;
  confidence: number;
  slots: Record<string, unknown>;
  plan?: ReadonlyArray<{ intent: string; slots: Record<string, unknown> }>;
  refused?: unknown;
}

/**
 * Word accounting, once for every rule: a reading that would change files is not acted on when the request names
 * something two ways ("ambiguous") or has words the reading did not use ("notUnderstood"); the request is then
 * `unknown`, its slots saying which words and what would have run (`wouldHave`), so the answer can name them.
 */
export function accountForWords<T extends Reading>(
  parsed: T,
  utterance: Utterance,
  context: ParseContext,
  hasPrevious = false,
): T | { intent: "unknown"; confidence: number; slots: Record<string, unknown> } {
  if (parsed.refused !== undefined) return parsed;
  const steps = parsed.plan ?? [parsed];
  if (!steps.some((step) => accountedIntents.has(step.intent))) return parsed;
  const wouldHave = { intent: parsed.intent, slots: parsed.slots };
  const ambiguous = ambiguousNames(utterance, context);
  if (ambiguous !== undefined) return { intent: "unknown", confidence: 0.5, slots: { ambiguous, wouldHave } };
  const words = unaccountedWords(steps, utterance, context, hasPrevious);
  if (words.length === 0) return parsed;
  return { intent: "unknown", confidence: 0.5, slots: { notUnderstood: words, wouldHave } };
}
