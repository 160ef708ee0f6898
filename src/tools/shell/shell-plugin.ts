import { defineHandler, definePlugin, type GuardedFiles, z } from "../../sdk.js";

/** Why a command cannot run in the folder asked for (it is not there, or is a file); undefined when it can. */
async function missingFolder(folder: string, files: GuardedFiles): Promise<string | undefined> {
  try {
    const entry = await files.stat(folder);
    return entry.type === "directory" ? undefined : `${folder} is not a folder`;
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (/^(?:ENOENT|ENOTDIR|FILE_NOT_FOUND|NOT_FOUND|PATH_NOT_FOUND)$/.test(code)) return `There is no folder ${folder}`;
    throw error;
  }
}

/** The most output shown in the message; the data keeps everything the runner kept. */
const shownCharacters = 4000;

/**
 * shell.run: a command line, judged by the command guard before it runs (FORBIDDEN never, DANGEROUS
 * after a yes), run in its own process group with a time limit, an output cap and no secrets in its
 * environment; in the bubblewrap sandbox when asked (argument `isolate`, or the plugin setting).
 */
export function createShellTools() {
  return definePlugin({
    name: "shell",
    version: "1.0.0",
    description: "Run shell commands, judged by the command guard first",
    author: "AstrOS",
    requiresPermissions: ["shell", "file_system"],
    handlers: {
      run: defineHandler({
        intent: "shell.run",
        commandArgs: ["command"],
        pathArgs: ["cwd"],
        description: "Run a shell command (risky ones are confirmed first, forbidden ones never run)",
        examples: ["run ls -la", "run the command git status"],
        args: z.object({
          command: z.string().min(1),
          cwd: z.string().optional(),
          timeout: z.number().positive().optional(),
          isolate: z.boolean().optional(),
        }),
        run: async (args, context) => {
          const isolate = args.isolate ?? context.settings.isolate === true;
          // "run ls in Documents/Work Stuff": that folder, or nothing runs (never the command in another folder).
          if (args.cwd !== undefined) {
            const missing = await missingFolder(args.cwd, context.files);
            if (missing !== undefined) return { success: false, message: `${missing}; nothing was run.` };
          }
          const result = await context.exec(args.command, {
            ...(args.cwd === undefined ? {} : { cwd: args.cwd }),
            ...(args.timeout === undefined ? {} : { timeoutSeconds: args.timeout }),
            isolate,
          });
          const output =
            `${result.stdout}${result.stderr === "" ? "" : result.stdout === "" ? result.stderr : `\n${result.stderr}`}`.trimEnd();
          const shown =
            output.length > shownCharacters
              ? `${output.slice(0, shownCharacters)}\n… (${output.length - shownCharacters} more characters in the data)`
              : output;
          const status = result.timedOut
            ? `stopped after the time limit`
            : result.exitCode === 0
              ? ""
              : result.signal !== null
                ? `ended by ${result.signal}`
                : `exit code ${result.exitCode}`;
          const notes = [
            status,
            result.truncated ? "output cut at the limit" : "",
            result.isolated ? "ran in the sandbox" : "",
          ].filter(Boolean);
          return {
            success: result.exitCode === 0 && !result.timedOut,
            message: [
              ...(args.cwd === undefined ? [] : [`In ${args.cwd}:`]),
              shown === "" ? "(no output)" : shown,
              ...(notes.length > 0 ? [`[${notes.join("; ")}]`] : []),
            ].join("\n"),
            data: { ...result },
          };
        },
      }),
    },
  });
}
