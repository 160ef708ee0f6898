import os from "node:os";
import { filesOfTurn } from "../core/types/files-found.js";
import { type Intent, UNKNOWN_INTENT } from "../core/types/intent.js";
import { processesFound } from "../core/types/processes-found.js";
import type { Response } from "../core/types/response.js";
import type { UserRequest } from "../core/types/user-request.js";
import { findFileFilters } from "./entities/find-file-filters.js";
import { findMentions } from "./entities/find-mentions.js";
import { findWhen } from "./entities/find-schedule.js";
import { diskLookup } from "./entities/path-exists.js";
import type { IntentMatch, IntentMatcher, IntentRecognizer } from "./intent-recognizer.js";
import { LearnedPhrases } from "./learned-phrases.js";
import { normalizeRequest } from "./normalize-text.js";
import { destructiveIntents, type ParseContext } from "./parse-context.js";
import { parseRequest } from "./parse-request.js";
import { previousPlace, thereWords } from "./previous-place.js";
import { type PreviousTurn, RuleInput } from "./rule-input.js";

/** A tool call of an LLM turn, as its response lists them. */
interface LlmToolCall {
  tool: string;
  args: Record<string, unknown>;
}

/** The session's last understood request, for follow-ups. Kept for this many sessions at most. */
const rememberedSessions = 1_000;

/**
 * The offline recognizer: AstrOS's own grammar and entity extractors (src/intent/rules,
 * src/intent/entities), what plugins teach it (example phrasings and templates, custom matchers),
 * and the previous turn of each session for follow-ups ("now do the same for Desktop").
 */
export class BuiltinRecognizer implements IntentRecognizer {
  readonly #matchers = new Map<string, IntentMatcher[]>();
  readonly #learned = new LearnedPhrases();
  readonly #previous = new Map<string, PreviousTurn>();
  /** The turn a request replaced when it was understood: put back when that request was not done (declined, failed). */
  readonly #replaced = new Map<string, PreviousTurn | undefined>();

  async recognize(request: UserRequest): Promise<Intent> {
    const context = contextOf(request);
    const sessionKey = `${request.userId}\u0000${request.sessionId}`;
    const previous = this.#previous.get(sessionKey);
    const parsed = parseRequest(request.text, {
      context,
      ...(previous === undefined ? {} : { previous }),
      rules: [this.#learned.rule],
    });
    let type = parsed.intent;
    let confidence = parsed.confidence;
    let entities: Record<string, unknown> = parsed.slots;
    // "delete the zip files there" with no earlier folder: "there" is nowhere, so nothing is changed (never the working folder).
    const nowhere = unresolvedPlace(request.text, previous, entities, context.cwd);
    if (nowhere !== undefined && destructiveIntents.has(type)) {
      entities = { notUnderstood: [nowhere], wouldHave: { intent: type, slots: entities } };
      type = UNKNOWN_INTENT;
      confidence = 0.5;
    }
    // "delete them" as the first turn (or in a one-shot call): nothing came before for "them" to stand for; say which word.
    const orphan = type === UNKNOWN_INTENT && previous === undefined ? orphanReference(request.text) : undefined;
    if (orphan !== undefined) entities = { ...entities, notUnderstood: [orphan], noEarlierResult: true };
    const custom = await this.#customMatch(request);
    if (custom !== undefined && (type === UNKNOWN_INTENT || custom.match.confidence > confidence)) {
      type = custom.type;
      confidence = custom.match.confidence;
      entities = custom.match.entities ?? {};
    }
    const last = parsed.plan?.[parsed.plan.length - 1];
    this.#replaced.delete(sessionKey);
    if (type !== UNKNOWN_INTENT) {
      this.#replaced.set(sessionKey, previous);
      const turn: PreviousTurn =
        last === undefined ? { intent: type, slots: entities } : { intent: last.intent, slots: last.slots };
      // A turn that acted on "them" acted on exactly those files: they stay what "them" means next.
      const named = turn.slots.files;
      if (Array.isArray(named) && named.every((file) => typeof file === "string")) turn.files = [...named];
      this.#remember(sessionKey, turn);
    }
    return {
      type,
      confidence,
      entities,
      context: { ...request.context, ...(parsed.plan === undefined ? {} : { plan: parsed.plan }) },
      timestamp: request.timestamp,
      originalRequest: request,
    };
  }

  #remember(sessionKey: string, turn: PreviousTurn): void {
    if (this.#previous.size >= rememberedSessions && !this.#previous.has(sessionKey)) {
      const oldest = this.#previous.keys().next().value;
      if (oldest !== undefined) this.#previous.delete(oldest);
    }
    this.#previous.set(sessionKey, turn);
  }

  async #customMatch(request: UserRequest): Promise<{ type: string; match: IntentMatch } | undefined> {
    let best: { type: string; match: IntentMatch } | undefined;
    for (const [type, matchers] of this.#matchers) {
      for (const matcher of matchers) {
        const match = await matcher(request);
        if (match !== undefined && match.confidence > 0 && (best === undefined || match.confidence > best.match.confidence)) {
          best = { type, match };
        }
      }
    }
    return best;
  }

  observeResult(request: UserRequest, response: Response): void {
    const sessionKey = `${request.userId}\u0000${request.sessionId}`;
    // Not done (declined, refused, failed): "them", "it" and "there" keep meaning what they meant before it.
    const replaced = this.#replaced.get(sessionKey);
    const wasReplaced = this.#replaced.has(sessionKey);
    this.#replaced.delete(sessionKey);
    if (!response.success && wasReplaced) {
      if (replaced === undefined) this.#previous.delete(sessionKey);
      else this.#previous.set(sessionKey, replaced);
      return;
    }
    // A turn the LLM answered: its last tool call is the previous turn ("delete them", "now for Desktop").
    const calls = response.metadata.route === "llm" ? (response.data?.toolCalls as LlmToolCall[] | undefined) : undefined;
    const last = calls?.[calls.length - 1];
    if (last !== undefined && response.success) this.#remember(sessionKey, { intent: last.tool, slots: { ...last.args } });
    const previous = this.#previous.get(sessionKey);
    if (previous === undefined || !response.success) return;
    const files = filesOfTurn(previous.intent, response.data);
    if (files.length > 0) previous.files = files.slice(0, 10_000);
    const pids = processesFound(response.data);
    if (pids.length > 0) previous.pids = pids.slice(0, 1_000);
  }

  /** Paths, file filters, dates and times the text names, without deciding an intent. */
  async extractEntities(text: string, context: ParseContext = defaultContext()): Promise<Record<string, unknown>> {
    const utterance = normalizeRequest(text);
    const input = new RuleInput(utterance, context);
    const when = findWhen(utterance.lower, context.now);
    return {
      paths: findMentions(utterance, context).map((mention) => mention.path),
      ...findFileFilters(input),
      ...(when.at === undefined ? {} : { at: when.at }),
      ...(when.cron === undefined ? {} : { cron: when.cron }),
      quoted: input.quoted.map((quote) => quote.value),
    };
  }

  registerIntentHandler(intentType: string, matcher: IntentMatcher): void {
    const list = this.#matchers.get(intentType) ?? [];
    list.push(matcher);
    this.#matchers.set(intentType, list);
  }

  learnExamples(intentType: string, examples: readonly string[], options: { readOnly?: boolean } = {}): void {
    this.#learned.learn(intentType, examples, options);
  }
}

/** "delete them", "stop it", "move those to Documents": the word that stands for an earlier result, if the request leans on one. */
function orphanReference(text: string): string | undefined {
  return /^(?:(?:please|ok|okay|now|then|and)\s+)*(?:delete|remove|trash|bin|erase|move|copy|rename|stop|kill|end|close|open|zip|compress|sort|organi[sz]e|put|send)\s+(?:all\s+(?:of\s+)?)?(them|those|these|it|that|there|the results)\b/i.exec(
    text.trim(),
  )?.[1];
}

/**
 * A word for the folder of an earlier turn ("there", "that folder") when no earlier turn named one, and the
 * request names no folder of its own for it to stand for ("my Downloads are a mess, sort everything in there").
 * Quoted text ("write 'hello there'") and "there is/are" are not places.
 */
function unresolvedPlace(
  text: string,
  previous: PreviousTurn | undefined,
  slots: Record<string, unknown>,
  cwd: string,
): string | undefined {
  const unquoted = text.toLowerCase().replace(/"[^"]*"|`[^`]*`|(?<![\p{L}\p{N}])'[^']*'(?![\p{L}\p{N}])/gu, " ");
  const words = thereWords.exec(
    unquoted.replace(/\bthere(?:'s|'re|'ll|\s+(?:is|are|was|were|will|must|might|may|could|should|seems?))\b/g, " "),
  );
  if (words === null || /\bit$/.test(words[0])) return undefined;
  if (previousPlace(previous, false) !== undefined) return undefined;
  const named = [slots.path, slots.source].some((place) => typeof place === "string" && place !== cwd);
  if (named) return undefined;
  return words[0].replace(/^(?:in|inside|from|of|under|into|to)\s+/, "");
}

function defaultContext(): ParseContext {
  return { now: new Date(), home: process.env.HOME ?? os.homedir(), cwd: process.cwd() };
}

function contextOf(request: UserRequest): ParseContext {
  const cwd = typeof request.context.cwd === "string" && request.context.cwd !== "" ? request.context.cwd : process.cwd();
  const home = typeof request.context.home === "string" ? request.context.home : (process.env.HOME ?? os.homedir());
  // A request is about this machine: names are read against what is there ("draft final.docx", "Pictures/Summer Trip").
  return { now: request.timestamp, home, cwd, exists: diskLookup() };
}
