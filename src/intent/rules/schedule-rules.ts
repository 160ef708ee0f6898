import { findWhen } from "../entities/find-schedule.js";
import { candidate, type IntentRule, type RuleInput } from "../rule-input.js";

const remindMe =
  /\bremind (?:me|us)\b|\bset (?:a|an) (?:reminder|alarm)\b|\bcreate (?:a|an) reminder\b|\badd (?:a|an) reminder\b|\breminder\b(?=.*\b(?:to|about|for|at|in|on|every)\b)|\bwake me(?: up)?\b|\balert me\b|\bnotify me\b|\bping me\b/;
const scheduleVerb =
  /^(?:schedule|every|each|daily|hourly|weekly|monthly|nightly|at\s+\d|on\s+(?:weekdays|weekends|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays))\b/;

/** Remove what said when, and the reminder words, leaving what to be reminded of or to run. */
function whatToDo(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  // "…to book the car in": a last word the user typed is theirs, not left over from a time taken out.
  const endsInPreposition = /\s(?:to|at|on|in|for)$/i.test(text.trim());
  let rest = text;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) rest = `${rest.slice(0, span.start)} ${rest.slice(span.end)}`;
  const focused =
    /\bremind (?:me|us)\b\s*(?:(?:to|about|that|of)\s+)?(.+)$/i.exec(rest)?.[1] ??
    /\breminder\s*(?:to|about|for|that)?\s*[:\-–]\s*(.+)$/i.exec(rest)?.[1] ??
    /\b(?:set|create|add|schedule) (?:a|an) (?:reminder|alarm)\b[^:]*:\s*(.+)$/i.exec(rest)?.[1];
  if (focused !== undefined && focused.trim() !== "") rest = focused.split(/[.?!]+(?:\s|$)/)[0] ?? focused;
  return rest
    .replace(
      /\b(?:please\s+)?(?:remind (?:me|us)|set (?:a|an) (?:reminder|alarm)|create (?:a|an) reminder|add (?:a|an) reminder|wake me(?: up)?|alert me|notify me|ping me)\b/i,
      " ",
    )
    .replace(/^\s*(?:schedule|and|then|,)\s+/i, " ")
    .replace(/^\s*(?:a|an)\s+(?:reminder|alarm)\s+(?:for|at|on)?\s*(?::|,|-)?\s*/i, " ")
    .replace(/^\s*(?:on\s+)?(?:the\s+)?(?::|,|-)\s*/i, " ")
    .replace(endsInPreposition ? /(?!)/ : /\b(?:at|on|in|for|by)\s*$/i, " ")
    .replace(/^\s*(?:,|and|then|at|on|in|for)?\s*(?:to|about|that|of)\s+/i, " ")
    .replace(/^\s*(?:,|-|:)\s*/, " ")
    .replace(endsInPreposition ? /(?!)/ : /\s+(?:to|at|on|in|for)\s*$/i, " ")
    .replace(/\s+/g, " ")
    .replace(/^(?:to|about|that|of|for)\s+/i, "")
    .replace(/[\s,.;:!]+$/, "")
    .trim();
}

const timeWords = /\b(?:every|each|daily|nightly|hourly|weekly|monthly)\b/;

/** The request lower-cased with paths and file names blanked out (same length, so spans still match `text`). */
function withoutNames(input: RuleInput): string {
  let lower = input.lower;
  for (const mention of input.mentions) {
    if (mention.kind !== "path" && !mention.fileLike) continue;
    lower = `${lower.slice(0, mention.start)}${" ".repeat(mention.end - mention.start)}${lower.slice(mention.end)}`;
  }
  return lower;
}

/** schedule.create: "remind me to call mom at 5pm", "in 30 minutes remind me to take a break", "every day at 8am organize my downloads by type". */
export const scheduleCreateRule: IntentRule = (input) => {
  const { text } = input;
  // "make the folder builds/nightly": words inside a path or a file's name say no time.
  // Names are looked for only in what may be a schedule: most requests never say a time word at all.
  if (!remindMe.test(input.lower) && !scheduleVerb.test(input.lower) && !timeWords.test(input.lower)) return undefined;
  const lower = withoutNames(input);
  if (/^remind me (?:what|where|who|which|how|when)\b/.test(lower)) return undefined;
  const reminder = remindMe.test(lower);
  // "keep in mind that the password rotates monthly": a note about something recurring, not a schedule.
  if (
    !reminder &&
    /^(?:remember|memori[sz]e|note|make a note|take a note|jot down|write down|keep in mind|don't forget|do not forget|note to self|save a note)\b(?:\s+(?:of|about))?\s*(?:that\b|:)/.test(
      lower,
    )
  )
    return undefined;
  if (!reminder && !scheduleVerb.test(lower) && !timeWords.test(lower)) return undefined;
  const when = findWhen(lower, input.context.now);
  if (when.at === undefined && when.cron === undefined) {
    if (!reminder) return undefined;
    return candidate("schedule.create", 0.6, { text: whatToDo(text, []) });
  }
  // "wake me up at 6am tomorrow": a reminder that says only when.
  const todo =
    whatToDo(text, when.spans) ||
    (reminder ? (/\bwake me\b/.test(lower) ? "wake up" : /\balarm\b/.test(lower) ? "alarm" : "reminder") : "");
  if (todo === "") return undefined;
  const leads =
    /^(?:every|each|daily|hourly|weekly|monthly|nightly|at\s+\d|on\s+(?:weekdays|weekends)|schedule)\b/.test(lower) ||
    when.cron !== undefined;
  return candidate("schedule.create", reminder || leads ? 0.95 : 0.85, {
    text: todo,
    at: when.at,
    cron: when.cron,
    kind: reminder ? "reminder" : "request",
  });
};

/** schedule.list: "what reminders do I have", "list scheduled tasks". */
export const scheduleListRule: IntentRule = (input) => {
  const { lower } = input;
  if (
    /^(?:what|which|show|list|display|view|see|get|check|any|do i have any|are there any|my|upcoming|all)\b.*\b(?:reminders|reminder|schedules|scheduled|alarms|cron jobs|upcoming tasks|recurring tasks|timers)\b/.test(
      lower,
    ) ||
    /^(?:what(?:'s| is) (?:scheduled|coming up|on my schedule)|what have i scheduled|what did i schedule|reminders|schedules|my reminders|scheduled tasks)$/.test(
      lower,
    ) ||
    /^(?:do i have|have i got|is there) (?:anything|something|any tasks?) scheduled\b|\b(?:pending|active|upcoming|open|outstanding) reminders?\b|\breminders? (?:pending|coming up|due|left|outstanding)\b|\bgoing to remind me (?:about|of)\b|^what am i (?:being )?reminded (?:about|of)\b|^what will you remind me (?:about|of)\b/.test(
      lower,
    )
  ) {
    if (/\b(?:cancel|delete|remove|stop|clear)\b/.test(lower)) return undefined;
    return candidate("schedule.list", 0.9, { all: /\b(?:all|past|finished|old|done)\b/.test(lower) || undefined });
  }
  return undefined;
};

const cancelVerb = "(?:cancel|delete|remove|stop|clear|drop|turn off|disable|get rid of|forget|scrap|kill)";
const scheduleNoun = "(?:reminder|schedule|scheduled task|alarm|cron job|timer|scheduled job)s?";

/** The words of what a schedule reminds of, without the glue around them ("about the dentist" is "dentist"). */
function aboutWords(words: string | undefined): string | undefined {
  const cleaned = words
    ?.replace(/^(?:about|for|to|of|regarding|that says|saying|called|named|which says)\s+/, "")
    .replace(/^(?:the|my|a|an|that|this)\s+/, "")
    .replace(/\s+(?:please|for me|now)$/, "")
    .trim();
  return cleaned === undefined || cleaned === "" ? undefined : cleaned;
}

const cancelById = new RegExp(
  String.raw`^${cancelVerb}\s+(?:the\s+|my\s+)?${scheduleNoun}\s+(?:with\s+)?(?:id\s+|#)([0-9a-z-]{3,})$|^${cancelVerb}\s+(?:the\s+|my\s+)?${scheduleNoun}\s+((?=[0-9a-z-]*\d)[0-9a-z-]{3,})$`,
);
const cancelNamed = new RegExp(
  String.raw`^${cancelVerb}\s+(?:the\s+|my\s+|that\s+|this\s+)?(?:(.+?)\s+)?${scheduleNoun}\b\s*(.*)$`,
);

/**
 * schedule.cancel: "cancel reminder 3f2a" (by id), and by the words of what it reminds of: "cancel the reminder about
 * the dentist", "cancel the timesheet reminder", "delete my reminder to call mom", "stop reminding me about the bins".
 */
export const scheduleCancelRule: IntentRule = (input) => {
  const { lower } = input;
  if (!/^(?:cancel|delete|remove|stop|clear|drop|turn|disable|get|forget|scrap|kill|quit|don't|do|no)\b/.test(lower))
    return undefined;
  const byId = cancelById.exec(lower);
  if (byId !== null) return candidate("schedule.cancel", 0.9, { id: byId[1] ?? byId[2] });
  const stopReminding = /^(?:stop|quit|don't|do not|no more)\s+(?:reminding|remind)\s+me\s+(?:about|to|of|that)\s+(.+)$/.exec(
    lower,
  );
  if (stopReminding !== null) {
    const words = aboutWords(stopReminding[1]);
    return words === undefined ? undefined : candidate("schedule.cancel", 0.92, { words });
  }
  const named = cancelNamed.exec(lower);
  if (named === null) return undefined;
  const before = named[1];
  // "cancel all reminders", "delete every schedule": many at once is not what this does.
  if (before !== undefined && /^(?:all|every|each|all the|all my|all of my|all of the)$/.test(before)) return undefined;
  const words = aboutWords([before, named[2]].filter((part) => part !== undefined && part !== "").join(" "));
  if (words === undefined) return candidate("schedule.cancel", 0.88, {});
  return candidate("schedule.cancel", 0.92, { words });
};
