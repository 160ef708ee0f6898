import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants, realpathSync } from "node:fs";
import { ProcessingError } from "../../core/errors/processing-error.js";
import { confinedEnvironment } from "../../exec/clean-environment.js";
import { confinedSandboxArguments } from "../../exec/sandbox/confined-sandbox.js";
import { openInside } from "./open-inside.js";

/** A command started in the background in a session's sandbox. */
export interface BackgroundProcess {
  /** The sandbox's process id (its process group). */
  pid: number;
  command: string;
  /** `stopped`: ended after a stop was asked for; `exited`: ended by itself. */
  status: "running" | "exited" | "stopped";
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Where its output goes, relative to the workspace: `.agent_logs/<id>.log`. */
  log: string;
  started: Date;
  ended?: Date;
}

export interface SessionProcessesOptions {
  /** The session's workspace: the only writable folder, and where commands start. */
  workspace: string;
  /** Give the sandbox the machine's network (safety.confined_network; default none). */
  network?: boolean;
  /** Between SIGTERM and SIGKILL (default 5 s). */
  gracePeriodMilliseconds?: number;
}

/** The folder inside a workspace that background processes' logs go to (as in the seed). */
export const logFolder = ".agent_logs";
/** Finished processes still listed, per session (the oldest are forgotten). */
const keptFinished = 50;
/** The most of a log read to find its last lines. */
const tailBytes = 2 * 1024 * 1024;

interface Entry {
  info: BackgroundProcess;
  logName: string;
  exited: Promise<void>;
  stopAsked: boolean;
  killTimer?: NodeJS.Timeout;
}

/**
 * One session's background processes: each in the confined users' bubblewrap sandbox (the system's
 * programs read-only, the workspace writable and its HOME, nothing else of the machine, no network), in its
 * own process group, output appended to its log in the workspace. The caller judges the command first.
 */
export class SessionProcesses {
  readonly #entries = new Map<number, Entry>();
  readonly #options: SessionProcessesOptions;

  constructor(options: SessionProcessesOptions) {
    this.#options = options;
  }

  get running(): number {
    return [...this.#entries.values()].filter((entry) => entry.info.status === "running").length;
  }

  async start(command: string): Promise<BackgroundProcess> {
    const { workspace } = this.#options;
    const logName = `${randomBytes(6).toString("hex")}.log`;
    const { O_WRONLY, O_CREAT, O_EXCL, O_APPEND } = constants;
    const log = await openInside(workspace, [logFolder, logName], O_WRONLY | O_CREAT | O_EXCL | O_APPEND, {
      mode: 0o600,
      createFolders: true,
    }).catch((error: unknown) => {
      // The workspace is the user's: what they put where the logs go (a link, a file) is refused, never followed.
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ProcessingError(`Could not create the process log in ${logFolder}/ of the workspace (${reason})`, {
        code: "FILE_SYSTEM_REFUSED",
        recovery: `Make sure ${logFolder} in the workspace is a plain folder (or remove it).`,
        cause: error,
      });
    });
    let child: ChildProcess;
    let ended: Promise<[number | null, NodeJS.Signals | null]>;
    try {
      const sandbox = confinedSandboxArguments({ workspace, ...(this.#options.network === true ? { network: true } : {}) });
      child = spawn("bwrap", [...sandbox, "bash", "--norc", "--noprofile", "-c", command], {
        cwd: workspace,
        env: confinedEnvironment(process.env, { home: realpathSync(workspace) }),
        detached: true,
        stdio: ["ignore", log.fd, log.fd],
      });
      const started = child;
      ended = new Promise((resolve) => started.once("exit", (exitCode, signal) => resolve([exitCode, signal])));
      await new Promise<void>((resolve, reject) => {
        started.once("spawn", resolve);
        started.once("error", reject);
      });
    } finally {
      await log.close();
    }
    const pid = child.pid;
    if (pid === undefined) throw new Error("the sandbox did not start");
    const info: BackgroundProcess = {
      pid,
      command,
      status: "running",
      exitCode: null,
      signal: null,
      log: `${logFolder}/${logName}`,
      started: new Date(),
    };
    const entry: Entry = { info, logName, stopAsked: false, exited: Promise.resolve() };
    entry.exited = ended.then(([exitCode, signal]) => {
      info.status = entry.stopAsked ? "stopped" : "exited";
      info.exitCode = exitCode;
      info.signal = signal;
      info.ended = new Date();
      if (entry.killTimer !== undefined) clearTimeout(entry.killTimer);
      // Nothing it left behind in its group may outlive it.
      killGroup(pid, "SIGKILL");
      this.#forgetOldest();
    });
    this.#entries.set(pid, entry);
    return { ...info };
  }

  list(): BackgroundProcess[] {
    return [...this.#entries.values()].map((entry) => ({ ...entry.info }));
  }

  get(pid: number): BackgroundProcess | undefined {
    const entry = this.#entries.get(pid);
    return entry === undefined ? undefined : { ...entry.info };
  }

  /** SIGTERM to the process group now, SIGKILL after the grace period; false when it is not running. */
  stop(pid: number): boolean {
    const entry = this.#entries.get(pid);
    if (entry === undefined || entry.info.status !== "running") return false;
    entry.stopAsked = true;
    killGroup(pid, "SIGTERM");
    entry.killTimer ??= setTimeout(() => killGroup(pid, "SIGKILL"), this.#options.gracePeriodMilliseconds ?? 5_000);
    entry.killTimer.unref();
    return true;
  }

  /** Stop every running process and wait until they are gone. */
  async stopAll(): Promise<void> {
    const running = [...this.#entries.values()].filter((entry) => entry.info.status === "running");
    for (const entry of running) this.stop(entry.info.pid);
    await Promise.all(running.map((entry) => entry.exited));
  }

  /** The last `lines` lines of a process's log; undefined when the log is gone (or was replaced by something else). */
  async readLog(pid: number, lines: number): Promise<string | undefined> {
    const entry = this.#entries.get(pid);
    if (entry === undefined) return undefined;
    let handle: Awaited<ReturnType<typeof openInside>>;
    try {
      // Non-blocking: a named pipe put in place of the log must not hang the server.
      handle = await openInside(this.#options.workspace, [logFolder, entry.logName], constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) return undefined;
      const length = Math.min(stats.size, tailBytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, stats.size - length);
      return lastLines(buffer.toString("utf8"), lines, length < stats.size);
    } finally {
      await handle.close();
    }
  }

  #forgetOldest(): void {
    const finished = [...this.#entries.values()].filter((entry) => entry.info.status !== "running");
    for (const entry of finished.slice(0, Math.max(0, finished.length - keptFinished))) this.#entries.delete(entry.info.pid);
  }
}

/** The last `count` lines of a text (whose first line may be cut when it is a tail of something longer). */
export function lastLines(text: string, count: number, cut = false): string {
  const lines = text.split("\n");
  const endsWithNewline = lines.at(-1) === "";
  if (endsWithNewline) lines.pop();
  if (cut) lines.shift();
  const kept = lines.slice(-count);
  return kept.length === 0 ? "" : `${kept.join("\n")}${endsWithNewline ? "\n" : ""}`;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
