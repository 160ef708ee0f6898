import { defineHandler, definePlugin, z } from "../../sdk.js";

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
    requiresPermissions: ["shell"],
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
            message: [shown === "" ? "(no output)" : shown, ...(notes.length > 0 ? [`[${notes.join("; ")}]`] : [])].join("\n"),
            data: { ...result },
          };
        },
      }),
    },
  });
}
