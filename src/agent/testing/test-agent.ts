import path from "node:path";
import { configSchema } from "../../config/config-schema.js";
import { AstrOSAgent, type AstrOSAgentOptions } from "../astros-agent.js";

/**
 * An agent for tests: in-memory SQLite, no plugin discovery, silent logs, and everything it
 * writes (journal, trash, server workspaces and token key) inside `root`, the only allowed root.
 * `config` sections are merged over those defaults one section at a time.
 */
export function createTestAgent(
  root: string,
  options: { config?: Record<string, Record<string, unknown> | string>; agent?: Omit<AstrOSAgentOptions, "config"> } = {},
): AstrOSAgent {
  const given = options.config ?? {};
  const section = (name: string, defaults: Record<string, unknown>) => ({
    ...defaults,
    ...((given[name] as Record<string, unknown> | undefined) ?? {}),
  });
  return new AstrOSAgent({
    config: configSchema.parse({
      ...given,
      log_level: given.log_level ?? "silent",
      database: section("database", { url: "sqlite::memory:" }),
      plugins: section("plugins", { auto_load: false }),
      safety: section("safety", { allowed_roots: [root] }),
      server: section("server", {
        workspaces: path.join(root, "workspaces"),
        token_key_file: path.join(root, "server-token.key"),
      }),
    }),
    includeBundledPlugins: false,
    journalDirectory: path.join(root, ".journal"),
    trashDirectory: path.join(root, ".Trash"),
    ...options.agent,
  });
}
