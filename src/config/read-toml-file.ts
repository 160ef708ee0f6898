import { parse, TomlError } from "smol-toml";
import { ConfigError } from "../core/errors/config-error.js";
import type { ConfigTable } from "./config-table.js";

/** Reads a whole text file; rejects with a Node.js system error (`code` = ENOENT, EACCES, EISDIR, ...). */
export type ReadTextFile = (filePath: string) => Promise<string>;

export interface ReadTomlFileOptions {
  filePath: string;
  readTextFile: ReadTextFile;
  /**
   * Set when the file was named explicitly (e.g. `"ASTROS_CONFIG"`): then a missing file is an error
   * that names it. Otherwise a missing file is simply absent.
   */
  namedBy?: string;
}

const missingCodes = new Set(["ENOENT", "ENOTDIR"]);

/**
 * Read and parse one TOML configuration file. Returns undefined for a missing optional file. Throws
 * ConfigError CONFIG_FILE_UNREADABLE when it cannot be read and CONFIG_INVALID (with line and column)
 * when it is not valid TOML. The offending source line is not quoted, as it may hold a secret.
 */
export async function readTomlFile({ filePath, readTextFile, namedBy }: ReadTomlFileOptions): Promise<ConfigTable | undefined> {
  let text: string;
  try {
    text = await readTextFile(filePath);
  } catch (error) {
    const code = systemErrorCode(error);
    if (code !== undefined && missingCodes.has(code)) {
      if (namedBy === undefined) return undefined;
      throw new ConfigError(`Configuration file ${filePath} (named by ${namedBy}) does not exist`, {
        code: "CONFIG_FILE_UNREADABLE",
        recovery: `Create ${filePath} or point ${namedBy} at an existing file.`,
        details: { source: filePath },
        cause: error,
      });
    }
    throw new ConfigError(`Cannot read configuration file ${filePath}: ${describeReadFailure(code, error)}`, {
      code: "CONFIG_FILE_UNREADABLE",
      recovery: `Make ${filePath} a readable file, or remove it.`,
      details: { source: filePath },
      cause: error,
    });
  }
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = tomlReason(error);
    throw new ConfigError(`Invalid TOML in ${filePath} at line ${error.line}, column ${error.column}: ${reason}`, {
      code: "CONFIG_INVALID",
      recovery: `Fix the TOML syntax at line ${error.line} of ${filePath} (see https://toml.io).`,
      details: { source: filePath, line: error.line, column: error.column },
      cause: error,
    });
  }
}

function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

function describeReadFailure(code: string | undefined, error: unknown): string {
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}

/** smol-toml's message without its "Invalid TOML document:" prefix and the quoted source lines. */
function tomlReason(error: TomlError): string {
  const firstParagraph = error.message.split("\n\n")[0] ?? error.message;
  return firstParagraph.replace(/^Invalid TOML document:\s*/, "");
}
