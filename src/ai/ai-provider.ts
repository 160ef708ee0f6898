import { AIError } from "../core/errors/ai-error.js";
import type { ProviderConfig } from "./ai-types.js";
import type { AIProviderClass, BaseAIProvider } from "./base-ai-provider.js";
import { BuiltinProvider } from "./builtin-provider.js";
import { AnthropicProvider, LocalProvider, OpenAIProvider } from "./sdk-providers.js";

const registry = new Map<string, AIProviderClass>([
  ["builtin", BuiltinProvider],
  ["openai", OpenAIProvider],
  ["anthropic", AnthropicProvider],
  ["local", LocalProvider],
]);

/** The seed's factory: create a provider by name, list them, register new ones. */
export const AIProvider = {
  /** A provider by name; an unknown name is an error that lists the known ones. */
  create(name: string, config: ProviderConfig = {}): BaseAIProvider {
    const provider = registry.get(name.toLowerCase());
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
    return [...registry.keys()];
  },

  /** Add a provider (or replace one) under a name: letters, digits, `-` and `_`. */
  registerProvider(name: string, providerClass: AIProviderClass): void {
    if (!/^[a-z][a-z0-9_-]*$/i.test(name)) {
      throw new AIError(`"${name}" cannot name an AI provider: use letters, digits, - and _`, { code: "AI_PROVIDER_UNKNOWN" });
    }
    if (typeof providerClass !== "function") {
      throw new AIError(`The AI provider "${name}" must be a class extending BaseAIProvider`, { code: "AI_PROVIDER_UNKNOWN" });
    }
    registry.set(name.toLowerCase(), providerClass);
  },
};
