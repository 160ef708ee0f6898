import { findExecutable } from "./find-executable.js";

/** A program that starts an installed application from its desktop file. */
export interface ApplicationLauncher {
  program: string;
  /** Its arguments for one application (by desktop id or by desktop file path). */
  arguments(entry: { id: string; path: string }): string[];
}

export type DesktopSession =
  | { available: true; platform: "linux" | "darwin"; opener: "xdg-open" | "open"; launcher: ApplicationLauncher | undefined }
  | { available: false; reason: string; suggestion: string };

export interface DesktopSessionOptions {
  platform?: NodeJS.Platform;
  environment?: Readonly<Record<string, string | undefined>>;
}

const launchers: readonly ApplicationLauncher[] = [
  { program: "gtk-launch", arguments: (entry) => [entry.id] },
  { program: "gio", arguments: (entry) => ["launch", entry.path] },
  { program: "kioclient5", arguments: (entry) => ["exec", entry.path] },
  { program: "kioclient", arguments: (entry) => ["exec", entry.path] },
  { program: "dex", arguments: (entry) => [entry.path] },
];

/**
 * Is there a desktop to open things in, and what opens them? On Linux that needs a display
 * (DISPLAY or WAYLAND_DISPLAY) and xdg-open; macOS always has `open`.
 */
export function detectDesktopSession(options: DesktopSessionOptions = {}): DesktopSession {
  const platform = options.platform ?? process.platform;
  const environment = options.environment ?? process.env;
  if (platform === "darwin") return { available: true, platform, opener: "open", launcher: undefined };
  if (platform !== "linux") {
    return {
      available: false,
      reason: `opening things is not supported on ${platform} yet`,
      suggestion: "Open it yourself from the desktop",
    };
  }
  if (!environment.DISPLAY && !environment.WAYLAND_DISPLAY) {
    return {
      available: false,
      reason: "this session has no display (neither DISPLAY nor WAYLAND_DISPLAY is set: a server, SSH or a container?)",
      suggestion: "Run AstrOS from a terminal inside your desktop session, or open it on the computer you are sitting at",
    };
  }
  const searchPath = environment.PATH ?? "";
  if (findExecutable("xdg-open", searchPath) === undefined) {
    return {
      available: false,
      reason: "no desktop opener is installed (xdg-open was not found on PATH)",
      suggestion: "Install xdg-utils (e.g. sudo apt install xdg-utils) and ask again",
    };
  }
  const launcher = launchers.find((candidate) => findExecutable(candidate.program, searchPath) !== undefined);
  return { available: true, platform, opener: "xdg-open", launcher };
}
