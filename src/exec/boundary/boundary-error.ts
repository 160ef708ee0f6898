import { PermissionError } from "../../core/errors/permission-error.js";

/**
 * Why the file boundary refused: a name that was a folder or file when the path guard judged it is a symbolic
 * link now (`link`), or a file has more names than this one (`hard-link`: one of them may be outside the allowed
 * roots, so its bytes may not be the root's to give).
 */
export type BoundaryRule = "link" | "hard-link";

/** A refusal of the file boundary: PATH_DENIED with the path and the rule, and nothing done. */
export function boundaryRefusal(options: { rule: BoundaryRule; path: string; links?: number }): PermissionError {
  const { rule, path } = options;
  const message =
    rule === "link"
      ? `Not done: ${path} is a symbolic link now (it was not when it was checked); AstrOS never follows a link it did not check`
      : `Not read: ${path} has ${options.links ?? "several"} names (hard links), and another of them may be outside the allowed locations`;
  return new PermissionError(message, {
    code: "PATH_DENIED",
    details: {
      path,
      rule: rule === "link" ? "symlink-escape" : "hard-link",
      ...(options.links === undefined ? {} : { links: options.links }),
    },
    recovery:
      rule === "link"
        ? "Something changed the folder while AstrOS worked in it; check what is there and try again."
        : "Copy the file (cp, not ln) and read the copy, or name the file where it really lives.",
  });
}

/**
 * A system error of a call made through /proc/self/fd, told with the path the caller asked about (so a person reads
 * "There is no file or folder ~/notes.txt", never a /proc path).
 */
export function withRealPath(error: unknown, realPath: string): unknown {
  const failure = error as NodeJS.ErrnoException;
  if (typeof failure?.code !== "string" || typeof failure.path !== "string" || !failure.path.startsWith("/proc/self/fd/")) {
    return error;
  }
  const told = new Error(`${failure.code}: ${failure.syscall ?? "file operation"} '${realPath}'`, { cause: error });
  return Object.assign(told, { code: failure.code, errno: failure.errno, syscall: failure.syscall, path: realPath });
}
