import os from "node:os";
import path from "node:path";
import { resolveRealPath } from "../safety/path-guard/resolve-real-path.js";

/**
 * The resources a path stands for when permissions are scoped by glob: the absolute path as written
 * (`~` expanded, relative to `cwd`) and its real path after symbolic links, so neither `~/private/x`
 * nor a link into `~/private` slips past a revocation on `/home/ann/private/**`.
 */
export async function pathResources(input: string, options: { cwd: string; homeDirectory?: string }): Promise<string[]> {
  const home = options.homeDirectory ?? os.homedir();
  const expanded = input === "~" ? home : input.startsWith("~/") ? path.join(home, input.slice(2)) : input;
  const written = path.resolve(options.cwd, expanded);
  let real = written;
  try {
    real = await resolveRealPath(expanded, { cwd: options.cwd });
  } catch {
    // A loop of links: the path guard refuses it; the written form is still checked here.
  }
  return real === written ? [written] : [written, real];
}

/** A glob given on the command line or in code, with `~` written for the home folder. */
export function expandHomeInGlob(glob: string, homeDirectory = os.homedir()): string {
  if (glob === "~") return homeDirectory;
  return glob.startsWith("~/") ? path.join(homeDirectory, glob.slice(2)) : glob;
}
