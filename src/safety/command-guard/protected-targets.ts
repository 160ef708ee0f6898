import { lstatSync } from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import { autorunReason } from "../effect-policy/autorun-places.js";
import { systemFolders } from "../effect-policy/protected-places.js";
import type { ShellWord } from "./shell-words.js";

/**
 * Folders whose loss breaks the system; deleting or moving one is FORBIDDEN. The effect policy's list (one
 * list for every door), with `/` and macOS's own system folders.
 */
export const systemTrees: readonly string[] = ["/", ...systemFolders, "/System", "/Library", "/Applications", "/Users"];

/**
 * What a path names, for a command that deletes, moves or writes it: the root, a system tree, the
 * home folder (or a protected folder: an allowed root, AstrOS's state, or a folder containing one),
 * something inside a system tree, anything else, or a path known only at run time.
 */
export type TargetKind = "dynamic" | "root" | "system" | "home" | "inside-system" | "other";

const kindRank: Record<TargetKind, number> = { other: 0, "inside-system": 1, dynamic: 2, home: 3, system: 4, root: 5 };

/** Where a command runs and what must never be destroyed. */
export interface TargetContext {
  homeDirectory: string;
  /** The user commands run as: `~NAME` is the home folder; `~root` is /root. */
  userName?: string;
  /** Allowed roots and AstrOS's own folders: never deleted, moved or emptied, nor any folder containing one. */
  protectedFolders: readonly string[];
  /** The temporary folder: deleting inside it is routine. */
  temporaryDirectories: readonly string[];
  /** The folders the command may run in, as far as its own `cd`s say; undefined: not known. */
  workingDirectories: readonly (string | undefined)[];
}

/** `${HOME}`, `"$HOME"/x`, `${HOME:?}/`, `${HOME:-/x}`: the home folder written as a variable, with a literal rest. */
const homeVariable = /^"?\$(?:HOME\b|\{HOME(?:[:]?[-?=][^}]*)?\})"?((?:\/[^$`'\\]*)?)$/;

/** The value of a word that names the home folder through `$HOME`, as `~` and the rest; undefined otherwise. */
export function homeRelativeText(text: string): string | undefined {
  const rest = homeVariable.exec(text)?.[1];
  return rest === undefined ? undefined : `~${rest.replaceAll('"', "")}`;
}

/** Expand `{a,b}` alternatives the way bash does before anything else (`~/{*,.*}` is `~/*` and `~/.*`). */
export function expandBraces(value: string, limit = 64): string[] {
  const match = /^(.*?)\{([^{}]*,[^{}]*)\}(.*)$/s.exec(value);
  if (match === null) return [value];
  const [, before = "", inside = "", after = ""] = match;
  const results: string[] = [];
  for (const part of inside.split(",")) {
    for (const expanded of expandBraces(`${before}${part}${after}`, limit)) {
      if (results.length >= limit) return results;
      results.push(expanded);
    }
  }
  return results;
}

/** The absolute paths a word may name (after `~`, braces and the working folders); undefined when not knowable. */
export function candidatePaths(word: ShellWord, context: TargetContext): string[] | undefined {
  const value = word.value ?? homeRelativeText(word.text);
  if (value === undefined) return undefined;
  const found: string[] = [];
  for (const expanded of expandBraces(value.trim())) {
    let target = expanded;
    if (target === "~" || target.startsWith("~/")) target = context.homeDirectory + target.slice(1);
    else if (/^~[+-]/.test(target)) return undefined;
    else if (target.startsWith("~")) {
      const user = target.slice(1).split("/")[0] ?? "";
      const rest = target.slice(1 + user.length);
      target =
        user === context.userName
          ? context.homeDirectory + rest
          : user === "root"
            ? `/root${rest}`
            : path.posix.join(path.posix.dirname(context.homeDirectory), user, rest);
    }
    if (target.startsWith("/")) found.push(target);
    else
      for (const directory of context.workingDirectories)
        found.push(directory === undefined ? target : path.posix.join(directory, target));
  }
  return found;
}

function normalize(target: string): string {
  return path.posix.normalize(target).replace(/\/+$/, "") || "/";
}

/** Is `folder` this path or inside it? */
function within(folder: string, target: string): boolean {
  return target === folder || target.startsWith(folder === "/" ? "/" : `${folder}/`);
}

/** What one absolute (or, when no working folder is known, relative) path names. */
function classifyPath(target: string, glob: boolean, context: TargetContext): TargetKind {
  const home = context.homeDirectory;
  if (!target.startsWith("/")) return "other";
  if (glob) return classifyPattern(target, context);
  const normalized = normalize(target);
  const stripped = normalized.replace(/\/\*$/, "") || "/";
  if (stripped === "/" || normalized === "/*" || normalized === "/.") return "root";
  if (stripped === home || normalized === `${home}/*`) return "home";
  const homes = path.posix.dirname(home);
  // Another user's home (`/home/bob`, `~bob`), where homes are kept in a system folder.
  if (homes !== "/" && systemTrees.includes(homes) && path.posix.dirname(stripped) === homes && !stripped.includes("*"))
    return "home";
  if (context.protectedFolders.some((folder) => within(stripped, normalize(folder)))) return "home";
  if (systemTrees.includes(stripped) || systemTrees.some((tree) => tree !== "/" && normalized === `${tree}/*`)) return "system";
  const insideHome = normalized.startsWith(`${home}/`);
  if (!insideHome && systemTrees.some((tree) => tree !== "/" && normalized.startsWith(`${tree}/`))) return "inside-system";
  return "other";
}

/** A glob names the worst protected folder it can match (`/h*` matches /home, `/ho?e/ali*` the home folder). */
function classifyPattern(pattern: string, context: TargetContext): TargetKind {
  const normalized = normalize(pattern);
  if (/^\/\.\*$/.test(normalized)) return "root";
  // `~/*`, `/usr/*`: every name in a protected folder.
  let worst = classifyPath(normalized, false, context);
  if (worst === "home" || worst === "system" || worst === "root") return worst;
  worst = worst === "inside-system" ? "inside-system" : "other";
  const protectedPaths: Array<[string, TargetKind]> = [
    [context.homeDirectory, "home"],
    ...context.protectedFolders.map((folder): [string, TargetKind] => [normalize(folder), "home"]),
    ...systemTrees.filter((tree) => tree !== "/").map((tree): [string, TargetKind] => [tree, "system"]),
  ];
  const matches = picomatch(normalized, { dot: false });
  for (const [candidate, kind] of protectedPaths) {
    if (matches(candidate) && kindRank[kind] > kindRank[worst]) worst = kind;
  }
  return worst;
}

/** What a word names, for a command that deletes, moves or writes it: the worst of every path it may name. */
export function targetKind(word: ShellWord, context: TargetContext): TargetKind {
  const candidates = candidatePaths(word, context);
  if (candidates === undefined) return "dynamic";
  let worst: TargetKind = "other";
  for (const candidate of candidates) {
    const kind = classifyPath(candidate, word.glob === true || /[*?[]/.test(candidate), context);
    if (kindRank[kind] > kindRank[worst]) worst = kind;
  }
  return worst;
}

/**
 * What a word of kind "home" names, said as it is: `your home folder (~)`, another user's home, or the
 * protected folder it is or holds (`~/.local/state/astros, a protected folder (AstrOS's own state or an
 * allowed location)`), with the path the command's `cd` led to.
 */
export function describeProtected(word: ShellWord, context: TargetContext): string {
  const home = context.homeDirectory;
  const shown = (target: string) => (target === home || target.startsWith(`${home}/`) ? `~${target.slice(home.length)}` : target);
  for (const candidate of candidatePaths(word, context) ?? []) {
    if (!candidate.startsWith("/")) continue;
    const target = normalize(candidate).replace(/\/\*$/, "") || "/";
    if (target === home) return `your home folder (${word.text})`;
    const kept = context.protectedFolders.map(normalize).find((folder) => within(target, folder));
    if (kept === undefined) continue;
    const what = /(^|\/)astros(\/|$)/.test(kept)
      ? "AstrOS's own state"
      : "a protected folder (an allowed location or AstrOS's own state)";
    return kept === target ? `${what} (${shown(target)})` : `${shown(target)}, which holds ${what} (${shown(kept)})`;
  }
  return `your home folder (${word.text})`;
}

/** Is this literal path the root, a system tree, the home folder or a protected folder? */
export function isProtectedPath(target: string, context: TargetContext): boolean {
  const kind = targetKind({ value: target, text: target }, context);
  return kind === "root" || kind === "system" || kind === "home";
}

/** Folders a build makes and can make again: deleting them in a project the user named is routine. */
const buildFolders = new Set(
  "build dist out target node_modules __pycache__ .pytest_cache .mypy_cache .ruff_cache .tox .nox .cache coverage .nyc_output .next .nuxt .svelte-kit .parcel-cache .turbo .gradle .angular .vite htmlcov .sass-cache cmake-build-debug cmake-build-release obj .venv venv .eslintcache".split(
    " ",
  ),
);

/** Does any folder above this one (up to `top`) exist as a symbolic link? Then the path may lead anywhere. */
function linksAbove(top: string, target: string): boolean {
  let current = path.posix.dirname(target);
  while (current.length > top.length && current.startsWith(`${top}/`)) {
    try {
      if (lstatSync(current).isSymbolicLink()) return true;
    } catch {
      // Not there: nothing to follow.
    }
    current = path.posix.dirname(current);
  }
  return false;
}

/**
 * Is deleting this path routine: inside the temporary folder (`/tmp/build-123`), or a build folder
 * or something in one, named relative to the project (`./build`, `node_modules`, `packages/web/dist`)?
 * Never with `..`, a trailing slash (which follows a symbolic link), a glob above the folder, or a
 * symbolic link among the folders above it.
 */
export function isDisposable(word: ShellWord, context: TargetContext): boolean {
  const home = context.homeDirectory;
  const value = word.value?.startsWith("~/") ? `${home}${word.value.slice(1)}` : word.value;
  if (value === undefined || value === "" || /\/\.?$/.test(value) || value.includes("{")) return false;
  const parts = value.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..") || parts.length === 0) return false;
  const firstGlob = parts.findIndex((part) => /[*?[]/.test(part));
  if (value.startsWith("/")) {
    const target = normalize(value);
    // A build folder inside a project in the home folder (`~/projects/app/node_modules`), not one at its top.
    if (target.startsWith(`${home}/`)) {
      const inside = target.slice(home.length + 1).split("/");
      const build = inside.findIndex((part) => buildFolders.has(part));
      const glob = inside.findIndex((part) => /[*?[]/.test(part));
      if (build >= 1 && (glob < 0 || glob > build)) return !linksAbove(home, target);
    }
    for (const temporary of context.temporaryDirectories) {
      const top = normalize(temporary);
      if (!target.startsWith(`${top}/`)) continue;
      // Not routine inside the home folder or a protected folder (an allowed root) that happens to live in the temporary folder.
      if (target.startsWith(`${home}/`)) return false;
      const keptInside = context.protectedFolders.map(normalize).filter((folder) => folder.startsWith(`${top}/`));
      if (keptInside.some((folder) => within(folder, target))) return false;
      const depth = top.split("/").length;
      if (firstGlob >= 0 && firstGlob < depth) return false;
      // The session's own sockets and private folders (`.X11-unix`, `ssh-…`, `systemd-private-…`) are not build output.
      if (/^(\.|systemd-private|ssh-|tmux-|pulse-|snap-private|krb5cc|gpg-|dbus-)/.test(target.split("/")[depth] ?? ""))
        return false;
      if (/[*?[]/.test(target.split("/")[depth] ?? "*") && target.split("/").length === depth + 1) return false;
      return !linksAbove(top, target);
    }
    return false;
  }
  if (value.startsWith("~") || value.startsWith("-")) return false;
  const build = parts.findIndex((part) => buildFolders.has(part));
  return build >= 0 && (firstGlob < 0 || firstGlob > build);
}

/** Names that, put inside a folder, would make it run code: probed for a copy whose file names are not known. */
const startupFolderProbes = [
  "file",
  "autostart",
  "systemd",
  "bin",
  "hooks",
  "config",
  "conf.d",
  "config.fish",
  "x.pth",
  "applications",
  "share/applications",
  "info/attributes",
];

/**
 * Why putting files whose names are not known into this folder (`cp -r x/. DIR`, `rsync x/ DIR`,
 * `tar -xf a.tar -C DIR`) may overwrite start-up files: it is a home folder itself, or a folder of
 * start-up files, git hooks, keys or system configuration (or holds one: `~/.config`, `~/.local`,
 * `.git`). Undefined for an ordinary folder; a folder named at run time counts as unknown.
 */
export function startupFolder(word: ShellWord, context: TargetContext): string | undefined {
  const candidates = candidatePaths(word, context);
  if (candidates === undefined) return undefined;
  const homes = path.posix.dirname(context.homeDirectory);
  for (const candidate of candidates) {
    const folder = normalize(candidate);
    if (
      folder === context.homeDirectory ||
      (homes !== "/" && systemTrees.includes(homes) && path.posix.dirname(folder) === homes)
    )
      return `${word.text} is a home folder, where it can overwrite start-up files such as .bashrc`;
    if (folder === "/" || folder === "/root") return `${word.text} holds start-up and system files`;
    for (const probe of startupFolderProbes) {
      const why = sensitiveWrite({ value: path.posix.join(folder, probe), text: path.posix.join(word.text, probe) }, context);
      if (why !== undefined) return `${word.text} holds start-up, hook or key files (${why})`;
    }
  }
  return undefined;
}

/** Keys and who may log in, in the home folder: writing them needs a yes (their other files run by themselves, see `autorunReason`). */
const homeKeyFolders = /^\.(ssh|gnupg)(\/.*)?$/;

/**
 * Why writing this path needs a yes, or undefined when it is an ordinary file: anything a program runs by itself
 * when it starts (the effect policy's one table, `autorunReason`: shell start-up files, git hooks, config and
 * attributes, `.pth` files, autostart, launchers, user services, `.npmrc`, `.envrc`, ssh's config, crontabs,
 * `authorized_keys`), keys in the home folder, and system configuration.
 */
export function sensitiveWrite(word: ShellWord, context: TargetContext): string | undefined {
  const candidates = candidatePaths(word, context) ?? [];
  for (const candidate of candidates) {
    const target = path.posix.normalize(candidate);
    const why = autorunReason(target);
    if (why !== undefined) return `${word.text}: ${why}`;
    if (target.startsWith(`${context.homeDirectory}/`)) {
      const inside = target.slice(context.homeDirectory.length + 1).replace(/\/$/, "");
      if (homeKeyFolders.test(inside)) return `${word.text} is a key or login file in your home folder`;
    }
    if (/^\/(etc|var\/spool\/cron)(\/|$)/.test(target)) return `${word.text} is system configuration`;
  }
  return undefined;
}
