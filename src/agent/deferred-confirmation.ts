import type { ConfirmationChannel, ConfirmationRequest } from "./pipeline-seams.js";

/** A question nobody could answer during the request, as plain data a client can show and confirm. */
export type DeferredQuestion = Omit<ConfirmationRequest, "call"> & {
  tool: string;
  plugin: string;
  args: Record<string, unknown>;
};

/** A channel that cannot ask now (a REST call): it records each question and answers no. */
export type DeferringChannel = ConfirmationChannel & { readonly deferred: DeferredQuestion[] };

/**
 * For interfaces without a live conversation: the request runs as far as it can; the first thing
 * that needs a yes is refused and recorded, and the answer becomes a confirmation request the
 * client can approve (the server binds a token to exactly that action). Run again with `approved`,
 * that action (and only that) is a yes.
 */
export function createDeferringChannel(options: { approved?: DeferredQuestion; via?: string } = {}): DeferringChannel {
  const deferred: DeferredQuestion[] = [];
  const { approved } = options;
  const channel = async (question: ConfirmationRequest) => {
    const described = describeQuestion(question);
    // The one action the client already confirmed (a token bound to it) is a yes; anything else waits.
    if (approved !== undefined && sameQuestion(described, approved))
      return { approved: true, via: options.via ?? "confirmed by the client" };
    deferred.push(described);
    return { approved: false, via: "returned to the client as a confirmation request" };
  };
  return Object.assign(channel, { deferred });
}

export function isDeferring(channel: ConfirmationChannel | undefined): channel is DeferringChannel {
  return channel !== undefined && Array.isArray((channel as Partial<DeferringChannel>).deferred);
}

export function describeQuestion(question: ConfirmationRequest): DeferredQuestion {
  const { call, ...asked } = question;
  return {
    ...asked,
    tool: call.tool,
    plugin: call.plugin,
    args: call.args,
    reasons: [...asked.reasons],
    ...(asked.steps === undefined ? {} : { steps: [...asked.steps] }),
  };
}

/** Whether a question asks about exactly this action (what a confirmation token was bound to). */
export function sameQuestion(a: DeferredQuestion, b: DeferredQuestion): boolean {
  return fingerprint(a) === fingerprint(b);
}

export function fingerprint(question: DeferredQuestion): string {
  return JSON.stringify([
    question.kind,
    question.tool,
    question.plugin,
    canonical(question.args),
    question.command ?? null,
    question.permission ?? null,
    question.steps ?? null,
    question.count ?? null,
  ]);
}

/** JSON with object keys sorted, so equal arguments compare equal whatever their order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
