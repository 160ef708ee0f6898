import { toErrorInfo } from "../core/errors/astros-error.js";
import { ProcessingError } from "../core/errors/processing-error.js";
import { createResponse, type Response } from "../core/types/response.js";
import type { PluginRegistry } from "../plugins/plugin-registry.js";
import { refusalReason } from "./refusal-reason.js";

/**
 * The answer to a request nobody understood: what was heard, the examples closest to it, and, when
 * AstrOS runs offline (`offline`), how to add an LLM that understands any phrasing.
 */
export function notUnderstood(options: {
  text: string;
  meta: Record<string, unknown>;
  registry: PluginRegistry | undefined;
  offline: boolean;
  /** What the engine left: words it could not account for, or a name it could read two ways, and what would have run. */
  entities?: Record<string, unknown>;
}): Response {
  const { text, meta } = options;
  const unsure = unsureWords(options.entities);
  // "format my hard drive", "will it rain tomorrow": say why it is not done, not only that it was not understood.
  const reason = unsure === undefined ? refusalReason(text) : undefined;
  const words = new Set(text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
  const shared = (example: string) =>
    (example.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((word) => words.has(word)).length;
  const examples = (options.registry?.list() ?? [])
    .filter((entry) => entry.enabled && entry.state !== "failed")
    .flatMap((entry) => entry.runtime.handlers.flatMap((handler) => handler.examples.filter((example) => !example.includes("{"))))
    .map((example, index) => ({ example, score: shared(example) * 100 - index }))
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.example);
  return createResponse({
    success: false,
    message: [
      unsure ?? reason ?? `I'm not sure what you mean by "${text.length > 80 ? `${text.slice(0, 77)}...` : text}".`,
      'Say "help" to see what I can do.',
      ...(options.offline && reason === undefined
        ? [
            "I'm running offline with my builtin engine. To understand any phrasing, add an LLM: set ai.provider (openai, anthropic or local) in config.toml, or e.g. ASTROS_AI_PROVIDER=local ASTROS_AI_BASE_URL=http://127.0.0.1:11434/v1 for Ollama; `astros ai` shows what is configured.",
          ]
        : []),
    ].join(" "),
    suggestions: [...new Set(["help", ...examples])].slice(0, 4),
    requiresFollowup: true,
    metadata: { ...meta, error: toErrorInfo(new ProcessingError("Request not understood", { code: "INTENT_UNKNOWN" })) },
  });
}

/** The slots a call would have had, in words: "rename /home/sam/final.docx (newName: report.docx)". */
function describeCall(wouldHave: unknown): string | undefined {
  if (typeof wouldHave !== "object" || wouldHave === null) return undefined;
  const { intent, slots } = wouldHave as { intent?: unknown; slots?: Record<string, unknown> };
  if (typeof intent !== "string") return undefined;
  const verb = intent.replace(/^files\./, "");
  const parts = Object.entries(slots ?? {}).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  return `${verb} (${parts.join(", ")})`;
}

/**
 * Why a request that would change files was not run: the words the reading did not use ("draft" in "rename draft
 * final.docx …"), or the names it could read two ways, and what it would have done. Undefined for other unknowns.
 */
function unsureWords(entities: Record<string, unknown> | undefined): string | undefined {
  const call = describeCall(entities?.wouldHave);
  const would = call === undefined ? "" : ` Without them I would have run ${call}.`;
  const words = entities?.notUnderstood;
  if (Array.isArray(words) && words.length > 0) {
    const quoted = words.map((word) => `"${String(word)}"`).join(", ");
    return `I did not understand ${quoted}, so I changed nothing.${would} Say it again with the name in quotes, or without those words.`;
  }
  const ambiguous = entities?.ambiguous;
  if (Array.isArray(ambiguous) && ambiguous.length > 1) {
    const names = ambiguous.map((name) => `"${String(name)}"`).join(" or ");
    return `Did you mean ${names}? Both are there, so I changed nothing. Say it again with the name in quotes.`;
  }
  return undefined;
}
