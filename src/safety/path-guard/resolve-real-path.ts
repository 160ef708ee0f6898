import { lstatSync, realpathSync } from "node:fs";
import { lstat, readlink } from "node:fs/promises";
import path from "node:path";

const maximumLinks = 40;

/**
 * Resolve a path the way the kernel would, component by component: symbolic links are followed
 * where they exist (so `link/..` is the parent of the link's target, not of the link), and the
 * part that does not exist yet is appended as written. Returns an absolute path.
 */
export async function resolveRealPath(input: string, options: { cwd: string }): Promise<string> {
  const absolute = path.isAbsolute(input) ? input : path.join(options.cwd, input);
  const fast = resolveExistingPrefix(absolute);
  if (fast !== undefined) return fast;
  const pending = absolute.split("/").filter((part) => part !== "" && part !== ".");
  let current = "/";
  let links = 0;
  let missing = false;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === "..") {
      current = path.dirname(current);
      continue;
    }
    const candidate = path.join(current, part);
    if (missing) {
      current = candidate;
      continue;
    }
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(candidate);
    } catch {
      missing = true;
      current = candidate;
      continue;
    }
    if (stats.isSymbolicLink()) {
      if (++links > maximumLinks) throw new Error(`too many symbolic links under ${input}`);
      const target = await readlink(candidate);
      pending.unshift(...target.split("/").filter((segment) => segment !== "" && segment !== "."));
      if (path.isAbsolute(target)) current = "/";
      continue;
    }
    current = candidate;
  }
  return current;
}

/**
 * The common cases with a few synchronous native calls and no exceptions: the path exists (one
 * realpath), or its nearest existing ancestor does and the first missing name is not there at all
 * (not even as a dangling link). Synchronous on purpose: measured here, the promise calls, whose
 * misses each build an Error, cost about 0.4 ms per path that does not exist yet, these about 0.02 ms.
 * Anything else (a dangling link, `..` in the missing part) returns undefined for the full walk.
 */
function resolveExistingPrefix(absolute: string): string | undefined {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    const stats = lstatSync(current, { throwIfNoEntry: false });
    if (stats !== undefined) {
      // A name that exists but is the first missing-from-realpath part would be a dangling link: walk instead.
      let real: string;
      try {
        real = realpathSync.native(current);
      } catch {
        return undefined;
      }
      return missing.length === 0 ? real : path.join(real, ...missing);
    }
    const base = path.basename(current);
    if (current === "/" || base === ".." || base === "." || base === "") return undefined;
    missing.unshift(base);
    current = path.dirname(current);
  }
}
