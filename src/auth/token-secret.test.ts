import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateTokenSecret } from "./token-secret.js";

let folder: string;
let file: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "astros-token-secret-"));
  file = path.join(folder, "config", "astros", "token.key");
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("loadOrCreateTokenSecret", () => {
  it("creates 32 random bytes as base64, mode 0600 in a new 0700 folder, then reuses them", async () => {
    const created = await loadOrCreateTokenSecret({ file });
    expect(created).toBeInstanceOf(Uint8Array);
    expect(created).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(Buffer.from((await readFile(file, "utf8")).trim(), "base64").equals(Buffer.from(created))).toBe(true);
    expect(Buffer.from(await loadOrCreateTokenSecret({ file })).equals(Buffer.from(created))).toBe(true);
    expect(await readdir(path.dirname(file))).toEqual(["token.key"]);
  });

  it("makes the key's existing folder private (0700), whether the key is new or was already there", async () => {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
    await chmod(path.dirname(file), 0o755);
    await loadOrCreateTokenSecret({ file });
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    await chmod(path.dirname(file), 0o751);
    await loadOrCreateTokenSecret({ file });
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });

  it("gives processes starting together one and the same secret", async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateTokenSecret({ file })));
    for (const secret of secrets) expect(Buffer.from(secret).equals(Buffer.from(secrets[0] ?? []))).toBe(true);
    expect(await readdir(path.dirname(file))).toEqual(["token.key"]);
  });

  it("accepts a longer key someone made", async () => {
    await loadOrCreateTokenSecret({ file });
    const longer = Buffer.alloc(64, 7);
    await writeFile(file, longer.toString("base64"));
    expect(Buffer.from(await loadOrCreateTokenSecret({ file })).equals(longer)).toBe(true);
  });

  it("refuses a file other users can read, naming the chmod that fixes it", async () => {
    await loadOrCreateTokenSecret({ file });
    await chmod(file, 0o640);
    await expect(loadOrCreateTokenSecret({ file })).rejects.toMatchObject({
      name: "PermissionError",
      code: "AUTH_SECRET_INSECURE",
      message: `the token secret ${file} can be read or changed by other users (mode 640); refusing to use it`,
      recovery: expect.stringContaining(`chmod 600 ${file}`),
    });
  });

  it("refuses a file that does not hold a key of 32 bytes or more, and leaves it alone", async () => {
    await loadOrCreateTokenSecret({ file });
    for (const contents of ["", "not base64 at all!", Buffer.alloc(31).toString("base64")]) {
      await writeFile(file, contents);
      await expect(loadOrCreateTokenSecret({ file })).rejects.toMatchObject({
        name: "ConfigError",
        code: "AUTH_SECRET_INVALID",
        message: expect.stringContaining(`cannot use the token secret ${file}`),
      });
      expect(await readFile(file, "utf8")).toBe(contents);
    }
  });
});
