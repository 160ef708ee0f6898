import { ProcessingError } from "./processing-error.js";

const explained: Record<
  string,
  { code: "FILE_NOT_FOUND" | "FILE_SYSTEM_REFUSED"; say: (path: string) => string; recovery: string }
> = {
  ENOENT: {
    code: "FILE_NOT_FOUND",
    say: (path) => `There is no file or folder ${path}`,
    recovery: "Check the name and the folder it is in.",
  },
  ENOTDIR: { code: "FILE_NOT_FOUND", say: (path) => `${path} is not a folder`, recovery: "Name a folder, not a file." },
  EISDIR: { code: "FILE_SYSTEM_REFUSED", say: (path) => `${path} is a folder, not a file`, recovery: "Name a file inside it." },
  ENOTEMPTY: {
    code: "FILE_SYSTEM_REFUSED",
    say: (path) => `${path} is not empty`,
    recovery: "Move or trash what is in it first.",
  },
  ENOSPC: {
    code: "FILE_SYSTEM_REFUSED",
    say: (path) => `The disk is full (writing ${path})`,
    recovery: "Free some space, then try again.",
  },
  EROFS: {
    code: "FILE_SYSTEM_REFUSED",
    say: (path) => `${path} is on a read-only file system`,
    recovery: "Choose a writable place.",
  },
  EACCES: {
    code: "FILE_SYSTEM_REFUSED",
    say: (path) => `The system does not let AstrOS touch ${path}`,
    recovery: "Check the file's owner and permissions.",
  },
  EPERM: {
    code: "FILE_SYSTEM_REFUSED",
    say: (path) => `The system does not let AstrOS touch ${path}`,
    recovery: "Check the file's owner and permissions.",
  },
};

/**
 * A file-system error a person can act on ("There is no file or folder ~/Downloads"), or undefined
 * for anything else. A missing folder is the request's problem, not a fault in the plugin.
 */
export function fileSystemFailure(error: unknown): ProcessingError | undefined {
  const failure = error as NodeJS.ErrnoException | undefined;
  const known = failure?.code === undefined ? undefined : explained[failure.code];
  if (known === undefined || typeof failure?.path !== "string") return undefined;
  return new ProcessingError(`${known.say(failure.path)}.`, {
    code: known.code,
    recovery: known.recovery,
    cause: error,
    details: { path: failure.path },
  });
}
