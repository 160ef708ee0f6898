import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { cleanEnvironment, confinedEnvironment } from "./clean-environment.js";
import { confinedSandboxArguments } from "./sandbox/confined-sandbox.js";

export interface RunProcessOptions {
  /** A bash command line; it is run by `bash -c`, in its own process group. */
  command: string;
  cwd: string;
  /** Killed (the whole process group) after this long. */
  timeoutMilliseconds: number;
  /** Bytes of stdout and of stderr kept; the rest is dropped and `truncated` says so. */
  outputLimit: number;
  /** Extra environment variables on top of the cleaned one. */
  env?: Readonly<Record<string, string>>;
  /** Text written to the command's stdin (default: none, stdin is closed). */
  input?: string;
  signal?: AbortSignal;
  /**
   * Run inside bubblewrap: the system read-only, only these folders (and a private /tmp) writable,
   * no network, its own process, IPC and user namespaces. Check `sandboxStatus()` first.
   */
  isolation?: { writable: readonly string[]; hidden?: readonly string[] } | ConfinedIsolation;
  /**
   * The command starts a program meant to outlive it (a desktop application): what it leaves behind
   * is not killed when the shell exits. A timeout or cancel still kills the whole group.
   */
  detach?: boolean;
}

/**
 * A confined (server) user's command: it runs in a sandbox built from nothing but the system's read-only
 * programs and libraries and this workspace (see confinedSandboxArguments), with the workspace as HOME
 * and an environment that names nothing of the server's. Check `sandboxStatus()` first.
 */
export interface ConfinedIsolation {
  confinedTo: string;
  /** Share the host's network (default: none). */
  network?: boolean;
}

export interface ProcessResult {
  /** Exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when output beyond the limit was dropped. */
  truncated: boolean;
  timedOut: boolean;
  /** True when the request was cancelled and the command killed. */
  aborted: boolean;
  durationMs: number;
}

const gracePeriodMilliseconds = 2_000;

/**
 * Run a command the way every AstrOS tool must: in its own process group (so a timeout or cancel
 * kills its children too), with a time limit, an output cap, and an environment without secrets.
 * This is the bare runner; tools reach it only through the guarded `context.exec`.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // --norc: bash reads ~/.bashrc even non-interactively when its standard input is a socket (as Node's
    // pipes are), taking it for a remote shell; the user's startup files must not run with every command.
    const shell = ["bash", "--norc", "--noprofile", "-c", options.command];
    const isolation = options.isolation;
    const confined = isolation !== undefined && "confinedTo" in isolation ? isolation : undefined;
    const sandbox =
      isolation === undefined
        ? []
        : "confinedTo" in isolation
          ? confinedSandboxArguments({
              workspace: isolation.confinedTo,
              cwd: options.cwd,
              ...(isolation.network === true ? { network: true } : {}),
            })
          : bubblewrapArguments(options.cwd, isolation.writable, isolation.hidden);
    const [program, ...programArguments] = isolation === undefined ? shell : ["bwrap", ...sandbox, ...shell];
    const child = spawn(program as string, programArguments, {
      cwd: options.cwd,
      env:
        confined === undefined
          ? cleanEnvironment(process.env, options.env)
          : confinedEnvironment(process.env, {
              home: realpathSync(confined.confinedTo),
              ...(options.env === undefined ? {} : { extra: options.env }),
            }),
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout = new CappedText(options.outputLimit);
    const stderr = new CappedText(options.outputLimit);
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const stop = () => {
      killGroup("SIGTERM");
      killTimer ??= setTimeout(() => killGroup("SIGKILL"), gracePeriodMilliseconds);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMilliseconds);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.add(chunk));
    child.stdin.on("error", () => {
      // The command did not read its input; that is its business.
    });
    child.stdin.end(options.input ?? "");
    child.once("error", (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    // The shell is gone: nothing it left behind in its group may outlive it (or hold the pipes open).
    // (A detached launcher's program may not have left the group yet: `setsid -f` forks before it
    // calls setsid(), so killing the group here would race it.)
    if (options.detach !== true) child.once("exit", () => killGroup("SIGKILL"));
    child.once("close", (exitCode, signal) => {
      clearTimeout(timer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve({
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated || stderr.truncated,
        timedOut,
        aborted,
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}

/** bubblewrap's arguments: read-only system, private /tmp, the writable folders bound back in, nothing shared. */
export function bubblewrapArguments(cwd: string, writable: readonly string[], hidden: readonly string[] = []): string[] {
  return [
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--tmpfs",
    "/tmp",
    // Folders the command must not even read (AstrOS's own data, other users' workspaces) are
    // covered by empty ones; a writable folder inside them is bound back afterwards.
    ...hidden.flatMap((folder) => ["--tmpfs", folder]),
    ...writable.flatMap((folder) => ["--bind", folder, folder]),
    "--unshare-all",
    "--die-with-parent",
    "--chdir",
    cwd,
    "--",
  ];
}

/** Collects output up to a byte limit and remembers whether anything was dropped. */
class CappedText {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const room = this.limit - this.#size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept !== chunk) this.truncated = true;
    this.#chunks.push(kept);
    this.#size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString("utf8");
  }
}
