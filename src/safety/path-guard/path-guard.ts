import os from "node:os";
import path from "node:path";
import picomatch from "picomatch";
import { PermissionError } from "../../core/errors/permission-error.js";
import { ProcessingError } from "../../core/errors/processing-error.js";
import { resolveRealPath } from "./resolve-real-path.js";

/** Which rule decided. */
export type PathRule = "allowed" | "outside-roots" | "traversal" | "symlink-escape" | "sensitive" | "invalid" | "windows-path";

export type PathVerdict =
  | { allowed: true; rule: "allowed"; path: string; realPath: string; root: string }
  | { allowed: false; rule: Exclude<PathRule, "allowed">; path: string; realPath?: string; reason: string };

export interface PathGuardOptions {
  /** Folders inside which AstrOS may act. Default: the home folder and the system temp folder. */
  roots?: readonly string[];
  homeDirectory?: string;
  /** Extra sensitive paths (absolute or ~/...), denied even inside the roots. */
  sensitivePaths?: readonly string[];
  /** Sensitive paths the user has chosen to allow (absolute or ~/...). */
  allowSensitive?: readonly string[];
  /** AstrOS's own data and config folders: sensitive too (its database, audit log, credentials). */
  ownDirectories?: readonly string[];
}

/** Paths under the home folder that hold keys and credentials. */
export const defaultSensitivePaths = [
  "~/.ssh",
  "~/.gnupg",
  "~/.aws",
  "~/.azure",
  "~/.kube",
  "~/.docker/config.json",
  "~/.config/gcloud",
  "~/.config/gh/hosts.yml",
  "~/.netrc",
  "~/.pgpass",
  "~/.git-credentials",
  "~/.npmrc",
  "~/.pypirc",
  "~/.password-store",
  "~/.local/share/keyrings",
  "~/.mozilla/firefox",
  "~/.config/google-chrome",
  "~/.config/chromium",
];

/** File names that hold secrets wherever they are. */
const sensitiveNames =
  /^(id_(rsa|dsa|ecdsa|ed25519)(\.pub)?|.+\.(pem|key|p12|pfx|kdbx|keystore)|\.env(\..+)?|credentials(\.json)?|secrets?\.(json|ya?ml|toml))$/i;

/**
 * The path guard: AstrOS acts only inside allowed roots, judged on the real path after symbolic
 * links are resolved, and never on key or credential files unless the user allowed them.
 */
export class PathGuard {
  readonly #roots: Promise<string[]>;
  readonly #sensitive: string[];
  readonly #allowSensitive: string[];
  readonly #home: string;

  constructor(options: PathGuardOptions = {}) {
    this.#home = options.homeDirectory ?? os.homedir();
    const expand = (value: string) =>
      path.resolve(value === "~" ? this.#home : value.startsWith("~/") ? path.join(this.#home, value.slice(2)) : value);
    const roots = (options.roots ?? [this.#home, os.tmpdir()]).map(expand);
    this.#roots = Promise.all(roots.map((root) => resolveRealPath(root, { cwd: "/" })));
    this.#sensitive = [...defaultSensitivePaths, ...(options.sensitivePaths ?? []), ...(options.ownDirectories ?? [])].map(
      expand,
    );
    this.#allowSensitive = (options.allowSensitive ?? []).map(expand);
  }

  /** The roots as real paths. */
  roots(): Promise<string[]> {
    return this.#roots;
  }

  /**
   * Judge a path (relative paths against cwd). Never throws. `onlyExtraRoots`: the extra roots are the
   * only ones (a server user confined to a workspace), and `~` is then the first of them, their home,
   * unless `homeDirectory` says otherwise: a confined user's `~` is never the operator's home.
   */
  async check(
    input: string,
    options: { cwd?: string; extraRoots?: readonly string[]; onlyExtraRoots?: boolean; homeDirectory?: string } = {},
  ): Promise<PathVerdict> {
    if (typeof input !== "string" || input === "" || input.includes("\0")) {
      return { allowed: false, rule: "invalid", path: String(input), reason: "the path is empty or contains a NUL byte" };
    }
    if (looksLikeWindowsPath(input)) {
      return {
        allowed: false,
        rule: "windows-path",
        path: input,
        reason: `${input} looks like a Windows path; on this machine paths look like /home/you/file.txt (forward slashes, no drive letter)`,
      };
    }
    const cwd = options.cwd ?? process.cwd();
    const home =
      options.homeDirectory ??
      (options.onlyExtraRoots === true && options.extraRoots?.[0] !== undefined ? options.extraRoots[0] : this.#home);
    // Plain concatenation, not path.join: normalizing here would hide '..' from the traversal rule.
    const expanded = input === "~" ? home : input.startsWith("~/") ? `${home}/${input.slice(2)}` : input;
    const lexical = path.resolve(cwd, expanded);
    let realPath: string;
    try {
      realPath = await resolveRealPath(expanded, { cwd });
    } catch (error) {
      return { allowed: false, rule: "invalid", path: input, reason: (error as Error).message };
    }
    const extraRoots = await Promise.all((options.extraRoots ?? []).map((root) => resolveRealPath(root, { cwd: "/" })));
    const roots = [...(options.onlyExtraRoots === true ? [] : await this.#roots), ...extraRoots];
    const root = roots.find((candidate) => isInside(realPath, candidate));
    if (root === undefined) {
      const lexicalRoot = roots.find((candidate) => isInside(lexical, candidate));
      const escapedByLink = lexicalRoot !== undefined && !expanded.split("/").includes("..");
      const rule = expanded.split("/").includes("..") ? "traversal" : escapedByLink ? "symlink-escape" : "outside-roots";
      const why =
        rule === "traversal"
          ? "'..' leads outside the allowed locations"
          : rule === "symlink-escape"
            ? "a symbolic link leads outside the allowed locations"
            : "it is outside allowed locations";
      return {
        allowed: false,
        rule,
        path: input,
        realPath,
        reason: `${shownPath(input, realPath)}: ${why} (${roots.join(", ")})`,
      };
    }
    // A workspace AstrOS keeps in its own data folder is granted whole: that folder's protection
    // stops at the workspace (keys and credential files inside it are still refused).
    const granted = extraRoots.filter((extra) => isInside(realPath, extra));
    const sensitive =
      this.#sensitive.find(
        (candidate) =>
          isInside(realPath, candidate) && !granted.some((extra) => extra !== candidate && isInside(extra, candidate)),
      ) ?? (sensitiveNames.test(path.basename(realPath)) ? realPath : undefined);
    if (sensitive !== undefined && !this.#allowSensitive.some((allowed) => isInside(realPath, allowed))) {
      return {
        allowed: false,
        rule: "sensitive",
        path: input,
        realPath,
        reason: `${shownPath(input, realPath)} holds keys or credentials (${sensitive}); allow it in safety.allow_sensitive to let AstrOS use it`,
      };
    }
    return { allowed: true, rule: "allowed", path: input, realPath, root };
  }

  /**
   * For a shell glob (`~/.s*h/*`): a sensitive folder or file it could match, or an ancestor of one
   * (`~/.*`), unless that one is allowed. Undefined for a word without glob characters.
   */
  sensitiveMatch(pattern: string, options: { cwd?: string } = {}): string | undefined {
    if (!/[*?[]/.test(pattern)) return undefined;
    const expanded = pattern === "~" ? this.#home : pattern.startsWith("~/") ? `${this.#home}/${pattern.slice(2)}` : pattern;
    const parts = path
      .resolve(options.cwd ?? process.cwd(), expanded)
      .split("/")
      .filter(Boolean);
    return this.#sensitive.find((sensitive) => {
      if (this.#allowSensitive.some((allowed) => isInside(sensitive, allowed))) return false;
      const target = sensitive.split("/").filter(Boolean);
      const length = Math.min(parts.length, target.length);
      for (let index = 0; index < length; index++) {
        // As the shell globs: `*` does not match a leading dot, `.*` does.
        if (!picomatch.isMatch(target[index] ?? "", parts[index] ?? "")) return false;
      }
      return true;
    });
  }

  /** The real path if allowed; otherwise a PermissionError naming the path and the rule. */
  async assertAllowed(input: string, options: { cwd?: string; extraRoots?: readonly string[] } = {}): Promise<string> {
    const verdict = await this.check(input, options);
    if (verdict.allowed) return verdict.realPath;
    throw pathDenied(verdict);
  }
}

/** The error for a path the guard refused: names the path, the real path and the rule, and what to do. */
export function pathDenied(verdict: Extract<PathVerdict, { allowed: false }>): PermissionError | ProcessingError {
  if (verdict.rule === "windows-path") {
    return new ProcessingError(verdict.reason, {
      code: "REQUEST_INVALID",
      details: { path: verdict.path, rule: verdict.rule },
      recovery: "Name the file as this machine does: /home/you/Documents/file.txt, or ~/Documents/file.txt.",
    });
  }
  return new PermissionError(`Access to ${verdict.reason}`, {
    code: "PATH_DENIED",
    details: { path: verdict.path, realPath: verdict.realPath, rule: verdict.rule },
    recovery:
      verdict.rule === "sensitive"
        ? "Add the path to safety.allow_sensitive if you really want AstrOS to use it."
        : "Work inside your home folder or the temp folder, or add a root to safety.allowed_roots.",
  });
}

function isInside(candidate: string, root: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith("/") ? root : `${root}/`);
}

/** The path as given, and where it really leads when that differs. */
function shownPath(input: string, realPath: string): string {
  return input === realPath ? input : `${input} (${realPath})`;
}

/**
 * A path written the Windows way (a drive letter, `C:\Users\x\file.txt` or `D:/x`, or a share,
 * `\\server\share`) on a machine whose paths are not: refused with a clear word rather than becoming
 * a file with backslashes in its name.
 */
export function looksLikeWindowsPath(input: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === "win32") return false;
  return /^[A-Za-z]:([\\/]|$)/.test(input) || input.startsWith("\\\\");
}
