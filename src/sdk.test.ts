import { describe, expect, it } from "vitest";
import * as sdk from "./sdk.js";

describe("astros/sdk public API", () => {
  it("exports exactly the documented runtime names (adding or removing one is a deliberate API change)", () => {
    expect(Object.keys(sdk).sort()).toEqual([
      "AIError",
      "AstrOSError",
      "AuthenticationError",
      "BasePlugin",
      "PermissionError",
      "PluginError",
      "ProcessingError",
      "ResponseFormat",
      "createResponse",
      "defineHandler",
      "definePlugin",
      "knownPermissions",
      "pluginHandler",
      "requiresPermission",
      "z",
    ]);
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
