import { AIError } from "../core/errors/ai-error.js";
import type { ProviderConfig } from "./ai-types.js";
import type { BaseAIProvider } from "./base-ai-provider.js";
import { BuiltinProvider } from "./builtin-provider.js";
import { providerRegistry, registerProvider } from "./provider-registry.js";
import { AnthropicProvider, LocalProvider, OpenAIProvider } from "./sdk-providers.js";

for (const [name, provider] of [
  ["builtin", BuiltinProvider],
  ["openai", OpenAIProvider],
  ["anthropic", AnthropicProvider],
  ["local", LocalProvider],
] as const) {
  if (!providerRegistry.has(name)) providerRegistry.set(name, provider);
}

/** The seed's factory: create a provider by name, list them, register new ones. */
export const AIProvider = {
  /** A provider by name; an unknown name is an error that lists the known ones. */
  create(name: string, config: ProviderConfig = {}): BaseAIProvider {
    const provider = providerRegistry.get(name.toLowerCase());
    if (provider === undefined) {
      throw new AIError(`There is no AI provider called "${name}"; the known ones are ${AIProvider.listProviders().join(", ")}`, {
        code: "AI_PROVIDER_UNKNOWN",
        details: { provider: name, known: AIProvider.listProviders() },
        recovery: "Set ai.provider to one of them, or install the plugin that registers it.",
      });
    }
    return new provider(config);
  },

  listProviders(): string[] {
    return [...providerRegistry.keys()];
  },

  registerProvider,
};
