import path from "node:path";
import * as z from "zod";
import type { FileJournal } from "../exec/journal/file-journal.js";
import { emptyTrash, listTrash, restoreItem, type TrashItem } from "../exec/trash-bin.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import type { Effect } from "../safety/effect-policy/effect.js";
import type { EffectDecision } from "../safety/effect-policy/effect-policy.js";
import { formatBytes } from "../tools/shared/format-bytes.js";

export interface TrashPluginOptions {
  version: string;
  journal: FileJournal;
  /** The freedesktop trash (`$XDG_DATA_HOME/Trash`). */
  trashDirectory: string;
  /** The effect policy: where a restored file may go back to. */
  judge: (effects: readonly Effect[]) => EffectDecision;
}

/** An item as a person knows it: where it was, else its name in the trash. */
function shown(item: TrashItem): string {
  return item.original ?? item.name;
}

/**
 * The trash items a name means: the same name (or path, or its end) as where an item was, or its name in the trash;
 * of several trashed from the same place, the newest.
 */
export function itemsNamed(items: readonly TrashItem[], wanted: string): TrashItem[] {
  const name = wanted.trim().replace(/^~\//, "").replace(/\/+$/, "").toLowerCase();
  if (name === "") return [];
  const matches = items.filter((item) => {
    const original = item.original?.toLowerCase();
    return (
      item.name.toLowerCase() === name ||
      (original !== undefined && (path.basename(original) === name || original === name || original.endsWith(`/${name}`)))
    );
  });
  const newestPerPlace = new Map<string, TrashItem>();
  for (const item of matches) if (!newestPerPlace.has(shown(item))) newestPerPlace.set(shown(item), item);
  return [...newestPerPlace.values()];
}

/**
 * The trash as everyday tools: what is in it, putting things back where they were (undoable), and emptying it for
 * good (asked first: it cannot be undone). It works on the freedesktop trash, whoever put things there.
 */
export function createTrashPlugin(options: TrashPluginOptions) {
  return definePlugin({
    name: "trash",
    version: options.version,
    description: "The trash: what is in it, restore from it, empty it",
    author: "AstrOS",
    requiresPermissions: ["file_system"],
    handlers: {
      list: defineHandler({
        intent: "trash.list",
        priority: 1,
        readOnly: true,
        description: "Show what is in the trash",
        examples: ["what's in the trash", "show the trash"],
        run: async () => {
          const items = await listTrash(options.trashDirectory);
          if (items.length === 0) return { success: true, message: "The trash is empty.", data: { items: [] } };
          const bytes = items.reduce((sum, item) => sum + item.bytes, 0);
          return {
            success: true,
            message: [
              `The trash holds ${items.length} item${items.length === 1 ? "" : "s"} (${formatBytes(bytes)}):`,
              ...items
                .slice(0, 30)
                .map((item) => `  ${shown(item)}${item.kind === "folder" ? "/" : ""}  ${formatBytes(item.bytes)}`),
              ...(items.length > 30 ? [`  … and ${items.length - 30} more`] : []),
            ].join("\n"),
            data: {
              items: items.map(({ name, original, deletedAt, bytes: size }) => ({ name, original, deletedAt, bytes: size })),
            },
          };
        },
      }),
      empty: defineHandler({
        intent: "trash.empty",
        priority: 1,
        description: "Empty the trash for good (asks first: it cannot be undone)",
        examples: ["empty the trash"],
        run: async (_args, context) => {
          const items = await listTrash(options.trashDirectory);
          if (items.length === 0)
            return { success: true, message: "The trash is already empty; nothing was freed.", data: { items: 0, bytes: 0 } };
          const bytes = items.reduce((sum, item) => sum + item.bytes, 0);
          const listed = items.slice(0, 10).map((item) => `  ${shown(item)}`);
          const summary = `delete the ${items.length} item${items.length === 1 ? "" : "s"} in the trash for good (${formatBytes(bytes)})`;
          const question = [`${summary}:`, ...listed, ...(items.length > 10 ? [`  … and ${items.length - 10} more`] : [])].join(
            "\n",
          );
          if (!(await context.confirm(question, ["emptying the trash cannot be undone"]))) {
            return { success: false, message: `Not done: ${summary} was not confirmed.` };
          }
          const freed = await emptyTrash(options.trashDirectory, context.signal, (done, total) =>
            context.progress((done / total) * 100, `deleted ${done} of ${total} items`),
          );
          return {
            success: true,
            message: `Emptied the trash: ${freed.items} item${freed.items === 1 ? "" : "s"} deleted for good, ${formatBytes(freed.bytes)} freed. This cannot be undone.`,
            data: freed,
          };
        },
      }),
      restore: defineHandler({
        intent: "trash.restore",
        priority: 1,
        description: "Put something from the trash back where it was (undo trashes it again)",
        examples: ["restore report.pdf from the trash"],
        args: z.object({ name: z.string().min(1).optional(), all: z.boolean().optional() }),
        run: async (args, context) => {
          const items = await listTrash(options.trashDirectory);
          const chosen = args.all === true ? items : itemsNamed(items, args.name ?? "");
          if (chosen.length === 0) {
            const names = items.slice(0, 10).map((item) => `  ${shown(item)}`);
            return {
              success: false,
              message: [
                args.all === true || args.name === undefined
                  ? "The trash is empty; nothing to restore."
                  : `Nothing called "${args.name}" is in the trash.`,
                ...(names.length > 0 && args.all !== true ? ["In the trash:", ...names] : []),
              ].join("\n"),
            };
          }
          if (chosen.length > 1 && args.all !== true) {
            return {
              success: false,
              message: [
                `Several things called "${args.name}" are in the trash; say which (give its folder):`,
                ...chosen.map((item) => `  ${shown(item)}`),
              ].join("\n"),
              data: { matches: chosen.map(shown) },
            };
          }
          const unknownPlace = chosen.filter((item) => item.original === undefined);
          if (unknownPlace.length > 0) {
            return {
              success: false,
              message: `Not restored: the trash does not say where ${unknownPlace.map((item) => item.name).join(", ")} came from.`,
            };
          }
          // Back only where this user may write, and never into AstrOS's own state or a place the policy protects.
          for (const item of chosen) {
            const place = item.original ?? "";
            let folder = path.dirname(place);
            while (
              folder !== path.dirname(folder) &&
              !(await context.files.stat(folder).then(
                () => true,
                () => false,
              ))
            )
              folder = path.dirname(folder);
            await context.files.resolve(folder);
            const decision = options.judge([{ kind: "create", path: place, shown: place }]);
            if (decision.verdict === "deny") return { success: false, message: `Not restored: ${decision.reason}` };
            if (decision.verdict === "ask" && !(await context.confirm(`put ${place} back`, decision.reasons))) {
              return { success: false, message: `Not restored: putting ${place} back was not confirmed.` };
            }
          }
          if (chosen.length > 1 && !(await context.confirmBulk(chosen.length, `restore ${chosen.length} items from the trash`))) {
            return { success: false, message: `Not restored: ${chosen.length} items was not confirmed.` };
          }
          const operation = await options.journal.begin({
            userId: context.userId,
            sessionId: context.sessionId,
            tool: "trash.restore",
            description: `restore ${chosen.length === 1 ? shown(chosen[0] as TrashItem) : `${chosen.length} items`} from the trash`,
          });
          const restored: Array<{ path: string; collision: boolean }> = [];
          try {
            for (const item of chosen) {
              context.signal.throwIfAborted();
              restored.push(await restoreItem(item, operation));
            }
          } finally {
            await operation.commit();
          }
          const lines = restored.map(
            (entry) => `Restored ${entry.path}${entry.collision ? " (its old name was taken, so it got a new one)" : ""}.`,
          );
          return {
            success: true,
            message: [...lines, 'Say "undo" to put it back in the trash.'].join("\n"),
            data: { restored, operation: operation.id },
          };
        },
      }),
    },
  });
}
