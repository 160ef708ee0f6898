import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** An installed application, as its freedesktop.org `.desktop` file describes it. */
export interface DesktopEntry {
  /** The desktop file id (its file name without `.desktop`), what `gtk-launch` takes. */
  id: string;
  name: string;
  path: string;
}

/** The folders desktop files live in: $XDG_DATA_HOME and $XDG_DATA_DIRS, each with `applications/`. */
export function applicationDirectories(environment: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const home = environment.XDG_DATA_HOME || path.join(environment.HOME || os.homedir(), ".local", "share");
  const shared = (environment.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").filter((directory) => directory !== "");
  return [home, ...shared].map((directory) => path.join(directory, "applications"));
}

/**
 * Find an application by its desktop id ("firefox", "org.gnome.Nautilus") or its shown name
 * ("Visual Studio Code"), case aside. Earlier folders win, as they do for the desktop.
 */
export function findDesktopEntry(application: string, directories: readonly string[]): DesktopEntry | undefined {
  const wanted = application.trim().toLowerCase();
  const entries = directories.flatMap(readEntries);
  return (
    entries.find((entry) => entry.id.toLowerCase() === wanted) ??
    entries.find((entry) => entry.name.toLowerCase() === wanted) ??
    entries.find((entry) => entry.id.toLowerCase().split(".").at(-1) === wanted)
  );
}

function readEntries(directory: string): DesktopEntry[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith(".desktop"));
  } catch {
    return [];
  }
  return names.flatMap((file) => {
    const entry = parseDesktopFile(path.join(directory, file));
    return entry === undefined ? [] : [entry];
  });
}

function parseDesktopFile(file: string): DesktopEntry | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  // Only the [Desktop Entry] group counts (actions follow in their own groups).
  const group = text.split(/^\[/m).find((section) => section.startsWith("Desktop Entry]"));
  if (group === undefined) return undefined;
  const value = (key: string) => new RegExp(`^${key}=(.*)$`, "m").exec(group)?.[1]?.trim();
  if (value("Type") !== "Application" || value("Hidden") === "true") return undefined;
  return { id: path.basename(file, ".desktop"), name: value("Name") ?? path.basename(file, ".desktop"), path: file };
}
