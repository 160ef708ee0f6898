import { createHash } from "node:crypto";
import type { Message } from "../ai/ai-types.js";
import type { KeyValueStore } from "../store/key-value-store.js";
import type { TaintSource } from "./turn-taint.js";

/** Tokens and money one session (or one request) has spent on the LLM. */
export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Estimated, USD; models of unknown price add nothing and set `costUnknown`. */
  costUsd: number;
  costUnknown?: boolean;
}

/** A session's conversation as the LLM sees it: recent turns, a summary of older ones, and what it has cost. */
export interface Conversation {
  turns: Message[];
  /** What older turns, dropped to stay inside the token budget, were about. */
  summary: string;
  usage: UsageTotals;
  /** Where text that did not come from the person first entered the conversation (it stays in its answers and summary). */
  taint?: TaintSource;
}

const namespace = "ai-conversation";
/** A conversation nobody has touched for this long is forgotten. */
const keepSeconds = 7 * 24 * 3600;
const summaryCharacters = 2_000;

/** A rough token count (about four characters a token in English), enough for budgets. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function emptyUsage(): UsageTotals {
  return { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

export function addUsage(total: UsageTotals, more: UsageTotals): UsageTotals {
  return {
    requests: total.requests + more.requests,
    inputTokens: total.inputTokens + more.inputTokens,
    outputTokens: total.outputTokens + more.outputTokens,
    costUsd: total.costUsd + more.costUsd,
    ...(total.costUnknown === true || more.costUnknown === true ? { costUnknown: true } : {}),
  };
}

/**
 * Per-session history in the database (so any server node, and the next CLI run of the same
 * session, can follow up), kept within a token budget: when the turns grow past it, the oldest
 * are dropped and a line on each goes into the summary.
 */
export class ConversationStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly budgetTokens: number,
  ) {}

  async load(userId: string, sessionId: string): Promise<Conversation> {
    const saved = await this.store.get<Conversation>(namespace, keyOf(userId, sessionId));
    return saved ?? { turns: [], summary: "", usage: emptyUsage() };
  }

  /** Add a request and its answer, and what the LLM spent on it. */
  async record(
    userId: string,
    sessionId: string,
    turn: { request: string; answer: string; usage?: UsageTotals; taint?: TaintSource },
  ): Promise<Conversation> {
    const conversation = await this.load(userId, sessionId);
    if (turn.taint !== undefined && conversation.taint === undefined) conversation.taint = { ...turn.taint };
    conversation.turns.push({ role: "user", content: turn.request }, { role: "assistant", content: turn.answer });
    if (turn.usage !== undefined) conversation.usage = addUsage(conversation.usage, turn.usage);
    const fitted = fitToBudget(conversation, this.budgetTokens);
    await this.store.set(namespace, keyOf(userId, sessionId), fitted, { ttlSeconds: keepSeconds });
    return fitted;
  }

  async forget(userId: string, sessionId: string): Promise<boolean> {
    return this.store.delete(namespace, keyOf(userId, sessionId));
  }
}

/** Drop the oldest request-and-answer pairs until the turns fit the budget; say in the summary what they were. */
export function fitToBudget(conversation: Conversation, budgetTokens: number): Conversation {
  const turns = [...conversation.turns];
  let summary = conversation.summary;
  const size = () => turns.reduce((sum, message) => sum + estimateTokens(message.content) + 4, 0);
  while (turns.length > 2 && size() > budgetTokens) {
    const [asked, answered] = turns.splice(0, 2);
    const gist = (text: string | undefined) => (text ?? "").replace(/\s+/g, " ").slice(0, 120);
    summary = `${summary}\n- asked "${gist(asked?.content)}"; answered "${gist(answered?.content)}"`.trim();
  }
  if (summary.length > summaryCharacters) summary = `…${summary.slice(summary.length - summaryCharacters + 1)}`;
  return { ...conversation, turns, summary };
}

function keyOf(userId: string, sessionId: string): string {
  return createHash("sha256").update(`${userId}\u0000${sessionId}`).digest("hex");
}
