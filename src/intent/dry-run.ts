import type { ParsedRequest, PlannedStep } from "./parse-request.js";

/**
 * Dry runs: "dry run: sort Downloads by date", "preview organizing my Desktop, don't move anything yet", "what would
 * happen if I deleted the .tmp files", "show me how you'd tidy Downloads". A request that says it wants only to see
 * what would happen never changes anything: its reading is run as a dry run where the tool has one (organize,
 * move, delete), as it is where the tool only reads, and otherwise it is not acted on at all.
 */

/** Words anywhere in a request that ask for a preview, not for the change (a file named preview.png is no such word). */
const previewWords =
  /(?<![\w./-])(?:dry[- ]?run|^\s*preview(?:ing)?|(?:a|as|in|just|only|give me|show me)\s+(?:a\s+)?preview|preview\s+(?:of|first|only)|preview\s*:|^\s*simulat(?:e|ion)|(?:a|as)\s+simulation|(?:do not|don'?t|dont|never) (?:actually |really )?(?:move|change|delete|touch|trash|remove|do|organi[sz]e|sort|rename|modify) (?:anything|any files?|them|it|anything yet)|without (?:actually |really )?(?:moving|changing|deleting|touching|doing|trashing|removing|modifying) (?:anything|them|it|any files?)|what would (?:happen|you do|it look like|change|be (?:moved|deleted|trashed|removed))|show me how (?:you(?:'d| would)|i(?:'d| would)|it would|to)|(?:just )?show me the plan|plan only|only (?:a )?plan)(?![\w.-])/i;

/** Preview words said before the request ("dry run:", "preview", "what would happen if you"). */
const leading =
  /^\s*(?:(?:please|can you|could you|just|do a|give me a|run a|make a)\s+)*(?:dry[- ]?run(?:\s+(?:of|for|on))?|preview(?:\s+(?:of|for))?|simulate|simulation(?:\s+of)?|what would happen if (?:you|i|we)|what would (?:you do|it look like|change) if (?:you|i|we)|show me how (?:you(?:'d| would)|i(?:'d| would)|it would look (?:if|to)|to)|(?:tell|show) me what (?:you(?:'d| would)|would happen if you)(?: do)?(?: if you)?|plan(?: only)?)\s*[:,-]?\s+/i;

/** Preview words said after it (", but don't move anything yet", "as a dry run", "without moving anything"). */
const trailing =
  /\s*[,;.-]?\s*(?<![\w.-])(?:(?:but|and|just|only)\s+)*(?:(?:do not|don'?t|dont|never) (?:actually |really )?(?:move|change|delete|touch|trash|remove|do|organi[sz]e|sort|rename|modify) (?:anything|any files?|them|it)(?: yet| for now| now| for real)?|without (?:actually |really )?(?:moving|changing|deleting|touching|doing|trashing|removing|modifying) (?:anything|them|it|any files?)(?: yet| for real)?|(?:as |in )?(?:a )?(?:dry[- ]?run|preview|simulation)(?: only| first)?|(?:just )?show me(?: the plan| first| what would happen)?|(?:first|for now)|plan only)\s*[.!]*$/i;

/** Verbs as a preview says them ("organizing", "deleted"): the request's own verb. */
const verbForms: Record<string, string> = {
  organizing: "organize",
  organising: "organise",
  organized: "organize",
  organised: "organise",
  sorting: "sort",
  sorted: "sort",
  tidying: "tidy",
  tidied: "tidy",
  deleting: "delete",
  deleted: "delete",
  removing: "remove",
  removed: "remove",
  trashing: "trash",
  trashed: "trash",
  moving: "move",
  moved: "move",
  cleaning: "clean",
  cleaned: "clean",
  arranging: "arrange",
  arranged: "arrange",
  grouping: "group",
  grouped: "group",
  emptied: "empty",
  emptying: "empty",
};

/** The request without its preview words when it asks for a preview; undefined when it does not. */
export function previewOf(text: string): { rest: string } | undefined {
  if (!previewWords.test(text)) return undefined;
  let rest = text;
  for (let round = 0; round < 3; round++) {
    rest = rest.replace(leading, "");
    // The end only (a long request is not searched from every position).
    const tail = Math.max(0, rest.length - 160);
    rest = rest.slice(0, tail) + rest.slice(tail).replace(trailing, "");
  }
  rest = rest.trim();
  const [first = "", ...others] = rest.split(/\s+/);
  const verb = verbForms[first.toLowerCase()];
  if (verb !== undefined) rest = [verb, ...others].join(" ");
  return { rest: rest === "" ? text : rest };
}

/** Tools that can show what they would do and change nothing. */
const dryRunIntents = new Set(["files.organize", "files.delete", "files.move"]);

/** Tools that only read: a preview of them is the tool itself. */
const readingIntents = new Set([
  "unknown",
  "greeting",
  "help",
  "files.list",
  "files.read",
  "files.search",
  "files.disk_usage",
  "system.info",
  "process.list",
  "process.find_port",
  "notes.recall",
  "schedule.list",
  "trash.list",
]);

/** One step as a dry run, or undefined when it cannot be one. */
function previewStep<T extends Pick<PlannedStep, "intent" | "slots">>(step: T): T | undefined {
  if (dryRunIntents.has(step.intent)) return { ...step, slots: { ...step.slots, dryRun: true } };
  if (step.intent === "files.duplicates") return { ...step, slots: { ...step.slots, action: "report" } };
  return readingIntents.has(step.intent) ? step : undefined;
}

/** What was understood, as a dry run: nothing in it may change anything, else it is not understood at all. */
export function asDryRun(parsed: ParsedRequest): ParsedRequest {
  if (parsed.refused !== undefined) return parsed;
  const notUnderstood: ParsedRequest = { intent: "unknown", confidence: 0.5, slots: {} };
  const steps = (parsed.plan ?? []).map((step) => previewStep(step));
  if (steps.some((step) => step === undefined)) return notUnderstood;
  const whole = previewStep(parsed);
  if (whole === undefined) return notUnderstood;
  return parsed.plan === undefined ? whole : { ...whole, plan: steps as PlannedStep[] };
}
