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
    return { available: true, reason: "bubblewrap: read-only system, writable workspace, no network" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return { available: false, reason: "bubblewrap (bwrap) is not installed; `apt install bubblewrap` adds it" };
    }
    return { available: false, reason: `bubblewrap could not start (${(error as Error).message})` };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}
