import { defineHandler, definePlugin, ProcessingError, z } from "../../sdk.js";
import { applyModeChange, describeMode, isModeChange, modeLetters } from "./file-mode.js";

const modeHelp =
  "Say it as 600 or 755, as +x or go-w, or in words: private, only I can read it, read-only, executable, not executable.";

/**
 * Permissions without a shell: make a script executable, make a file private or read-only, or set chmod bits.
 * The change goes through the path guard and the effect policy (protected places refused, start-up files asked)
 * and the journal, so `astros undo` puts the old bits back.
 */
export function createPermissionTools() {
  return definePlugin({
    name: "permissions",
    version: "1.0.0",
    description: "Permissions: make a file executable, private or read-only, or set its mode (undoable)",
    author: "AstrOS",
    requiresPermissions: ["file_system"],
    handlers: {
      change: defineHandler({
        intent: "permissions.change",
        pathArgs: ["path"],
        // New permissions replace what anyone may do with the path: refused on protected places, asked on start-up files.
        pathEffects: { path: "overwrite" },
        description: "Change who may read, change or run a file or folder (undo puts the old permissions back)",
        examples: ["make backup.sh executable", "chmod 600 notes.txt"],
        args: z.object({
          path: z.string(),
          mode: z.string().refine(isModeChange, { message: modeHelp }),
        }),
        run: async (args, context) => {
          const info = await context.files.stat(args.path);
          if (info.type !== "file" && info.type !== "directory") {
            throw new ProcessingError(`${args.path} is not a file or a folder; its permissions are not changed`, {
              code: "REQUEST_INVALID",
            });
          }
          const isDirectory = info.type === "directory";
          const before = info.mode ?? 0;
          const wanted = applyModeChange(args.mode, before, isDirectory);
          const change = await context.files.setMode(args.path, wanted);
          const what = isDirectory ? "folder" : "file";
          const now = `${modeLetters(change.mode)}: ${describeMode(change.mode, isDirectory)}`;
          if (change.previousMode === change.mode) {
            return {
              success: true,
              message: `${change.path} already has those permissions (${now}); nothing changed.`,
              data: { path: change.path, mode: change.mode.toString(8), previousMode: change.previousMode.toString(8) },
            };
          }
          return {
            success: true,
            message: `Changed the permissions of the ${what} ${change.path} from ${modeLetters(change.previousMode)} to ${now}. Say "undo" to put the old ones back.`,
            data: {
              path: change.path,
              mode: change.mode.toString(8).padStart(3, "0"),
              previousMode: change.previousMode.toString(8).padStart(3, "0"),
            },
          };
        },
      }),
    },
  });
}
