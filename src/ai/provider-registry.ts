import { AIError } from "../core/errors/ai-error.js";
import type { AIProviderClass } from "./base-ai-provider.js";

/**
 * The registered provider classes, by lower-case name. It lives on globalThis under a Symbol.for
 * key so that a plugin registering through its own copy of the SDK reaches the host's registry.
 */
const key = Symbol.for("astros.ai-providers");
const scope = globalThis as typeof globalThis & { [key]?: Map<string, AIProviderClass> };
export const providerRegistry: Map<string, AIProviderClass> = scope[key] ?? new Map();
scope[key] = providerRegistry;

/** Add a provider (or replace one) under a name: letters, digits, `-` and `_`. */
export function registerProvider(name: string, providerClass: AIProviderClass): void {
  if (!/^[a-z][a-z0-9_-]*$/i.test(name)) {
    throw new AIError(`"${name}" cannot name an AI provider: use letters, digits, - and _`, { code: "AI_PROVIDER_UNKNOWN" });
  }
  if (typeof providerClass !== "function") {
    throw new AIError(`The AI provider "${name}" must be a class extending BaseAIProvider`, { code: "AI_PROVIDER_UNKNOWN" });
  }
  providerRegistry.set(name.toLowerCase(), providerClass);
}
