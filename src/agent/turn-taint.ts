import { type ConfirmationChannel, nobodyAsked } from "./pipeline-seams.js";

/** Where text that did not come from the person entered a turn: the tool whose result it was, and what it read or ran. */
export interface TaintSource {
  /** The tool whose result was fed back (e.g. "files.read"), or the handler a plugin called. */
  source: string;
  path?: string;
  command?: string;
  /** The plugin that called it through callPlugin, when it was another plugin's data. */
  caller?: string;
}

/** How many sources a turn keeps (the first ones say enough; the count says how many more). */
const keptSources = 8;

/**
 * One request's taint: once any text that did not come from the person (a file's contents, a
 * command's output, a web page, an MCP result, another plugin's data) reaches the model or plugin
 * code, what the model proposes afterwards is no longer only the person's request. Shared by every
 * call of the request (callPlugin included), so a mark made anywhere holds for the rest of the turn.
 */
export class TurnTaint {
  readonly #sources: TaintSource[] = [];
  #count = 0;

  /** Text from this source reached the turn. */
  mark(source: TaintSource): void {
    this.#count++;
    const known = this.#sources.some(
      (kept) => kept.source === source.source && kept.path === source.path && kept.command === source.command,
    );
    if (!known && this.#sources.length < keptSources) this.#sources.push(cleanSource(source));
  }

  get tainted(): boolean {
    return this.#count > 0;
  }

  get sources(): readonly TaintSource[] {
    return this.#sources;
  }

  /** The audit field: the first source, plus how many more results carried outside text. */
  audit(): Record<string, unknown> | undefined {
    const [first] = this.#sources;
    if (first === undefined) return undefined;
    return { ...first, ...(this.#count > 1 ? { results: this.#count } : {}) };
  }

  /** "reading ~/notes.txt (files.read)", the first source in words. */
  describe(): string {
    return describeSources(this.#sources);
  }
}

/** The sources in words, for a question or a refusal: "reading ~/notes.txt (files.read)". */
export function describeSources(sources: readonly TaintSource[]): string {
  const [first] = sources;
  if (first === undefined) return "nothing";
  const what =
    first.path !== undefined
      ? `reading ${first.path} (${first.source})`
      : first.command !== undefined
        ? `the output of \`${first.command}\` (${first.source})`
        : `the result of ${first.source}${first.caller === undefined ? "" : ` called by the ${first.caller} plugin`}`;
  return sources.length > 1 ? `${what} and ${sources.length - 1} more` : what;
}

/** Why a change the model proposed after taint needs a yes the person gives themselves. */
export function taintReason(sources: readonly TaintSource[]): string {
  return `the AI model proposed it after ${describeSources(sources)}, text that did not come from you`;
}

/**
 * The channel that really asks a person now, or undefined: a channel that answers in advance (`--yes`,
 * an approved plan) counts only through the person it can still ask (`live`, e.g. the terminal).
 */
export function liveChannel(channel: ConfirmationChannel | undefined): ConfirmationChannel | undefined {
  if (channel === undefined) return undefined;
  if (channel.inAdvance === undefined) return channel;
  return channel.live;
}

function cleanSource(source: TaintSource): TaintSource {
  const short = (text: string) => (text.length > 300 ? `${text.slice(0, 297)}...` : text);
  return {
    source: source.source,
    ...(source.path === undefined ? {} : { path: short(source.path) }),
    ...(source.command === undefined ? {} : { command: short(source.command) }),
    ...(source.caller === undefined ? {} : { caller: source.caller }),
  };
}

/** The refusal of a change a model proposed after taint, naming it, where the text came from, and how to confirm it. */
export function untrustedRefusal(what: string, taint: readonly TaintSource[], via: string): string {
  const proposed = `the AI model proposed ${what} after ${describeSources(taint)} (text that did not come from you)`;
  if (nobodyAsked(via) === undefined) return `${proposed}, and it was not confirmed`;
  return `${proposed}; ${via}. Confirm it yourself: run the request where you can be asked (a terminal, the WebSocket, or the API's confirmation token); --yes and safety.non_interactive = allow never confirm it`;
}
