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
