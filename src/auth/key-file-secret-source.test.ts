import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AstrOSError } from "../core/errors/astros-error.js";
import { CredentialStore } from "./credential-store.js";
import { KeyFileSecretSource } from "./key-file-secret-source.js";

let folder: string;
let keyFile: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "astros-key-file-"));
  keyFile = path.join(folder, "config", "astros", "credentials.key");
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const storeWith = (source: KeyFileSecretSource) =>
  new CredentialStore({
    file: path.join(folder, "credentials.enc"),
    secretSource: source,
    scryptParameters: { cost: 2 ** 10, blockSize: 8, parallelization: 1 },
  });

describe("KeyFileSecretSource", () => {
  it("creates 32 random bytes as base64, mode 0600 in a new 0700 folder, then reuses them", async () => {
    const source = new KeyFileSecretSource({ file: keyFile });
    expect(await source.readSecret()).toBeUndefined();
    const created = await source.readOrCreateSecret();
    expect(created.bytes).toHaveLength(32);
    expect(created.origin).toBe(`the key file ${keyFile}`);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(keyFile))).mode & 0o777).toBe(0o700);
    expect(Buffer.from((await readFile(keyFile, "utf8")).trim(), "base64").equals(created.bytes)).toBe(true);

    const again = new KeyFileSecretSource({ file: keyFile });
    expect((await again.readOrCreateSecret()).bytes.equals(created.bytes)).toBe(true);
    expect((await again.readSecret())?.bytes.equals(created.bytes)).toBe(true);
  });

  it("opens a store made with the key file in a later process", async () => {
    await storeWith(new KeyFileSecretSource({ file: keyFile })).set("token", "abc");
    expect(await storeWith(new KeyFileSecretSource({ file: keyFile })).get("token")).toBe("abc");
  });

  it.each([0o640, 0o604, 0o620, 0o644])("refuses a key file with mode %s, naming the file and the chmod fix", async (mode) => {
    await new KeyFileSecretSource({ file: keyFile }).readOrCreateSecret();
    const before = await readFile(keyFile, "utf8");
    await chmod(keyFile, mode);
    const error = await new KeyFileSecretSource({ file: keyFile }).readOrCreateSecret().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(AstrOSError.isInstance(error) && error.code).toBe("CREDENTIALS_KEY_FILE_INSECURE");
    expect((error as AstrOSError).message).toContain(keyFile);
    expect((error as AstrOSError).recovery).toBe(`Make it private with: chmod 600 ${keyFile}`);
    expect((error as AstrOSError).message).not.toContain(before.trim());
    expect(await readFile(keyFile, "utf8")).toBe(before);
  });

  it("refuses a key file that does not hold a 32-byte base64 key, without overwriting it", async () => {
    await new KeyFileSecretSource({ file: keyFile }).readOrCreateSecret();
    await writeFile(keyFile, "not a key\n", { mode: 0o600 });
    await expect(new KeyFileSecretSource({ file: keyFile }).readOrCreateSecret()).rejects.toMatchObject({
      code: "CREDENTIALS_LOCKED",
    });
    expect(await readFile(keyFile, "utf8")).toBe("not a key\n");
  });

  it("does not make a new key for a store whose key file is gone: the store is locked, not silently replaced", async () => {
    await storeWith(new KeyFileSecretSource({ file: keyFile })).set("token", "abc");
    await rm(keyFile);
    await expect(storeWith(new KeyFileSecretSource({ file: keyFile })).set("other", "x")).rejects.toMatchObject({
      code: "CREDENTIALS_LOCKED",
    });
    await expect(stat(keyFile)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
