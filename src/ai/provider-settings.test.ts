import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CredentialStore } from "../auth/credential-store.js";
import { configSchema } from "../config/config-schema.js";
import { silentLogger } from "../core/logging/logger.js";
import { providerSettings } from "./provider-settings.js";

let folder: string;
const saved = process.env.OPENAI_API_KEY;

beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "astros-provider-settings-"));
  delete process.env.OPENAI_API_KEY;
});
afterEach(async () => {
  if (saved === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = saved;
  await rm(folder, { recursive: true, force: true });
});

function config(ai: Record<string, unknown>) {
  return configSchema.parse({
    ai,
    credentials: {
      backend: "key_file",
      key_file: path.join(folder, "credentials.key"),
      file: path.join(folder, "credentials.enc"),
    },
  });
}

describe("providerSettings", () => {
  it("takes the API key from the provider's table, then the environment, then the encrypted credential store", async () => {
    const settings = config({ provider: "openai", model: "gpt-4o", max_tokens: 300, timeout: 12 });
    expect((await providerSettings(settings, silentLogger)).apiKey).toBeUndefined();

    const store = CredentialStore.fromConfig({ configuration: settings.credentials, prompt: undefined });
    await store.set("openai_api_key", "sk-from-the-store");
    expect(await providerSettings(settings, silentLogger)).toMatchObject({
      apiKey: "sk-from-the-store",
      model: "gpt-4o",
      maxTokens: 300,
      timeoutSeconds: 12,
    });

    process.env.OPENAI_API_KEY = "sk-from-the-environment";
    expect((await providerSettings(settings, silentLogger)).apiKey).toBe("sk-from-the-environment");

    const table = config({
      provider: "openai",
      providers: { openai: { api_key: "sk-from-config", model: "gpt-4.1", organization: "org-1" } },
    });
    expect(await providerSettings(table, silentLogger)).toMatchObject({
      apiKey: "sk-from-config",
      model: "gpt-4.1",
      organization: "org-1",
    });
  });
});
