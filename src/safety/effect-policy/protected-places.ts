import { realpathSync } from "node:fs";
import path from "node:path";

/** What a protected place is to the person, which decides how a refusal names it. */
export type PlaceRole = "root" | "home" | "system" | "workspace" | "temporary" | "allowed-root" | "state" | "config";

/** A place no action may delete, move, empty or overwrite, nor any folder that holds it. */
export interface ProtectedPlace {
  /** Absolute path as configured. */
  path: string;
  role: PlaceRole;
  /** For AstrOS's own state: what it is ("database", "journal", "trash", "audit log", "token-signing key"). */
  what?: string;
}

/** One of AstrOS's own files or folders, as the agent knows it. */
export interface StatePlace {
  path: string;
  /** What it is, said in a refusal: "database", "journal", "trash", "audit log", "configuration". */
  what: string;
  /** AstrOS's configuration: writing there asks (it changes what AstrOS may do); deleting it is refused. */
  config?: boolean;
}

/**
 * The folders the system runs from. Deleting, moving or emptying one of them (or `/`, which holds them all) breaks
 * the computer, whoever asks; the direct folders of /usr and /var (/usr/lib, /var/lib…) too.
 */
export const systemFolders: readonly string[] = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/lost+found",
  "/media",
  "/mnt",
  "/opt",
  "/proc",
  "/root",
  "/run",
  "/sbin",
  "/snap",
  "/srv",
  "/sys",
  "/usr",
  "/var",
];

/** Whether `folder` is a system folder: one of the list, a /lib… folder, or a direct folder of /usr or /var. */
export function isSystemFolder(folder: string): boolean {
  if (systemFolders.includes(folder) || /^\/lib[\w-]*$/.test(folder)) return true;
  return /^\/(?:usr|var)\/[^/]+$/.test(folder);
}

/** `candidate` is `folder` or inside it. */
export function isInside(candidate: string, folder: string): boolean {
  return candidate === folder || folder === "/" || candidate.startsWith(`${folder}/`);
}

/**
 * The forms a place may be met under: as configured (made absolute and normal) and after symbolic links, for the
 * part of it that exists (a home folder under a linked /home is the same folder either way).
 */
export function formsOf(place: string): string[] {
  const absolute = path.resolve(place);
  const forms = new Set([absolute]);
  let existing = absolute;
  const rest: string[] = [];
  while (existing !== path.dirname(existing)) {
    try {
      forms.add(path.join(realpathSync(existing), ...rest));
      break;
    } catch {
      rest.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
  return [...forms];
}

/** A path for a person to read: `~` for the home folder and what is inside it. */
export function shownPath(target: string, homeDirectory: string): string {
  if (target === homeDirectory) return "~";
  if (homeDirectory !== "/" && target.startsWith(`${homeDirectory}/`)) return `~/${target.slice(homeDirectory.length + 1)}`;
  return target;
}

/** How a refusal names a place: "your home folder (~)", "AstrOS's journal (~/.local/state/astros/journal)". */
export function describePlace(place: ProtectedPlace, homeDirectory: string): string {
  const shown = shownPath(place.path, homeDirectory);
  switch (place.role) {
    case "root":
      return "the whole file system (/)";
    case "home":
      return `your home folder (${shown})`;
    case "system":
      return `a system folder (${shown})`;
    case "workspace":
      return `this session's workspace (${shown})`;
    case "temporary":
      return `the temporary folder (${shown})`;
    case "allowed-root":
      return `a folder AstrOS works in (${shown}, safety.allowed_roots)`;
    default:
      return `AstrOS's ${place.what ?? "own files"} (${shown})`;
  }
}
