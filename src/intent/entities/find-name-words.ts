import { extensionWords, homeFolders, kindWords } from "../lexicon.js";
import type { RuleInput } from "../rule-input.js";

/**
 * Words that say what a file is called, once the grammar has taken its own: "where's my resume" → resume, "where did
 * I put that budget spreadsheet" → budget (spreadsheet is the kind), "anything by Daft Punk" → Daft Punk (a phrase).
 */
export interface NameWords {
  /** The words as typed, in order, one space apart. */
  name: string;
  /** `phrase` when the words were said as one name ("by Daft Punk"), else `words` (each anywhere in the name). */
  match: "words" | "phrase";
}

/** Words that never name a file in a search: the grammar's, filler, and what the other filters read. */
const grammar = new Set(
  `find finding search searching searched locate look looking looked lookup up for hunt hunting down track dig out fetch get
  give me show display list seek grep where where's wheres whereabouts is are was were be been did do does done i i'm im
  i've ive i'd id put placed save saved leave left store stored stick stuck keep kept hide hid hidden stash stashed move moved
  file filed my mine our your the a an that this these those all any every each some of in on at under inside within from to
  into onto off with by about and or nor it it's its their there here what what's whats which who have has had got gotten
  think thought guess believe suppose pretty sure called named titled call name names something somethin stuff thing things
  anything everything nothing somewhere anywhere everywhere maybe probably perhaps please pls just can could would will you
  help again now one ones kind sort type whatever around lying sitting also too like similar know remember forgot forget
  can't cannot cant need want wanted trying try tell see let lemme gimme should must may might computer machine laptop disk
  drive home files folder folders directory directories dir dirs item items copy copies version versions called
  big bigger biggest large larger largest huge small smaller smallest tiny empty heavy heavier heaviest size sized sizes
  old older oldest new newer newest recent recently latest last past previous next ago since before after until between
  today yesterday tonight tomorrow week weeks month months year years day days hour hours minute minutes morning evening
  afternoon night weekend modified changed edited created made added updated touched saved downloaded download downloads
  took taken shot recorded written wrote received sent opened than over above below less more least most exactly exact
  only just even still ever again named containing contain contains mention mentions mentioning say says said word text
  phrase string extension ext ending end ends suffix zero byte bytes change edit modify create make update touch write open
  use used work worked take record receive send upload uploaded draw drew top single whole entire
  sorted sort sorting order ordered alphabetical alphabetically first descending ascending reverse each per`.split(/\s+/),
);
const fileWords = new Set([...extensionWords.keys(), ...kindWords.flatMap(([, words]) => words), ...homeFolders.keys()]);
const monthsAndDays =
  /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)$/;
const numberLike =
  /^(?:\d[\d/:.-]*\d|\d+(?:[.,]\d+)?(?:st|nd|rd|th|s|k|kb|mb|gb|tb|b|m|g|megs?|gigs?)?|kb|mb|gb|tb|kib|mib|gib|megs?|gigs?|bytes?|kilobytes?|megabytes?|gigabytes?|one|two|three|four|five|six|seven|eight|nine|ten|couple|few|several|first|second)$/;
/** A clause stops at a reason or an aside: "…so I can see the big ones", "…because I need it". */
const asides =
  /\s(?:so\s+(?:that\s+)?(?:i|we)|because|cause|cuz|coz|since\s+i|as\s+i|but\s+i|i\s+need|i\s+want|i'm\s+trying|im\s+trying|i\s+have\s+to|for\s+my\s+(?:boss|accountant|taxes|work|meeting))\b/;
const wordPattern = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’&_-]*/gu;

/** Whether a word of a request can be part of a file's name. */
export function isNameWord(word: string): boolean {
  // "zero-byte", "last-week": a compound of grammar words is grammar.
  if (/[-_]/.test(word)) return word.split(/[-_]+/).some((part) => part !== "" && isNameWord(part));
  const plain = word.replace(/’/g, "'").replace(/'s$/, "");
  return (
    !grammar.has(word) && !grammar.has(plain) && !fileWords.has(plain) && !monthsAndDays.test(plain) && !numberLike.test(plain)
  );
}

/**
 * The name words of the clause that starts at `from` (the request's verb): its words that no filter, place, quote or
 * grammar word took. `taken` are spans already read (a content phrase, an explicit name).
 */
export function findNameWords(
  input: RuleInput,
  taken: ReadonlyArray<{ start: number; end: number }> = [],
  from = 0,
): NameWords | undefined {
  const { lower, text } = input;
  const rest = lower.slice(from);
  const stop = /[?!;]|\.(?:\s|$)|,\s/.exec(rest);
  let end = stop === null ? lower.length : from + stop.index;
  const aside = asides.exec(lower.slice(from, end));
  if (aside !== null) end = from + aside.index;
  const words: Array<{ start: number; end: number }> = [];
  for (const match of lower.slice(from, end).matchAll(wordPattern)) {
    const start = from + match.index;
    const word = match[0].replace(/['’]+$/, "");
    if (!isNameWord(word)) continue;
    if (input.isCovered(start) || taken.some((span) => start >= span.start && start < span.end)) continue;
    // ".key files", "*.csv": an extension, not a name.
    if (/[.*]/.test(lower[start - 1] ?? "")) continue;
    // "in projects", "under code": a folder named by a bare word, not a word of the file's name.
    if (/\b(?:in|under|inside|within)\s+(?:my\s+|the\s+)?$/.test(lower.slice(Math.max(0, start - 16), start))) continue;
    words.push({ start, end: start + word.length });
  }
  if (words.length === 0) return undefined;
  const name = words.map((word) => text.slice(word.start, word.end)).join(" ");
  const first = words[0] as { start: number };
  const last = words[words.length - 1] as { end: number };
  // "by Daft Punk": an artist or an author, one name, said last.
  const phrase =
    words.length > 1 &&
    /\bby\s+$/.test(lower.slice(Math.max(0, first.start - 4), first.start)) &&
    !/[\p{L}\p{N}]/u.test(lower.slice(last.end, end).replace(/\b(?:in|on|from|under)\b.*$/, "")) &&
    words.every(
      (word, index) => index === 0 || /^[\s-]*$/.test(lower.slice((words[index - 1] as { end: number }).end, word.start)),
    );
  return { name, match: phrase ? "phrase" : "words" };
}

/** A name with its filler taken out: "resume something" → "resume"; undefined when only filler is left. */
export function withoutFiller(name: string): string | undefined {
  const kept = name
    .split(/\s+/)
    .filter((word) => !/^(?:something|somethin|stuff|thing|things|or other|whatever|like|smth|sth|etc)$/i.test(word));
  return kept.length === 0 ? undefined : kept.join(" ");
}
