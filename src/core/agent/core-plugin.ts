import { defineHandler, definePlugin } from "../../plugins/define-plugin.js";
import type { HandlerDefinition } from "../../plugins/handler-definition.js";

export interface Capability {
  plugin: string;
  handler: HandlerDefinition;
}

/** AstrOS's own handlers (help), written with the public SDK like any plugin. */
export function createCorePlugin(options: { version: string; listCapabilities: () => Capability[] }) {
  return definePlugin({
    name: "core",
    version: options.version,
    description: "AstrOS itself: help and what it can do",
    author: "AstrOS",
    handlers: {
      help: defineHandler({
        intent: "help",
        priority: 1,
        readOnly: true,
        description: "Explain what AstrOS can do",
        examples: ["help", "what can you do"],
        run: async () => {
          const capabilities = options
            .listCapabilities()
            .filter(({ plugin }) => plugin !== "core")
            .map(({ plugin, handler }) => ({
              intent: handler.intent,
              plugin,
              description: handler.description,
              example: handler.examples[0],
            }));
          const lines = capabilities.map(
            (capability) =>
              `  • ${capability.description || capability.intent}${capability.example ? ` — try "${capability.example}"` : ""}`,
          );
          return {
            success: true,
            message: [
              "I'm AstrOS. Tell me what you want done on this computer, in your own words.",
              capabilities.length > 0 ? "Right now I can:" : "No plugins with capabilities are loaded yet.",
              ...lines,
            ].join("\n"),
            data: { capabilities },
            suggestions: capabilities.flatMap((capability) => (capability.example ? [capability.example] : [])).slice(0, 5),
          };
        },
      }),
    },
  });
}
