import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runProcess } from "./run-process.js";

/** Whether commands can really be isolated here, and if not, why. */
export interface SandboxStatus {
  available: boolean;
  reason: string;
}

let status: Promise<SandboxStatus> | undefined;

/**
 * The sandbox proves itself before it is trusted: inside bubblewrap, a write to the system must fail,
 * a write to the workspace must succeed, and there must be no network but loopback. Checked once per
 * process; where it cannot be proved, callers say so and ask for confirmation instead.
 */
export function sandboxStatus(): Promise<SandboxStatus> {
  status ??= probeSandbox();
  return status;
}

/** Run the proof now (sandboxStatus() runs it once and remembers). */
export async function probeSandbox(): Promise<SandboxStatus> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), "astros-sandbox-probe-"));
  try {
    const script = [
      "if touch /usr/.astros-sandbox-probe 2>/dev/null; then echo system-writable; rm -f /usr/.astros-sandbox-probe; fi",
      "touch ./inside && echo workspace-writable",
      "echo interfaces=$(tail -n +3 /proc/net/dev | wc -l)",
    ].join("; ");
    const result = await runProcess({
      command: script,
      cwd: workspace,
      timeoutMilliseconds: 10_000,
      outputLimit: 4096,
      isolation: { writable: [workspace] },
    });
    if (result.exitCode === 127 || /bwrap: (not found|No such file)/.test(result.stderr)) {
      return { available: false, reason: "bubblewrap (bwrap) is not installed; `apt install bubblewrap` adds it" };
    }
    if (result.exitCode !== 0)
      return { available: false, reason: `bubblewrap does not work here: ${result.stderr.trim().split("\n")[0]}` };
    if (result.stdout.includes("system-writable"))
      return { available: false, reason: "inside bubblewrap the system was still writable" };
    if (!result.stdout.includes("workspace-writable"))
      return { available: false, reason: "inside bubblewrap the workspace was not writable" };
    const interfaces = Number(/interfaces=(\d+)/.exec(result.stdout)?.[1] ?? "99");
    if (interfaces > 1) return { available: false, reason: "inside bubblewrap the network was still reachable" };
    const confined = await probeConfinedView(workspace);
    if (confined !== undefined) return { available: false, reason: confined };
    return {
      available: true,
      reason:
        "bubblewrap: read-only system, writable workspace, no network; server users see only the system and their workspace",
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return { available: false, reason: "bubblewrap (bwrap) is not installed; `apt install bubblewrap` adds it" };
    }
    return { available: false, reason: `bubblewrap could not start (${(error as Error).message})` };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

/** What may be at the top of a confined user's sandbox: the system's folders, the fresh ones, and the way to the workspace. */
const confinedTopLevel = new Set(["usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "proc", "dev", "tmp", "var"]);

/**
 * The proof of the confined user's view: run in it, the root holds only system folders and the way to the
 * workspace, the server's HOME, /root, /home and /etc/shadow are not there, nothing but the workspace is
 * writable, and there is no network. Undefined when all of that holds, else what did not.
 */
async function probeConfinedView(workspace: string): Promise<string | undefined> {
  const operatorHome = os.homedir();
  const script = [
    'echo "top=$(ls -A / | tr "\\n" " ")"',
    `for p in ${["/root", "/home", "/etc/shadow", "/etc/ssh", operatorHome].map(quote).join(" ")}; do if [ -e "$p" ]; then echo "visible=$p"; fi; done`,
    "if touch /etc/.astros-probe 2>/dev/null || touch /usr/.astros-probe 2>/dev/null; then echo system-writable; fi",
    'touch "$HOME/inside" && echo workspace-writable',
    "echo interfaces=$(tail -n +3 /proc/net/dev | wc -l)",
  ].join("; ");
  const result = await runProcess({
    command: script,
    cwd: workspace,
    timeoutMilliseconds: 10_000,
    outputLimit: 16_384,
    isolation: { confinedTo: workspace },
  });
  if (result.exitCode !== 0) return `the server users' sandbox does not start: ${result.stderr.trim().split("\n")[0]}`;
  const top = (/top=(.*)/.exec(result.stdout)?.[1] ?? "").split(" ").filter(Boolean);
  const workspaceTop = workspace.split("/").filter(Boolean)[0];
  const extra = top.filter((name) => !confinedTopLevel.has(name) && name !== workspaceTop);
  if (extra.length > 0) return `the server users' sandbox shows more than the system (${extra.join(", ")})`;
  const visible = [...result.stdout.matchAll(/visible=(.*)/g)].map((match) => match[1]);
  // A folder on the way to the probe's own (a temporary HOME in /tmp, a TMPDIR in /home) is there as an empty skeleton.
  const shown = visible.filter((entry) => entry !== undefined && !isInside(workspace, entry));
  if (shown.length > 0) return `the server users' sandbox shows ${shown.join(", ")}`;
  if (result.stdout.includes("system-writable")) return "in the server users' sandbox the system was writable";
  if (!result.stdout.includes("workspace-writable")) return "in the server users' sandbox the workspace was not writable";
  const interfaces = Number(/interfaces=(\d+)/.exec(result.stdout)?.[1] ?? "99");
  if (interfaces > 1) return "in the server users' sandbox the network was still reachable";
  return undefined;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

function isInside(candidate: string, folder: string): boolean {
  return candidate === folder || candidate.startsWith(`${folder}/`);
}
