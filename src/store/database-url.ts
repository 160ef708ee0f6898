import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { StorageError } from "../core/errors/storage-error.js";
import { redactDatabaseUrl } from "./redact-database-url.js";

/** Where a database URL points, resolved to what the matching implementation needs. */
export type DatabaseTarget =
  | { kind: "sqlite" /** An absolute path, or ":memory:". */; filePath: string }
  | { kind: "postgres"; url: string };

export interface ParseDatabaseUrlOptions {
  url: string;
  /** Base for relative file paths; defaults to the current working directory. */
  workingDirectory?: string;
  /** What a leading `~/` stands for; defaults to the user's home directory. */
  homeDirectory?: string;
}

/** The URL forms AstrOS accepts, listed in error messages. */
export const acceptedDatabaseUrlForms: readonly string[] = [
  "sqlite:///absolute/path/astros.db",
  "sqlite::memory:",
  "a file path such as ./astros.db or ~/astros.db",
  "postgres://user:password@host:5432/database (or postgresql://)",
];

const memory = ":memory:";
const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const windowsDrive = /^[A-Za-z]:[\\/]/;

/** Decides which database a URL names: `sqlite:///abs/path.db`, `sqlite::memory:`, a plain file path, or `postgres://`. */
export function parseDatabaseUrl(options: ParseDatabaseUrlOptions): DatabaseTarget {
  const url = options.url.trim();
  if (url === "") throw invalidUrl(options.url, "The database URL is empty.");
  if (url === memory) return { kind: "sqlite", filePath: memory };

  const schemeName = windowsDrive.test(url) ? undefined : scheme.exec(url)?.[1]?.toLowerCase();
  if (schemeName === undefined) return { kind: "sqlite", filePath: resolvePath(url, options) };
  if (schemeName === "postgres" || schemeName === "postgresql") return { kind: "postgres", url };
  if (schemeName !== "sqlite") throw invalidUrl(url, `Unsupported database URL scheme "${schemeName}:".`);

  const rest = url.slice("sqlite:".length);
  if (rest === memory) return { kind: "sqlite", filePath: memory };
  if (rest.startsWith("///")) return { kind: "sqlite", filePath: rest.slice(2) };
  if (rest.startsWith("//")) {
    throw invalidUrl(url, "A sqlite: URL takes three slashes before an absolute path (sqlite:///home/me/astros.db).");
  }
  if (rest === "") throw invalidUrl(url, "The sqlite: URL names no file.");
  return { kind: "sqlite", filePath: resolvePath(rest, options) };
}

function resolvePath(path: string, options: ParseDatabaseUrlOptions): string {
  if (path === "~" || path.startsWith("~/")) return resolve(options.homeDirectory ?? homedir(), path.slice(2));
  if (isAbsolute(path)) return resolve(path);
  return resolve(options.workingDirectory ?? process.cwd(), path);
}

function invalidUrl(url: string, problem: string): StorageError {
  return new StorageError(`${problem} Got "${redactDatabaseUrl(url)}".`, {
    recovery: `Use one of: ${acceptedDatabaseUrlForms.join("; ")}.`,
    details: { url: redactDatabaseUrl(url), acceptedForms: acceptedDatabaseUrlForms },
  });
}
