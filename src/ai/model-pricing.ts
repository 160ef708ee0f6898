/** US dollars per million tokens, prompt and completion. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * List prices of common models (per million tokens, USD), for an estimate of what a request
 * cost; `ai.pricing` in the configuration adds or overrides models. Local models and the builtin
 * engine cost nothing. A model not listed is reported as of unknown cost, not as free.
 */
const listPrices: Record<string, ModelPrice> = {
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "claude-opus-4-1": { input: 15, output: 75 },
  "claude-opus-4-5": { input: 5, output: 25 },
  "claude-sonnet-4-5": { input: 3, output: 15 },
  "claude-sonnet-4": { input: 3, output: 15 },
  "claude-haiku-4-5": { input: 1, output: 5 },
  "claude-3-5-haiku-latest": { input: 0.8, output: 4 },
};

/** The price of a model, or undefined when it is not known. Dated snapshots (`gpt-4o-2024-08-06`) take their family's price. */
export function modelPrice(
  provider: string,
  model: string,
  overrides: Readonly<Record<string, ModelPrice>> = {},
): ModelPrice | undefined {
  const own = overrides[model] ?? overrides[`${provider}/${model}`];
  if (own !== undefined) return own;
  if (provider === "local" || provider === "builtin") return { input: 0, output: 0 };
  const known = Object.keys(listPrices)
    .filter((name) => model === name || model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return known === undefined ? undefined : listPrices[known];
}

/** Estimated cost in USD, or undefined when the price is unknown. */
export function estimateCost(
  price: ModelPrice | undefined,
  usage: { inputTokens: number; outputTokens: number },
): number | undefined {
  if (price === undefined) return undefined;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}
