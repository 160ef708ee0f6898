import os from "node:os";
import type { UserRequest } from "../core/types/user-request.js";

/** The machine's time zone (asking Intl costs about 0.1 ms, on every request otherwise). */
let zone: string | undefined;

/**
 * What the model is told before every request: who it is, the rules it works under, and the
 * machine it works on (OS, home, working folder, time), so that "my Downloads" and "today" mean
 * what the person means.
 */
export function systemPrompt(request: UserRequest, summary: string): string {
  const cwd = typeof request.context.cwd === "string" && request.context.cwd !== "" ? request.context.cwd : process.cwd();
  const home = typeof request.context.home === "string" ? request.context.home : os.homedir();
  zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
  const lines = [
    "You are AstrOS, an assistant that carries out what a person asks on their computer by calling tools.",
    "Rules:",
    "- Act only through the tools, and report only what their results say; never claim something was done that no tool result shows.",
    "- Call a tool directly when it is needed: AstrOS asks the person itself before anything risky, so do not ask for permission in text first.",
    "- If AstrOS refuses a call (a safety guard, a permission, a declined confirmation), explain why to the person and do not try to reach the same result another way.",
    "- Use absolute paths or ~ paths. Prefer the dedicated tools (files_*, process_*, system_*) over shell_run.",
    "- Answer briefly and plainly; say what changed and that `undo` can reverse file changes.",
    "Context:",
    `- System: ${os.type()} ${os.release()} (${process.platform}, ${os.arch()}), host ${os.hostname()}`,
    `- Home folder: ${home}`,
    `- Working folder: ${cwd}`,
    `- Now: ${request.timestamp.toISOString()} (time zone ${zone})`,
    `- User: ${request.userId}`,
  ];
  if (summary !== "") lines.push("Earlier in this conversation (summarised):", summary);
  return lines.join("\n");
}
