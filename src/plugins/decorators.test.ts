import { describe, expect, it } from "vitest";
import type { Intent } from "../core/types/intent.js";
import { BasePlugin } from "./base-plugin.js";
import { pluginHandler, requiresPermission } from "./decorators.js";

class SamplePlugin extends BasePlugin {
  readonly name = "sample";
  readonly version = "1.2.3";
  readonly description = "sample";
  readonly author = "tests";

  @requiresPermission("network")
  @pluginHandler("files.backup", { priority: 3, requiresPermissions: ["file_system"], examples: ["back up my files"] })
  async backup(_intent: Intent) {
    return { success: true, message: "backed up" };
  }

  @pluginHandler("files.backup", { priority: 9 })
  @requiresPermission("file_system")
  async fastBackup(_intent: Intent) {
    return { success: true, message: "fast" };
  }

  @pluginHandler("greeting")
  async hello(_intent: Intent) {
    return { success: true, message: "hi" };
  }

  notAHandler() {
    return 1;
  }
}

function intentOf(type: string): Intent {
  const request = { text: "", userId: "u", sessionId: "s", timestamp: new Date(), context: {}, metadata: {} };
  return { type, confidence: 1, entities: {}, context: {}, timestamp: new Date(), originalRequest: request };
}

describe("plugin decorators", () => {
  it("collects decorated methods as handlers, highest priority first", () => {
    const plugin = new SamplePlugin();
    const handlers = plugin.getHandlers(intentOf("files.backup"));
    expect(handlers.map((handler) => handler.name)).toEqual(["fastBackup", "backup"]);
    expect(plugin.listHandlers()).toHaveLength(3);
    expect(plugin.canHandle(intentOf("greeting"))).toBe(true);
    expect(plugin.canHandle(intentOf("files.delete"))).toBe(false);
  });

  it("merges @requiresPermission with the handler's own permissions in either decorator order", () => {
    const plugin = new SamplePlugin();
    const [fast, slow] = plugin.getHandlers(intentOf("files.backup"));
    expect(fast?.requiresPermissions).toEqual(["file_system"]);
    expect([...(slow?.requiresPermissions ?? [])].sort()).toEqual(["file_system", "network"]);
    expect(slow?.examples).toEqual(["back up my files"]);
  });

  it("rejects an invalid intent type, priority or permission when the class is defined", () => {
    expect(() => pluginHandler("Not Valid")).toThrow(/not a valid intent type/);
    expect(() => pluginHandler("greeting", { priority: 11 })).toThrow(/priority must be an integer from 1 to 10/);
    expect(() => pluginHandler("greeting", { priority: 2.5 })).toThrow(/priority/);
    expect(() => requiresPermission("File System")).toThrow(/not a valid permission name/);
  });

  it("refuses storage and callPlugin before the plugin is registered, with a clear message", async () => {
    const plugin = new SamplePlugin();
    expect(() => plugin.storage).toThrow(/only once the plugin is registered/);
    await expect(plugin.callPlugin("other", "handler")).rejects.toThrow(/only once the plugin is registered/);
  });
});
