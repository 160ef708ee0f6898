import { defineHandler, type HandlerContext, type HandlerResult, z } from "../../sdk.js";
import { classifyOpenTarget } from "./classify-open-target.js";
import { applicationDirectories, findDesktopEntry } from "./desktop-entries.js";
import { type DesktopSession, detectDesktopSession } from "./desktop-session.js";
import { quoteForShell } from "./quote-for-shell.js";

type OpenSession = Extract<DesktopSession, { available: true }>;

/**
 * `system.open`: a link, a file or folder, or an application, through the desktop's own opener
 * (xdg-open on Linux, open on macOS). Files pass the path guard first.
 */
export const openHandler = defineHandler({
  intent: "system.open",
  description: "Open a web link, a file or folder, or an application on the desktop, with the program the desktop chooses",
  examples: ["open https://example.com", "open my Downloads folder", "open report.pdf", "launch firefox", "open the calculator"],
  args: z.object({ target: z.string().trim().min(1) }),
  requiresPermissions: ["shell", "file_system"],
  run: async ({ target }, context): Promise<HandlerResult> => {
    const session = detectDesktopSession();
    if (!session.available) {
      return {
        success: false,
        message: `There is no desktop session to open ${target} in: ${session.reason}.`,
        data: { target, opened: false, reason: session.reason },
        suggestions: [session.suggestion],
      };
    }
    const classified = classifyOpenTarget(target);
    switch (classified.kind) {
      case "refused":
        return { success: false, message: `Not opening ${target}: ${classified.reason}.`, data: { target, opened: false } };
      case "url":
        return launch(context, target, "link", classified.url, opener(session, classified.url));
      case "path": {
        // The path guard judges the real path (symlinks followed); a denial is reported by the pipeline as PATH_DENIED.
        // "example.com" is a web site unless such a file exists where the guard lets us look.
        const resolved = classified.looksLikeWebSite
          ? await context.files.resolve(classified.path).catch(() => undefined)
          : await context.files.resolve(classified.path);
        if (resolved === undefined || !(await exists(context, resolved))) {
          if (classified.looksLikeWebSite) {
            const url = `https://${classified.path}`;
            return launch(context, target, "link", url, opener(session, url));
          }
          return {
            success: false,
            message: `There is no file or folder at ${classified.path} (${resolved}).`,
            data: { target, opened: false, path: resolved },
            suggestions: ["Check the name, or give the full path"],
          };
        }
        return launch(context, target, "file", resolved, opener(session, resolved));
      }
      case "app":
        return openApplication(context, session, target, classified.name);
    }
  },
});

/**
 * The command that hands something to the desktop. On Linux `setsid -f` starts the opener in a
 * session (and process group) of its own, so cancelling the request does not take the opened
 * program with it, and its output goes to /dev/null so the program does not hold the command's
 * pipes open; the command is run with `detach` so the launch is not killed while `setsid` is still
 * forking. macOS's `open` only asks launchd, which starts the application outside our group.
 */
function detached(session: OpenSession, words: readonly string[]): string {
  const command = words.map(quoteForShell).join(" ");
  return session.platform === "darwin" ? command : `setsid -f ${command} </dev/null >/dev/null 2>&1`;
}

function opener(session: OpenSession, what: string): string {
  return detached(session, [session.opener, what]);
}

async function openApplication(
  context: HandlerContext,
  session: OpenSession,
  target: string,
  name: string,
): Promise<HandlerResult> {
  if (session.platform === "darwin") return launch(context, target, "application", name, detached(session, ["open", "-a", name]));
  const entry = findDesktopEntry(name, applicationDirectories());
  if (entry === undefined) {
    return {
      success: false,
      message: `No installed application is called ${name}.`,
      data: { target, opened: false },
      suggestions: ["Check the application's name as the desktop's menu shows it", "Give a file or a link to open instead"],
    };
  }
  if (session.launcher === undefined) {
    return {
      success: false,
      message: `Found ${entry.name}, but no program to start desktop applications is installed (gtk-launch, gio, kioclient or dex).`,
      data: { target, opened: false, application: entry },
      suggestions: ["Install one, e.g. sudo apt install libgtk-3-bin for gtk-launch"],
    };
  }
  return launch(
    context,
    target,
    "application",
    entry.name,
    detached(session, [session.launcher.program, ...session.launcher.arguments(entry)]),
  );
}

async function launch(
  context: HandlerContext,
  target: string,
  kind: "link" | "file" | "application",
  what: string,
  command: string,
): Promise<HandlerResult> {
  context.progress(undefined, `opening ${what}`);
  const result = await context.exec(command, { timeoutSeconds: 15, detach: true });
  const data = { target, kind, opened: result.exitCode === 0, resolved: what, command };
  if (result.exitCode !== 0) {
    return {
      success: false,
      message: `Could not open ${what}: ${result.stderr.trim() || `the opener ended with ${result.exitCode ?? result.signal}`}.`,
      data,
    };
  }
  return { success: true, message: `Opened ${kind === "link" ? "" : `${kind} `}${what}.`, data };
}

async function exists(context: HandlerContext, realPath: string): Promise<boolean> {
  try {
    await context.files.stat(realPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return false;
    throw error;
  }
}
