import { randomBytes } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { mkdir, open, unlink } from "node:fs/promises";
import path from "node:path";
import { credentialsLockedError, insecureKeyFileError } from "./credential-store-errors.js";
import type { MasterSecret, MasterSecretSource } from "./master-secret-source.js";

const keyBytes = 32;

/**
 * The master secret as 32 random bytes (base64) in a file only its owner may read. Made on first use with
 * mode 0600, in a folder created 0700 when missing. A key file that group or others can read or change is
 * refused, as ssh refuses such a private key.
 */
export class KeyFileSecretSource implements MasterSecretSource {
  readonly file: string;

  constructor(options: { file: string }) {
    this.file = options.file;
  }

  get origin(): string {
    return `the key file ${this.file}`;
  }

  async readSecret(): Promise<MasterSecret | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.file, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw this.#unreadable((error as Error).message, error);
    }
    try {
      const status = await handle.stat();
      if (!status.isFile()) throw this.#unreadable("it is not a regular file");
      if ((status.mode & 0o077) !== 0) throw insecureKeyFileError({ file: this.file, mode: status.mode });
      const text = (await handle.readFile("utf8")).trim();
      const bytes = Buffer.from(text, "base64");
      if (bytes.length !== keyBytes || !/^[A-Za-z0-9+/]+={0,2}$/.test(text))
        throw this.#unreadable(`it does not hold a ${keyBytes}-byte base64 key`);
      return { bytes, origin: this.origin };
    } finally {
      await handle.close();
    }
  }

  async readOrCreateSecret(): Promise<MasterSecret> {
    const existing = await this.readSecret();
    if (existing !== undefined) return existing;
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const bytes = randomBytes(keyBytes);
    let handle: FileHandle;
    try {
      handle = await open(this.file, "wx", 0o600);
    } catch (error) {
      // Another process made it between our read and our create: use theirs.
      const raced = (error as NodeJS.ErrnoException).code === "EEXIST" ? await this.readSecret() : undefined;
      if (raced !== undefined) return raced;
      throw this.#unreadable((error as Error).message, error);
    }
    try {
      await handle.chmod(0o600);
      await handle.writeFile(`${bytes.toString("base64")}\n`, "utf8");
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(this.file).catch(() => undefined);
      throw this.#unreadable((error as Error).message, error);
    }
    await handle.close();
    return { bytes, origin: this.origin };
  }

  #unreadable(reason: string, cause?: unknown) {
    return credentialsLockedError({
      reason: `cannot use the key file ${this.file}: ${reason}`,
      recovery:
        "Restore the key file the store was created with, or point credentials.key_file at it. Without it the store cannot be opened.",
      cause,
    });
  }
}
