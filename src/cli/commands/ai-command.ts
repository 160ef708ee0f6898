import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { AIProvider } from "../../ai/ai-provider.js";
import { AstrOSError } from "../../core/errors/astros-error.js";
import type { Output } from "../output.js";

/** `astros ai`: which engine answers, where it is, and what it can do; never the key itself. */
export function showAI(agent: AstrOSAgent, output: Output, json: boolean): number {
  const { colors } = output;
  const ai = agent.ai;
  const config = agent.config.ai;
  const offline = ai.name === "builtin";
  const summary = {
    provider: ai.name,
    model: ai.model,
    endpoint: ai.endpoint,
    routing: offline ? "builtin" : config.routing,
    hybridThreshold: config.hybrid_threshold,
    apiKey: offline ? "not needed" : ai.config.apiKey === undefined ? "not set" : "set",
    capabilities: ai.capabilities,
    providers: AIProvider.listProviders(),
  };
  if (json) {
    output.out(JSON.stringify(summary, null, 2));
    return 0;
  }
  if (offline) {
    output.out(
      `${colors.bold("builtin")} — the offline engine answers everything (no model, no key, nothing leaves this machine).`,
    );
    output.out(
      colors.dim('To add an LLM: ai.provider = "openai", "anthropic" or "local" in config.toml (or ASTROS_AI_PROVIDER).'),
    );
  } else {
    output.out(`${colors.bold(ai.name)} ${ai.model}  ${colors.dim(ai.endpoint)}`);
    output.out(
      `  routing      ${config.routing}${config.routing === "hybrid" ? ` (builtin when it is at least ${config.hybrid_threshold} sure)` : ""}`,
    );
    output.out(`  api key      ${summary.apiKey}`);
  }
  const can = Object.entries(ai.capabilities)
    .filter(([, yes]) => yes)
    .map(([name]) => name);
  output.out(`  can          ${can.join(", ") || "answer text"}`);
  output.out(`  providers    ${summary.providers.join(", ")}`);
  return 0;
}

/** `astros ai check`: one tiny request to the model, timed; exit 1 with the reason when it fails. */
export async function checkAI(agent: AstrOSAgent, output: Output, json: boolean): Promise<number> {
  const { colors } = output;
  const ai = agent.ai;
  if (ai.name === "builtin") {
    if (json) output.out(JSON.stringify({ ok: true, provider: "builtin", model: "builtin", milliseconds: 0, tokensUsed: 0 }));
    else output.out(`${colors.green("✓")} the builtin engine is offline and always there; no model is configured to check.`);
    return 0;
  }
  const started = performance.now();
  try {
    const response = await ai.complete("Reply with the single word OK.", { maxTokens: 16, temperature: 0 });
    const milliseconds = Math.round(performance.now() - started);
    if (json)
      output.out(
        JSON.stringify({ ok: true, provider: ai.name, model: response.model, milliseconds, tokensUsed: response.tokensUsed }),
      );
    else
      output.out(
        `${colors.green("✓")} ${ai.name} ${response.model}${ai.endpoint === "" ? "" : ` at ${ai.endpoint}`} answered in ${milliseconds} ms (${response.tokensUsed} tokens): ${JSON.stringify(response.content.trim().slice(0, 60))}`,
      );
    return 0;
  } catch (error) {
    const known = AstrOSError.isInstance(error);
    if (json) {
      output.out(JSON.stringify({ ok: false, provider: ai.name, error: known ? error.toJSON() : { message: String(error) } }));
    } else {
      output.err(colors.red(`✗ ${(error as Error).message}`));
      if (known && error.recovery !== undefined) output.err(colors.dim(error.recovery));
    }
    return 1;
  }
}
