import * as z from "zod";
import type { FileJournal } from "../exec/journal/file-journal.js";
import { operationToUndo, undoOperation } from "../exec/journal/undo-operation.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import type { HandlerDefinition } from "../plugins/handler-definition.js";

export interface Capability {
  plugin: string;
  handler: HandlerDefinition;
}

/** AstrOS's own handlers (help, undo), written with the plugin SDK like any plugin. */
export function createCorePlugin(options: { version: string; journal: FileJournal; listCapabilities: () => Capability[] }) {
  return definePlugin({
    name: "core",
    version: options.version,
    description: "AstrOS itself: help, what it can do, and undo",
    author: "AstrOS",
    handlers: {
      undo: defineHandler({
        intent: "files.undo",
        priority: 1,
        description: "Undo the last file change AstrOS made (or a chosen one from `astros history`)",
        examples: ["undo", "undo that", "undo the last operation", "revert what you just did"],
        args: z.object({ operation: z.string().optional() }),
        run: async (args, context) => {
          const target = await operationToUndo(options.journal, context.userId, args.operation);
          if (!(await context.confirmBulk(target.changes, `undo "${target.description}" (${target.changes} changes)`))) {
            return {
              success: false,
              message: `Not undone: "${target.description}" has ${target.changes} changes and was not confirmed.`,
            };
          }
          const result = await undoOperation(options.journal, target, context.userId, context.sessionId, (done, total) =>
            context.progress((done / Math.max(1, total)) * 100, `put back ${done} of ${total} changes`),
          );
          const lines = [
            `Undid "${target.description}": ${result.reverted} of ${target.changes} changes put back.`,
            ...result.problems.map((problem) => `  not put back: ${problem}`),
          ];
          return {
            success: result.problems.length === 0,
            message: lines.join("\n"),
            data: { undone: target.id, operation: result.operation, reverted: result.reverted, problems: result.problems },
          };
        },
      }),
      help: defineHandler({
        intent: "help",
        priority: 1,
        readOnly: true,
        description: "Explain what AstrOS can do",
        examples: ["help", "what can you do"],
        run: async () => {
          const capabilities = options
            .listCapabilities()
            .filter(({ handler }) => handler.intent !== "help")
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
