import * as z from "zod";
import type { FileJournal, OperationSummary } from "../exec/journal/file-journal.js";
import {
  historyOf,
  newestOperations,
  operationDescribed,
  operationToUndo,
  undoOperation,
} from "../exec/journal/undo-operation.js";
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
        description: "Undo the last file change AstrOS made, the last few, or one named by what it was",
        examples: ["undo", "undo that", "undo the last 2 changes", "undo the rename of a.txt"],
        args: z.object({
          operation: z.string().optional(),
          /** The newest so many changes, newest first. */
          count: z.number().int().min(1).max(50).optional(),
          /** Words of the change meant: what it was done to ("a.txt", "the pdfs"). */
          about: z.string().min(1).optional(),
          /** The tool it was made with ("files.rename"). */
          action: z.string().optional(),
        }),
        run: async (args, context) => {
          if (args.action === "trash.empty") {
            return {
              success: false,
              message: "Emptying the trash cannot be undone: what was in it is gone for good. Nothing else was undone.",
            };
          }
          let targets: OperationSummary[];
          if (args.about !== undefined || args.action !== undefined) {
            const found = await operationDescribed(options.journal, context.userId, args.about ?? "", args.action);
            if (found === undefined) {
              const recent = (await newestOperations(options.journal, context.userId, 5)).map(
                (operation) => `  ${operation.description}`,
              );
              return {
                success: false,
                message: [
                  `Nothing undone: no change of yours still in effect matches "${[args.action?.replace(/^\w+\./, ""), args.about].filter(Boolean).join(" of ")}".`,
                  ...(recent.length > 0 ? ["Your latest changes:", ...recent] : ["You have no changes that are not undone."]),
                ].join("\n"),
              };
            }
            targets = [found];
          } else if (args.count !== undefined && args.operation === undefined) {
            targets = await newestOperations(options.journal, context.userId, args.count);
            if (targets.length === 0) await operationToUndo(options.journal, context.userId);
          } else {
            targets = [await operationToUndo(options.journal, context.userId, args.operation)];
          }
          const total = targets.reduce((sum, target) => sum + target.changes, 0);
          const what = targets.length === 1 ? `"${targets[0]?.description}"` : `your last ${targets.length} changes`;
          if (!(await context.confirmBulk(total, `undo ${what} (${total} changes)`))) {
            return { success: false, message: `Not undone: ${what} has ${total} changes and was not confirmed.` };
          }
          const lines: string[] = [];
          const problems: string[] = [];
          const undone: Array<{ undone: string; operation: string; reverted: number }> = [];
          for (const target of targets) {
            context.signal.throwIfAborted();
            const result = await undoOperation(options.journal, target, context.userId, context.sessionId, (done, count) =>
              context.progress((done / Math.max(1, count)) * 100, `put back ${done} of ${count} changes`),
            );
            lines.push(`Undid "${target.description}": ${result.reverted} of ${target.changes} changes put back.`);
            lines.push(...result.problems.map((problem) => `  not put back: ${problem}`));
            problems.push(...result.problems);
            undone.push({ undone: target.id, operation: result.operation, reverted: result.reverted });
          }
          if (args.count !== undefined && targets.length < args.count)
            lines.push(`You asked for ${args.count}; only ${targets.length} of your changes were still in effect.`);
          const [first] = undone;
          return {
            success: problems.length === 0,
            message: lines.join("\n"),
            data:
              undone.length === 1 && first !== undefined
                ? { ...first, problems }
                : { undone: undone.map((entry) => entry.undone), operations: undone, problems },
          };
        },
      }),
      history: defineHandler({
        intent: "files.history",
        priority: 1,
        readOnly: true,
        description: "List the file changes AstrOS made for you, newest first, and which are undone",
        examples: ["what did you change today", "show my history"],
        args: z.object({ limit: z.number().int().min(1).max(100).default(15) }),
        run: async (args, context) => {
          const history = (await historyOf(options.journal, context.userId)).filter(
            (operation) => operation.state !== "open" && operation.changes > 0,
          );
          if (history.length === 0)
            return { success: true, message: "I have not changed any files for you yet.", data: { operations: [] } };
          const shown = history.slice(0, args.limit);
          const lines = shown.map((operation) => {
            const when = operation.startedAt.toISOString().replace("T", " ").slice(0, 16);
            const state = operation.undoes !== undefined ? "(an undo)" : operation.state === "undone" ? "(undone)" : "";
            return `  ${when}  ${operation.description} — ${operation.changes} change${operation.changes === 1 ? "" : "s"} ${state}`.trimEnd();
          });
          return {
            success: true,
            message: [
              `Your latest ${shown.length === 1 ? "change" : `${shown.length} changes`}, newest first:`,
              ...lines,
              ...(history.length > shown.length ? [`  … and ${history.length - shown.length} earlier`] : []),
              'Say "undo" for the newest, or "undo the last 2 changes".',
            ].join("\n"),
            data: { operations: shown },
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
