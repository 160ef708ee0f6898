import { describe, expect, it } from "vitest";
import * as sdk from "./sdk.js";

describe("astros/sdk public API", () => {
  it("exports exactly the documented runtime names (adding or removing one is a deliberate API change)", () => {
    expect(Object.keys(sdk).sort()).toEqual([
      "AIError",
      "AstrOSClientError",
      "AstrOSError",
      "AstrOSWebSocketClient",
      "AuthenticationError",
      "BaseAIProvider",
      "BasePlugin",
      "HTTPClient",
      "PermissionError",
      "PluginError",
      "ProcessingError",
      "ResponseFormat",
      "createResponse",
      "defineHandler",
      "definePlugin",
      "knownPermissions",
      "openForReading",
      "pinFolder",
      "pluginHandler",
      "registerAIProvider",
      "requiresPermission",
      "z",
    ]);
  });

  it("registers an AI provider from the SDK bundle plugins load (a copy of its own) into the host's registry", async () => {
    const { AIProvider } = await import("./ai/ai-provider.js");
    const bundled = (await import(new URL("../dist/sdk-bundle/sdk.mjs", import.meta.url).href)) as typeof sdk;
    class QuietProvider extends bundled.BaseAIProvider {
      readonly name = "quiet";
      readonly capabilities = { tools: false, streaming: false, vision: false, embeddings: false };
      async chat() {
        return {
          content: "…",
          tokensUsed: 0,
          model: "q",
          metadata: {},
          toolCalls: [],
          finishReason: "stop" as const,
          usage: { inputTokens: 0, outputTokens: 0 },
        };
      }
    }
    bundled.registerAIProvider("quiet", QuietProvider);
    expect(AIProvider.create("quiet").name).toBe("quiet");
  });

  it("recognises errors across copies of the SDK by brand, not instanceof", () => {
    const error = new sdk.PluginError("boom", { code: "PLUGIN_HANDLER_FAILED" });
    const foreign = Object.assign(Object.create(null), { [Symbol.for("astros.error")]: true });
    expect(sdk.AstrOSError.isInstance(error)).toBe(true);
    expect(sdk.AstrOSError.isInstance(foreign)).toBe(true);
    expect(sdk.AstrOSError.isInstance(new Error("plain"))).toBe(false);
    expect(error.toJSON()).toEqual({ name: "PluginError", code: "PLUGIN_HANDLER_FAILED", category: "plugin", message: "boom" });
  });
});
