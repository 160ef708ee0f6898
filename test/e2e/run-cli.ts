import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
export const cliPath = path.join(repositoryRoot, "dist", "cli", "main.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A throwaway home with its own XDG folders, so a test never touches the real user's files. */
export interface CliSandbox {
  home: string;
  configDirectory: string;
  dataDirectory: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  dispose(): Promise<void>;
}

export async function createCliSandbox(): Promise<CliSandbox> {
  const home = await mkdtemp(path.join(os.tmpdir(), "astros-cli-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    USER: "tester",
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_STATE_HOME: path.join(home, ".local", "state"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    NO_COLOR: "1",
  };
  const configDirectory = path.join(home, ".config", "astros");
  await mkdir(configDirectory, { recursive: true });
  return {
    home,
    configDirectory,
    dataDirectory: path.join(home, ".local", "share", "astros"),
    env,
    run: (args, options = {}) =>
      runCli(args, {
        env: { ...env, ...options.env },
        cwd: home,
        ...(options.input === undefined ? {} : { input: options.input }),
      }),
    dispose: () => rm(home, { recursive: true, force: true }),
  };
}

export function runCli(args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; input?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: options.env,
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

export interface RunningServer {
  /** http://127.0.0.1:PORT */
  base: string;
  process: ChildProcess;
  /** What the server has written to standard error so far. */
  stderr(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/** `astros serve` on a free port in the sandbox, once its standard error shows the address (and `ready`, if given). */
export async function startServer(sandbox: CliSandbox, options: { ready?: RegExp } = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [cliPath, "serve", "--port", "0"], {
    env: sandbox.env,
    cwd: sandbox.home,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stderr}`)), 20_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /AstrOS server on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
      if (url !== undefined && (options.ready === undefined || options.ready.test(stderr))) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited (${code}):\n${stderr}`)));
  });
  return {
    base,
    process: child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      return exited;
    },
  };
}
