import type { Mention } from "../entities/find-mentions.js";
import { candidate, type IntentRule, type RuleInput } from "../rule-input.js";
import { wordSet, wordsLeftOver } from "./words-left-over.js";

/** The words a permission change may carry besides the file it names; any other word leaves it not understood. */
const permissionWords = wordSet(
  "make mark set flag turn change modify update fix give add grant remove take away lock down restrict let allow protect",
  "write-protect write protect want need permission permissions perms mode chmod access rights right bits bit flag",
  "executable runnable run execute exec read-only read only readonly private readable writable non not no longer un",
  "so that only myself owner user can could may should be able am to of on for from as is are by",
  "everyone everybody anyone all others other users visible world-readable world mine alone eyes nobody no one else",
  "change edit modified changed edited see open view file folder directory script program the sure access",
);

/**
 * Permissions said in English ("make backup.sh executable", "change the permissions on private.txt so only I can
 * read it") or typed like chmod without options ("chmod +x run.sh", "chmod 600 notes.txt"): read with more
 * confidence than the shell rule gives a command line, so "make … executable" never runs `make`. Words this rule
 * cannot turn into permissions leave the request not understood: it never guesses a mode.
 */

/** What the person wants, in the permissions tool's words, from the words after the file (or around it). */
function modeFromWords(words: string): string | undefined {
  const text = words.replace(/\s+/g, " ").trim();
  if (
    /\b(?:not|non|no longer|un)[- ]?(?:executable|runnable)\b|\bremove (?:the )?(?:execute|exec|x) (?:permission|bit|flag)s?\b|\bcan(?:'t|not) be (?:run|executed)\b/.test(
      text,
    )
  )
    return "not-executable";
  if (
    /\b(?:executable|runnable|exec(?:utable)?\s+bit|run(?:nable)? as a (?:script|program)|execute permissions?|permissions? to (?:run|execute)|so (?:that )?(?:i|we|it) can (?:run|execute)|able to run|allowed to run)\b/.test(
      text,
    )
  )
    return "executable";
  if (
    /\bonly (?:i|me|myself|the owner|my user) (?:can|could|may|should be able to|am able to) (?:read(?! and write)|see|open|view)\b(?! and| or)|\breadable only (?:by|to|for) me\b|\bonly readable (?:by|to) me\b/.test(
      text,
    ) &&
    !/\b(?:write|change|edit|modify)\b/.test(text)
  )
    return "private";
  if (
    /\bonly (?:i|me|myself|the owner|my user)\b|\b(?:private|mine alone|just for me|for my eyes only|nobody else|no one else|no-one else|not (?:readable|visible) (?:by|to) (?:others|anyone else|other users))\b|\block (?:it )?down\b|\brestrict(?:ed)? to me\b/.test(
      text,
    )
  )
    return "private";
  if (
    /\bread[- ]?only\b|\bwrite[- ]protect(?:ed)?\b|\bnon[- ]?writable\b|\bnot writable\b|\bnobody can (?:change|edit|modify|write)\b|\bcan(?:'t|not) be (?:changed|edited|modified)\b/.test(
      text,
    )
  )
    return "read-only";
  if (
    /\b(?:readable|visible) (?:by|to|for) (?:everyone|everybody|all|anyone|other users|others)\b|\b(?:everyone|everybody|anyone|all users|others) (?:can|may|could) (?:read|see)\b|\bworld[- ]readable\b|\b(?:allow|let) (?:everyone|everybody|anyone|others|other users|all users) (?:to )?(?:read|see|open)\b|\b(?:everyone|everybody|anyone|others|all users) read access\b|\bread access (?:to|for) (?:everyone|everybody|anyone|others|all users)\b/.test(
      text,
    )
  )
    return "shared-read";
  if (/\bwritable\b|\b(?:i|me) can (?:write|edit|change)\b/.test(text)) return "writable";
  return undefined;
}

/** The file or folder the request is about: the first named place that is not "here". */
function targetOf(input: RuleInput, from = 0): Mention | undefined {
  return (
    input.mentions.find((mention) => mention.start >= from && mention.fileLike) ??
    input.mentions.find((mention) => mention.start >= from && mention.kind !== "here")
  );
}

const octal = /^0?[0-7]{3,4}$/;
const symbolic = /^[ugoa]*[+=-][rwxX]*(?:,[ugoa]*[+=-][rwxX]*)*$/;

/** permissions.change: "make backup.sh in scripts executable", "chmod 600 notes.txt", "make diary.txt private". */
export const permissionRule: IntentRule = (input) => {
  const { lower, text } = input;
  // chmod as typed, without options (chmod -R … is the shell's, run as typed).
  // The mode as typed ("u+x" is never the chat word "you").
  const chmod = /^chmod\s+(\S+)\s+(\S.*)$/.exec(input.typed);
  if (chmod !== null && /^chmod\s/i.test(text)) {
    const mode = chmod[1] ?? "";
    if (mode.startsWith("-") || (!octal.test(mode) && !symbolic.test(mode))) return undefined;
    const named = input.mentions.filter(
      (mention) => mention.kind !== "here" && !/^[ugoa]*[+=-]/.test(input.text.slice(mention.start)),
    );
    const file = named[named.length - 1];
    if (file === undefined || named.length > 1) return undefined;
    return candidate("permissions.change", 0.95, { path: file.path, mode });
  }
  const verb =
    /^(?:make|mark|set|flag|turn|change|modify|update|fix|give|add|grant|remove|take away|lock(?: down)?|restrict|let|allow|protect|write[- ]protect|i want|i need|can you make)\b/.exec(
      lower,
    );
  if (verb === null) return undefined;
  const aboutPermissions =
    /\b(?:permissions?|perms|mode|chmod|access rights?|executable|runnable|read[- ]?only|write[- ]protect(?:ed)?|private|readable|writable|execute|exec bit|everyone|everybody|anyone|nobody|only (?:i|me))\b/.test(
      lower,
    );
  if (!aboutPermissions && !/^(?:lock(?: down)?|restrict)\b/.test(lower)) return undefined;
  const file = targetOf(input, verb[0].length);
  if (file === undefined) return undefined;
  // "set the permissions of x to 644", "change the mode of x to u+x".
  const toMode = /\b(?:to|as|=)\s+['"]?([0-7]{3,4}|[ugoa]*[+=-][rwxX]+(?:,[ugoa]*[+=-][rwxX]*)*)['"]?\s*[.!]?$/.exec(
    lower.slice(file.end),
  );
  if (toMode?.[1] !== undefined && /\b(?:permissions?|perms|mode|chmod)\b/.test(lower)) {
    return candidate("permissions.change", 0.95, { path: file.path, mode: toMode[1] });
  }
  // The words around the file say what is wanted; the file's own name never does.
  const words = `${lower.slice(0, file.start)} ${lower.slice(file.end)}`;
  const mode = modeFromWords(words);
  if (mode === undefined) return undefined;
  // Another place after the file ("make a.sh executable and copy it to b"): more than a permission change.
  if (input.mentions.some((mention) => mention !== file && mention.start > file.end && mention.kind !== "here")) return undefined;
  if (wordsLeftOver(input, permissionWords).length > 0) return undefined;
  return candidate("permissions.change", 0.95, { path: file.path, mode });
};
