import { randomBytes } from "node:crypto";
import { chmod, type FileHandle, link, mkdir, open, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../core/errors/config-error.js";
import { PermissionError } from "../core/errors/permission-error.js";
import { syncFolder } from "./write-file-atomically.js";

const secretBytes = 32;

export interface LoadOrCreateTokenSecretOptions {
  /** The secret file, e.g. `token.key` in the config folder. */
  file: string;
}

/**
 * The key that signs session tokens, kept so that sessions survive a restart: 32 or more random bytes,
 * base64, in a file only its owner may read. Made on first use with mode 0600 in a folder created 0700,
 * written to a private temporary file and linked into place, so a reader never sees half a key and two
 * servers starting together end up with the same one. A file that group or others can read or change is
 * refused (AUTH_SECRET_INSECURE), as ssh refuses such a private key; one that does not hold a key is
 * AUTH_SECRET_INVALID. Its folder is made private too (0700) when this user owns it, so nobody else can
 * even list it. Deleting the file signs everybody out.
 */
export async function loadOrCreateTokenSecret(options: LoadOrCreateTokenSecretOptions): Promise<Uint8Array> {
  const folder = path.dirname(options.file);
  const existing = await readTokenSecret(options.file);
  if (existing !== undefined) {
    await makeFolderPrivate(folder);
    return existing;
  }
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await makeFolderPrivate(folder);
  const temporary = path.join(folder, `.${path.basename(options.file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const secret = randomBytes(secretBytes);
  try {
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(`${secret.toString("base64")}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    // link() fails when the file exists, where rename() would replace a key another process is already using.
    await link(temporary, options.file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw unusable(options.file, (error as Error).message, error);
    const raced = await readTokenSecret(options.file);
    if (raced !== undefined) return raced;
    throw unusable(options.file, "it vanished while being created");
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  await syncFolder(folder);
  return new Uint8Array(secret);
}

/** The secret in the file, or undefined when there is no file. */
async function readTokenSecret(file: string): Promise<Uint8Array | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unusable(file, (error as Error).message, error);
  }
  try {
    const status = await handle.stat();
    if (!status.isFile()) throw unusable(file, "it is not a regular file");
    if ((status.mode & 0o077) !== 0) throw insecure(file, status.mode);
    const text = (await handle.readFile("utf8")).trim();
    const bytes = Buffer.from(text, "base64");
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || bytes.length < secretBytes)
      throw unusable(file, `it does not hold ${secretBytes} or more bytes in base64`);
    return new Uint8Array(bytes);
  } finally {
    await handle.close();
  }
}

function insecure(file: string, fileMode: number): PermissionError {
  const mode = (fileMode & 0o777).toString(8).padStart(3, "0");
  return new PermissionError(
    `the token secret ${file} can be read or changed by other users (mode ${mode}); refusing to use it`,
    {
      code: "AUTH_SECRET_INSECURE",
      recovery: `Make it private with: chmod 600 ${file} (or delete it to make a new one, which signs everybody out)`,
      details: { file, mode },
    },
  );
}

function unusable(file: string, reason: string, cause?: unknown): ConfigError {
  return new ConfigError(`cannot use the token secret ${file}: ${reason}`, {
    code: "AUTH_SECRET_INVALID",
    recovery: "Delete the file to make a new secret (everybody will have to sign in again), or restore it from a backup.",
    details: { file },
    cause,
  });
}

/** Take group and others' access away from the key's folder (one this user owns; another's is left as it is). */
async function makeFolderPrivate(folder: string): Promise<void> {
  const status = await stat(folder);
  if ((status.mode & 0o077) === 0 || status.uid !== process.getuid?.()) return;
  await chmod(folder, status.mode & 0o700);
}
