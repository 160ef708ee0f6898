import { CredentialStore } from "../auth/credential-store.js";
import type { AstrOSConfig } from "../config/config-schema.js";
import type { Logger } from "../core/logging/logger.js";
import type { ProviderConfig } from "./ai-types.js";

/**
 * A provider's settings from the configuration: the `[ai]` keys, then `[ai.providers.<name>]` on
 * top. The API key comes from that table, else the environment (`OPENAI_API_KEY`, ...), else the
 * encrypted credential store (`<name>_api_key`), never from anywhere that is logged.
 */
export async function providerSettings(config: AstrOSConfig, logger: Logger): Promise<ProviderConfig> {
  const name = config.ai.provider.toLowerCase();
  const own = (config.ai.providers[name] ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const settings: ProviderConfig = {
    maxTokens: config.ai.max_tokens,
    temperature: config.ai.temperature,
    maxRetries: config.ai.max_retries,
    timeoutSeconds: config.ai.timeout,
    ...withoutSnakeCase(own),
  };
  const model = text(own.model) ?? text(config.ai.model);
  const baseUrl = text(own.base_url) ?? text(config.ai.base_url);
  const embeddingModel = text(own.embedding_model) ?? text(config.ai.embedding_model);
  if (model !== undefined) settings.model = model;
  if (baseUrl !== undefined) settings.baseUrl = baseUrl;
  if (embeddingModel !== undefined) settings.embeddingModel = embeddingModel;
  const apiKey =
    text(own.api_key) ?? text(process.env[`${name.toUpperCase()}_API_KEY`]) ?? (await storedKey(config, name, logger));
  if (apiKey !== undefined) settings.apiKey = apiKey;
  return settings;
}

async function storedKey(config: AstrOSConfig, provider: string, logger: Logger): Promise<string | undefined> {
  try {
    const store = CredentialStore.fromConfig({ configuration: config.credentials, prompt: undefined });
    return await store.get(`${provider}_api_key`);
  } catch (error) {
    logger.warn(`could not read ${provider}_api_key from the credential store: ${(error as Error).message}`);
    return undefined;
  }
}

/** Table keys other than the ones mapped above, as given (organization, headers, ...). */
function withoutSnakeCase(table: Record<string, unknown>): Record<string, unknown> {
  const mapped = new Set(["model", "base_url", "embedding_model", "api_key"]);
  return Object.fromEntries(Object.entries(table).filter(([key]) => !mapped.has(key)));
}
