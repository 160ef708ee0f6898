import type { AIResponse, ChatOptions, ChatResponse, GenerationOptions, Message, ProviderCapabilities } from "../ai/ai-types.js";
import type { Logger } from "../core/logging/logger.js";
import type { Intent } from "../core/types/intent.js";
import type { Response } from "../core/types/response.js";
import type { PluginStorageApi } from "../store/plugin-storage.js";

/** What a handler gets besides its intent: scoped services and ways to report progress. */
export interface HandlerContext {
  /** The intent being handled (its entities are the handler's arguments). */
  intent: Intent;
  requestId: string;
  userId: string;
  sessionId: string;
  /** Aborted when the request is cancelled or the plugin's time limit passes. Long work must watch it. */
  signal: AbortSignal;
  logger: Logger;
  /** This plugin's own persistent key-value storage. */
  storage: PluginStorageApi;
  /** This plugin's settings from configuration (`[plugins.settings.<name>]`). */
  settings: Readonly<Record<string, unknown>>;
  /** Report progress of long work (0..100) with a short message. */
  progress(percent: number | undefined, message: string): void;
  /** Stream a piece of the answer as it is produced. */
  text(delta: string): void;
  /** Call another plugin's handler through the full pipeline (permissions, guard, audit). */
  callPlugin(pluginName: string, handlerName: string, data?: Record<string, unknown>): Promise<Response>;
  /**
   * Run a shell command line, judged by the command guard first: FORBIDDEN throws, DANGEROUS runs only
   * after the user confirms, MODERATE is reported with the response. Runs in its own process group with a
   * time limit, an output cap and an environment without secrets; audited. Needs the `shell` permission.
   */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Files, through the path guard (allowed roots, symlinks resolved, sensitive paths denied). Needs `file_system`. */
  files: GuardedFiles;
  /**
   * Ask before changing many files at once: resolves true at once when `count` is within
   * safety.bulk_threshold, else only when the user confirms (never silently on a non-interactive channel).
   */
  confirmBulk(count: number, summary: string): Promise<boolean>;
  /**
   * Ask before a risky step the guard cannot see in a command or path (stopping processes, say):
   * shows `summary` and `reasons`, resolves true only on an explicit yes (or the non-interactive policy).
   */
  confirm(summary: string, reasons?: readonly string[]): Promise<boolean>;
  /**
   * The AI provider AstrOS is configured with (the builtin engine when no LLM is), metered like the
   * agent's own calls: the user's LLM rate limits, tokens and cost, the audit log. Needs `ai`.
   */
  ai: HandlerAI;
}

/** AI for plugins: the seed's complete, chat, embed and analyzeImage. */
export interface HandlerAI {
  /** `builtin`, or the LLM provider's name. */
  readonly provider: string;
  readonly model: string;
  readonly capabilities: ProviderCapabilities;
  complete(prompt: string, options?: GenerationOptions): Promise<AIResponse>;
  /** With `tools`, the answer may hold tool calls: they are the plugin's to act on, nothing runs by itself. */
  chat(messages: readonly Message[], options?: ChatOptions): Promise<ChatResponse>;
  /** One vector per text: the provider's embeddings where it has them, else the builtin embedding (see `embeddingModel`). */
  embed(texts: readonly string[]): Promise<number[][]>;
  /** Which embedding `embed` gives: vectors of different models must not be compared. */
  readonly embeddingModel: string;
  /** Ask about an image file (through the path guard); providers without vision refuse with AI_NOT_SUPPORTED. */
  analyzeImage(path: string, prompt: string, options?: GenerationOptions): Promise<AIResponse>;
}

export interface ExecOptions {
  /** Working directory (default: the request's). Must be inside the allowed roots. */
  cwd?: string;
  /** Seconds before the command (and its children) is killed (default safety.command_timeout). */
  timeoutSeconds?: number;
  /** Text for the command's standard input. */
  input?: string;
  /** Extra environment variables (the rest of AstrOS's environment is not passed on). */
  env?: Record<string, string>;
  /**
   * Run it in the sandbox (bubblewrap): the system read-only, only the working folder writable, no
   * network. Where the sandbox cannot be proved to work, the user is asked before it runs without one.
   */
  isolate?: boolean;
  /**
   * The command launches a program meant to keep running after it ends (a desktop application
   * started in a session of its own): AstrOS does not kill what the command leaves behind. The
   * timeout still applies to the command itself.
   */
  detach?: boolean;
}

export interface ExecResult {
  command: string;
  /** Exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when output beyond safety.command_output_limit was dropped. */
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
  /** The guard's risk level for the command. */
  risk: string;
  /** True when it ran in the sandbox. */
  isolated: boolean;
}

export interface FileEntry {
  name: string;
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  modified: Date;
  /** Permission bits, as chmod takes them (0o644). */
  mode?: number;
}

/** Where a change put a file: `collision` is true when the wanted name was taken and a free one (`name (1).ext`) was used. */
export interface FileChange {
  path: string;
  collision: boolean;
}

/**
 * The FileManager a handler gets: every path through the path guard (allowed roots, symlinks resolved,
 * sensitive paths denied), every change journaled before it happens so `astros undo` can revert the
 * whole tool call byte for byte, nothing ever overwritten, deletes into the trash.
 */
export interface GuardedFiles {
  /** The real path (symlinks resolved) if the path guard allows it; otherwise throws PATH_DENIED naming the rule. */
  resolve(path: string): Promise<string>;
  /** A text file's content; refuses binary files and files over maxBytes (default 10 MiB). */
  readFile(path: string, options?: { maxBytes?: number }): Promise<string>;
  listDirectory(path: string): Promise<FileEntry[]>;
  stat(path: string): Promise<FileEntry>;
  /** Write a file whole; what it replaces is kept for undo. */
  writeFile(path: string, content: string | Uint8Array): Promise<FileChange>;
  /** Create a folder and any missing parents. */
  createDirectory(path: string): Promise<string>;
  /** Move into a folder (keeping the name) or to a new path; across devices too; never overwrites. */
  moveFile(source: string, destination: string): Promise<FileChange>;
  /** Move many files at once (one journal sync per batch): the way bulk tools such as organize move. */
  moveFiles(moves: ReadonlyArray<{ source: string; destination: string }>): Promise<FileChange[]>;
  /** Where moveFiles would put each file, without moving anything (a dry run's exact plan, new names included). */
  planMoves(moves: ReadonlyArray<{ source: string; destination: string }>): Promise<FileChange[]>;
  /** Copy a file with its timestamps; never overwrites. */
  copyFile(source: string, destination: string): Promise<FileChange>;
  /** Rename within the same folder. */
  renameFile(source: string, newName: string): Promise<FileChange>;
  /** Move to the trash (freedesktop), never unlink. */
  deleteFile(path: string): Promise<{ path: string; trashPath: string }>;
  /**
   * Set a file's or folder's permission bits (`0o600`), never through a link; judged as replacing what the path is
   * (refused on protected places, asked on start-up files), journaled so undo puts the old bits back.
   */
  setMode(path: string, mode: number): Promise<{ path: string; previousMode: number; mode: number }>;
}
