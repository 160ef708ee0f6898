import { mkdir, rmdir, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { StorageError } from "../core/errors/storage-error.js";

const staleAfterMilliseconds = 30_000;
const pollMilliseconds = 20;

/**
 * Run `work` while holding `<file>.lock` (a folder: creating one is atomic on every file system), so that two
 * processes changing the same file do not lose each other's update. A lock older than 30 s is taken to be left
 * by a crashed process and removed.
 */
export async function withFileLock<T>(options: { file: string; work: () => Promise<T> }): Promise<T> {
  const lock = `${options.file}.lock`;
  const deadline = Date.now() + staleAfterMilliseconds * 2;
  for (;;) {
    try {
      await mkdir(lock, { mode: 0o700 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const since = await stat(lock).then(
        (status) => Date.now() - status.mtimeMs,
        () => 0,
      );
      if (since > staleAfterMilliseconds) await rmdir(lock).catch(() => undefined);
      if (Date.now() > deadline)
        throw new StorageError(`${options.file} stayed locked; another AstrOS may be stuck (remove ${lock})`);
      await sleep(pollMilliseconds);
    }
  }
  try {
    return await options.work();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
