import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

/** The full path of a program on PATH, as the shell would find it; undefined when it is not installed. */
export function findExecutable(name: string, searchPath: string = process.env.PATH ?? ""): string | undefined {
  for (const directory of searchPath.split(path.delimiter)) {
    if (directory === "") continue;
    const candidate = path.join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
