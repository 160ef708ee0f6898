import { asDryRun, previewOf } from "./dry-run.js";
import { findClauses } from "./find-clauses.js";
import { normalizeRequest, type Utterance } from "./normalize-text.js";
import { destructiveIntents, type ParseContext } from "./parse-context.js";
import { judgePlannedStep, type Refusal, saidPlainly } from "./refuse-protected.js";
import { type Candidate, type IntentRule, type PreviousTurn, RuleInput } from "./rule-input.js";
import { builtinRules } from "./rules/all-rules.js";
import { folderOf } from "./rules/places.js";
import { accountForWords } from "./word-accounting.js";

/** One step of a plan: a tool call the request asks for. */
export interface PlannedStep {
  intent: string;
  confidence: number;
  slots: Record<string, unknown>;
  /** For a later step acting on what an earlier one found ("move them"): that step's index. */
  uses?: number;
}

/** What the builtin engine understood: the intent (a tool name or `unknown`), its slots, and the plan. */
export interface ParsedRequest {
  intent: string;
  confidence: number;
  slots: Record<string, unknown>;
  /** Two or more steps when the request chains them ("find pdfs in Downloads and move them to Documents"). */
  plan?: PlannedStep[];
  /**
   * Set when the request would destroy a protected place: the step as asked, never planned with others, and why the
   * effect policy forbids it (whatever runs it is refused with these words).
   */
  refused?: Refusal;
}

export interface ParseOptions {
  context: ParseContext;
  previous?: PreviousTurn;
  /** Extra rules (from plugins), tried with the builtin ones. */
  rules?: readonly IntentRule[];
}

/** The highest confidence any grammar rule gives. */
const surest = 0.95;

/** Slots that quote the user: kept as typed, never typo-corrected. */
const quotingSlots = ["name", "content", "query", "text", "newName", "command", "target"];
const unknown: ParsedRequest = { intent: "unknown", confidence: 0.9, slots: {} };
/** Below this a destructive reading is not acted on: the request is `unknown` (and the user is asked). */
const destructiveFloor = 0.75;
const stepVerbs =
  "find|search|locate|list|show|move|copy|put|delete|remove|trash|rename|organize|sort|tidy|zip|open|read|kill|stop|run|create|make|write|mkdir|undo|send|back up|get rid of";
const splitter = new RegExp(
  `\\s*(?:,\\s*)?\\b(?:and then|and after that|then|after that|and also|and)\\s+(?=(?:${stepVerbs})\\b)`,
  "g",
);
const sameFor =
  /^(?:(?:now\s+)?(?:do|try|run)\s+)?(?:the\s+)?same(?:\s+thing)?\s+(?:for|in|with|on|to|but for|but in)\s+(.+)$|^(?:what about|how about|and|also)\s+(.+?)$/;

/**
 * "I want report.pdf moved to Documents", "can old.log be deleted", "notes.txt needs to be copied to /tmp";
 * not "will it be deleted?" nor "should it be moved?", which ask rather than request.
 */
const passive =
  /^(?:(?:i(?:'d| would) (?:like|love|want)|i want|i need|please have|have|get)\s+(.+?)|(?:can|could)\s+(.+?)\s+be|(.+?)\s+(?:needs|need|has|have|should|must|ought|is going|are going)\s+(?:to\s+)?be)\s+(moved|copied|deleted|removed|trashed|binned|erased|renamed|organized|sorted(?: out)?|tidied(?: up)?|backed up|cleaned up|killed|terminated)\b(.*)$/i;
const activeVerbs: Record<string, string> = {
  moved: "move",
  copied: "copy",
  deleted: "delete",
  removed: "remove",
  trashed: "trash",
  binned: "bin",
  erased: "erase",
  renamed: "rename",
  organized: "organize",
  sorted: "sort",
  "sorted out": "sort out",
  tidied: "tidy",
  "tidied up": "tidy up",
  "backed up": "back up",
  "cleaned up": "clean up",
  killed: "kill",
  terminated: "terminate",
};

/** "take cat.png off the desktop and put it in Pictures": a move said in two steps. */
const takeAndPut =
  /^(?:take|grab|get|pull)\s+(.+?)\s+(?:off|out of|from)\s+(.+?)\s*,?\s+and\s+(?:then\s+)?(?:put|move|stick|drop|place|pop|shove)\s+(?:it|them)\s+((?:in|into|on|onto|to|inside)\s+.+)$/i;

/**
 * The request said plainly ("move report.pdf to Documents"), when it was said in the passive
 * ("I want report.pdf moved to Documents") or in two steps ("take … off the desktop and put it in …").
 */
function activeVoice(text: string): string | undefined {
  const taken = takeAndPut.exec(text);
  if (taken !== null) return `move ${taken[1]} from ${taken[2]} ${taken[3]}`;
  // "make it quit", "make firefox close"
  const made = /^(?:make|get)\s+(.+?)\s+(?:to\s+)?(quit|close|stop|exit)$/i.exec(text);
  if (made !== null) return `${made[2]} ${made[1]}`;
  const match = passive.exec(text);
  const object = match?.[1] ?? match?.[2] ?? match?.[3];
  const verb = activeVerbs[(match?.[4] ?? "").toLowerCase().replace(/\s+/g, " ")];
  // "have I deleted report.pdf?", "have you moved it?": questions about what was done, not requests.
  if (match === null || object === undefined || verb === undefined || /^(?:i|you|u|we|they|he|she)\b/i.test(object))
    return undefined;
  return `${verb} ${object}${match[5] ?? ""}`;
}

function best(input: RuleInput, rules: readonly IntentRule[], again = true): Candidate | undefined {
  const chosen = bestOf(input, rules);
  if (again && (chosen === undefined || chosen.confidence < 0.8)) {
    const active = activeVoice(input.text);
    if (active !== undefined) {
      const found = best(new RuleInput(normalizeRequest(active), input.context, input.previous), rules, false);
      if (found !== undefined && found.intent !== "unknown" && (chosen === undefined || found.confidence > chosen.confidence))
        return { ...found, confidence: found.confidence * 0.98 };
    }
  }
  return chosen;
}

function bestOf(input: RuleInput, rules: readonly IntentRule[]): Candidate | undefined {
  let chosen: Candidate | undefined;
  for (const rule of rules) {
    let found: Candidate | undefined;
    try {
      found = rule(input);
    } catch {
      found = undefined;
    }
    if (found !== undefined && (chosen === undefined || found.confidence > chosen.confidence)) chosen = found;
    // No rule is surer than this, and the first of equals wins: nothing later can change the answer.
    if (chosen !== undefined && chosen.confidence >= surest) break;
  }
  if (chosen !== undefined) {
    for (const key of quotingSlots) {
      const value = chosen.slots[key];
      if (typeof value === "string") chosen.slots[key] = input.keep(value);
    }
  }
  return chosen;
}

/** Safety first: a destructive reading needs a sure rule, else the request is not understood. */
function settle(found: Candidate | undefined): ParsedRequest {
  if (found === undefined) return unknown;
  if (destructiveIntents.has(found.intent) && found.confidence < destructiveFloor)
    return { intent: "unknown", confidence: 0.5, slots: {} };
  return { intent: found.intent, confidence: found.confidence, slots: found.slots };
}

/** "now do the same for Desktop": the previous turn, with the new place. */
function followUp(input: RuleInput): ParsedRequest | undefined {
  const previous = input.previous;
  if (previous === undefined || previous.intent === "unknown") return undefined;
  const match = sameFor.exec(input.lower);
  if (match === null) return undefined;
  const place = folderOf(input) ?? input.mentions[0];
  if (place === undefined) return undefined;
  const key = "path" in previous.slots || !("source" in previous.slots) ? "path" : "source";
  const { files: _files, ...slots } = previous.slots;
  return { intent: previous.intent, confidence: 0.85, slots: { ...slots, [key]: place.path } };
}

/**
 * Understands one request offline: tidies the text, tries every grammar rule, keeps the surest
 * reading, splits chained requests into a plan, and resolves follow-ups against the previous
 * turn. Never throws, never touches the file system.
 */
export function parseRequest(raw: string, options: ParseOptions): ParsedRequest {
  const text = typeof raw === "string" ? raw : "";
  // "dry run: …", "preview …, don't move anything": the rest read as usual, then run so that nothing changes.
  const preview = previewOf(text);
  const utterance = normalizeRequest(preview?.rest ?? text);
  const parsed = accountForWords(
    refuseProtected(understand(preview?.rest ?? text, utterance, options), utterance, options.context),
    utterance,
    options.context,
    options.previous !== undefined,
  );
  return preview === undefined ? parsed : asDryRun(parsed);
}

/**
 * The effect policy on what the engine understood: a plan that would delete, move, empty or overwrite a protected
 * place (the home folder, `/`, a system folder, AstrOS's state, or a folder holding one) is never a plan. Said plainly
 * ("delete my home folder", "rm -rf ~"), it is that one step, refused with the policy's reason (the guard refuses it
 * again, on the real paths, with the same words); buried in longer text, it is not understood at all.
 */
function refuseProtected(parsed: ParsedRequest, utterance: Utterance, context: ParseContext): ParsedRequest {
  const steps = parsed.plan ?? [parsed];
  for (const step of steps) {
    const decision = judgePlannedStep(step, context);
    if (decision.verdict !== "deny") continue;
    const newName = typeof step.slots.newName === "string" ? step.slots.newName.toLowerCase() : undefined;
    const mentions = new RuleInput(utterance, context).mentions;
    const lower = newName === undefined ? utterance.lower : utterance.lower.replace(newName, " ");
    if (parsed.plan === undefined && !saidPlainly(lower, mentions, step.intent)) return { ...unknown, confidence: 0.5 };
    return {
      intent: step.intent,
      confidence: step.confidence,
      slots: step.slots,
      refused: { risk: "FORBIDDEN", reason: decision.reason, reasons: decision.reasons },
    };
  }
  return parsed;
}

function understand(raw: string, utterance: Utterance, options: ParseOptions): ParsedRequest {
  if (/^\s*\?+\s*$/.test(raw)) return { intent: "help", confidence: 0.8, slots: {} };
  if (!/[\p{L}\p{N}$`~/]/u.test(utterance.whole ?? utterance.text)) return unknown;
  const rules = options.rules === undefined ? builtinRules : [...builtinRules, ...options.rules];
  const input = new RuleInput(utterance, options.context, options.previous);
  const again = followUp(input);
  if (again !== undefined) return again;
  let whole = best(input, rules);
  const words = utterance.text.split(" ").length;
  if ((whole === undefined || whole.confidence < 0.8 || words >= 10) && /[\s,.;:?!]/.test(utterance.text) && words >= 4) {
    const clause = bestClause(utterance.text, options, rules);
    if (clause !== undefined && (whole === undefined || clause.confidence > whole.confidence || whole.confidence < 0.8))
      whole = clause;
  }
  const plan = planSteps(utterance.text, options, rules);
  if (plan !== undefined && (whole === undefined || whole.confidence < 0.95 || plan.length > 1)) {
    const [first] = plan;
    if (first !== undefined) return { intent: first.intent, confidence: first.confidence, slots: first.slots, plan };
  }
  return settle(whole);
}

/**
 * The surest reading of one clause of a long request, each weighed a little below a reading of the
 * whole; "it" and "them" in a clause may stand for a place the rest of the request names.
 */
function bestClause(text: string, options: ParseOptions, rules: readonly IntentRule[]): Candidate | undefined {
  let chosen: Candidate | undefined;
  for (const clause of findClauses(text)) {
    const restInput = new RuleInput(normalizeRequest(clause.rest), options.context);
    // "I've got data.csv in this folder, I'd like it moved…": "it" is the file the rest names, else its last place.
    const place = restInput.mentions.findLast((mention) => mention.fileLike) ?? restInput.mentions[restInput.mentions.length - 1];
    const previous: PreviousTurn = {
      intent: "files.list",
      slots: place === undefined ? {} : { path: place.path },
      sameRequest: true,
      rest: clause.rest,
    };
    const found = best(new RuleInput(clause.utterance, options.context, previous), rules);
    if (found === undefined) continue;
    const weighed = { ...found, confidence: found.confidence * clause.weight };
    if (chosen === undefined || weighed.confidence > chosen.confidence) chosen = weighed;
  }
  return chosen;
}

/** "find pdfs in Downloads and move them to Documents": each part understood, later ones against earlier ones. */
function planSteps(text: string, options: ParseOptions, rules: readonly IntentRule[]): PlannedStep[] | undefined {
  if (!/\b(?:and|then|after that)\b/i.test(text) || /^\$|`/.test(text)) return undefined;
  const lower = text.toLowerCase();
  const cuts = [...lower.matchAll(splitter)];
  if (cuts.length === 0) return undefined;
  const parts: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    parts.push(text.slice(start, cut.index));
    start = cut.index + cut[0].length;
  }
  parts.push(text.slice(start));
  const steps: PlannedStep[] = [];
  let previous = options.previous;
  for (const part of parts) {
    const utterance = normalizeRequest(part);
    const input = new RuleInput(utterance, options.context, previous);
    const step = settle(best(input, rules));
    if (step.intent === "unknown") return undefined;
    const refersBack = /\b(?:them|those|these|it|the results|the files)\b/i.test(part) && steps.length > 0;
    steps.push({
      intent: step.intent,
      confidence: step.confidence,
      slots: step.slots,
      ...(refersBack ? { uses: steps.length - 1 } : {}),
    });
    previous = { intent: step.intent, slots: step.slots };
  }
  return steps.length > 1 ? steps : undefined;
}
