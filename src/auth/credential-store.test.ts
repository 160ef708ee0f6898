import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AstrOSError } from "../core/errors/astros-error.js";
import { CredentialStore } from "./credential-store.js";
import type { ScryptParameters } from "./derive-credential-keys.js";
import type { MasterSecretSource } from "./master-secret-source.js";
import { PassphraseSecretSource } from "./passphrase-secret-source.js";

/** scrypt at 2^10 keeps these tests fast; the default (2^15) is checked once, below. */
const fastScrypt: ScryptParameters = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };
const secretValue = "sk-live-0123456789abcdefSECRET";

let folder: string;
let file: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "astros-credentials-"));
  file = path.join(folder, "data", "credentials.enc");
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function passphraseStore(passphrase: string, options: { scryptParameters?: ScryptParameters; now?: () => Date } = {}) {
  return new CredentialStore({
    file,
    secretSource: new PassphraseSecretSource({ env: { ASTROS_CREDENTIALS_PASSPHRASE: passphrase }, prompt: undefined }),
    scryptParameters: options.scryptParameters ?? fastScrypt,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

/** Rewrite the store's lines; with `fixChecksum` the last line is recomputed, as a deliberate attacker would. */
async function editStore(edit: (lines: string[]) => void, options: { fixChecksum: boolean }): Promise<void> {
  const lines = (await readFile(file, "utf8")).split("\n");
  edit(lines);
  if (options.fixChecksum)
    lines[3] = createHash("sha256")
      .update(`${lines.slice(0, 3).join("\n")}\n`)
      .digest("hex");
  await writeFile(file, lines.join("\n"));
}

async function errorOf(promise: Promise<unknown>): Promise<AstrOSError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!AstrOSError.isInstance(error)) throw new Error(`expected an AstrOSError, got ${String(error)}`);
  return error;
}

describe("CredentialStore", () => {
  it("round-trips set, get, list and delete, keeping createdAt when a value is replaced", async () => {
    let now = new Date("2025-01-02T03:04:05.000Z");
    const store = passphraseStore("correct horse", { now: () => now });
    await store.set("openai.api_key", secretValue);
    await store.set("github:token", "ghp_first");
    now = new Date("2025-02-03T04:05:06.000Z");
    await store.set("github:token", "ghp_second");

    expect(await store.get("openai.api_key")).toBe(secretValue);
    expect(await store.get("github:token")).toBe("ghp_second");
    expect(await store.get("absent")).toBeUndefined();
    expect(await store.list()).toEqual([
      { name: "github:token", createdAt: "2025-01-02T03:04:05.000Z", updatedAt: "2025-02-03T04:05:06.000Z" },
      { name: "openai.api_key", createdAt: "2025-01-02T03:04:05.000Z", updatedAt: "2025-01-02T03:04:05.000Z" },
    ]);

    expect(await store.delete("github:token")).toBe(true);
    expect(await store.delete("github:token")).toBe(false);
    expect(await store.get("github:token")).toBeUndefined();

    const reopened = passphraseStore("correct horse");
    expect(await reopened.get("openai.api_key")).toBe(secretValue);
    expect((await reopened.list()).map((credential) => credential.name)).toEqual(["openai.api_key"]);
  });

  it("keeps neither values nor names in plain text on disk", async () => {
    const store = passphraseStore("correct horse");
    await store.set("openai.api_key", secretValue);
    const bytes = await readFile(file);
    for (const forbidden of [secretValue, "openai.api_key", "correct horse"]) {
      expect(bytes.includes(Buffer.from(forbidden)), forbidden).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(forbidden).toString("base64").slice(0, 16))), `${forbidden} as base64`).toBe(
        false,
      );
    }
  });

  it("writes the store with mode 0600 in a 0700 folder, leaving no temporary or lock file behind", async () => {
    const store = passphraseStore("correct horse");
    await store.set("a", "1");
    await store.set("b", "2");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await readdir(path.dirname(file))).toEqual(["credentials.enc"]);
  });

  it("stores the KDF name, parameters and salt, the cipher and the IV in a JSON header, with a fresh IV per write", async () => {
    const store = passphraseStore("correct horse");
    await store.set("a", "1");
    const first = JSON.parse((await readFile(file, "utf8")).split("\n")[0] ?? "");
    await store.set("a", "1");
    const second = JSON.parse((await readFile(file, "utf8")).split("\n")[0] ?? "");
    expect(first).toMatchObject({
      format: "astros-credentials",
      version: 1,
      kdf: { name: "scrypt", cost: 1024, blockSize: 8, parallelization: 1 },
      cipher: "aes-256-gcm",
    });
    expect(Buffer.from(first.kdf.salt, "base64")).toHaveLength(16);
    expect(Buffer.from(first.iv, "base64")).toHaveLength(12);
    expect(second.kdf.salt).toBe(first.kdf.salt);
    expect(second.iv).not.toBe(first.iv);
  });

  it("uses memory-hard scrypt by default: N = 2^15, r = 8, p = 1", async () => {
    const store = new CredentialStore({
      file,
      secretSource: new PassphraseSecretSource({ env: { ASTROS_CREDENTIALS_PASSPHRASE: "x" }, prompt: undefined }),
    });
    await store.set("a", "1");
    const header = JSON.parse((await readFile(file, "utf8")).split("\n")[0] ?? "");
    expect(header.kdf).toMatchObject({ name: "scrypt", cost: 32768, blockSize: 8, parallelization: 1 });
  });

  it("refuses scrypt parameters that are too weak or too costly", () => {
    const secretSource = new PassphraseSecretSource({ env: {}, prompt: undefined });
    for (const scryptParameters of [
      { cost: 2 ** 9, blockSize: 8, parallelization: 1 },
      { cost: 3000, blockSize: 8, parallelization: 1 },
      { cost: 2 ** 20, blockSize: 8, parallelization: 1 },
    ])
      expect(() => new CredentialStore({ file, secretSource, scryptParameters })).toThrow(RangeError);
  });

  it("re-keys the store with a new salt when the scrypt parameters change, and still reads the old values", async () => {
    await passphraseStore("correct horse").set("a", "1");
    const before = JSON.parse((await readFile(file, "utf8")).split("\n")[0] ?? "");
    const stronger = passphraseStore("correct horse", { scryptParameters: { ...fastScrypt, cost: 2 ** 11 } });
    expect(await stronger.get("a")).toBe("1");
    await stronger.set("b", "2");
    const after = JSON.parse((await readFile(file, "utf8")).split("\n")[0] ?? "");
    expect(after.kdf.cost).toBe(2048);
    expect(after.kdf.salt).not.toBe(before.kdf.salt);
    expect(await passphraseStore("correct horse").get("a")).toBe("1");
  });

  it("says 'wrong passphrase (or key)' for a wrong passphrase, without any secret in the error", async () => {
    await passphraseStore("correct horse").set("openai.api_key", secretValue);
    const error = await errorOf(passphraseStore("wrong horse").get("openai.api_key"));
    expect(error.code).toBe("CREDENTIALS_WRONG_KEY");
    expect(error.message).toContain("wrong passphrase (or key)");
    const everything = JSON.stringify({ ...error.toJSON(), stack: error.stack });
    for (const secret of [secretValue, "correct horse", "wrong horse"]) expect(everything).not.toContain(secret);
    // A wrong passphrase never overwrites the store.
    await expect(passphraseStore("wrong horse").set("other", "x")).rejects.toMatchObject({ code: "CREDENTIALS_WRONG_KEY" });
    expect(await passphraseStore("correct horse").get("openai.api_key")).toBe(secretValue);
  });

  it.each([
    { what: "a flipped ciphertext byte", fixChecksum: false, caughtBy: "checksum" },
    { what: "a flipped ciphertext byte with the checksum recomputed", fixChecksum: true, caughtBy: "authentication" },
  ])("reports $what as tampering, not as a wrong passphrase", async ({ fixChecksum, caughtBy }) => {
    await passphraseStore("correct horse").set("openai.api_key", secretValue);
    await editStore(
      (lines) => {
        const ciphertext = Buffer.from(lines[1] ?? "", "base64");
        ciphertext[5] = (ciphertext[5] ?? 0) ^ 0x01;
        lines[1] = ciphertext.toString("base64");
      },
      { fixChecksum },
    );
    const error = await errorOf(passphraseStore("correct horse").get("openai.api_key"));
    expect(error.code).toBe("CREDENTIALS_TAMPERED");
    expect(error.message).toContain("the credential store has been tampered with or is corrupt");
    expect(error.message).not.toContain(secretValue);
    expect(error.details.reason).toContain(caughtBy);
  });

  it.each([
    { what: "a new IV (checksum recomputed)", field: "iv", fixChecksum: true, caughtBy: "authentication" },
    { what: "a new salt", field: "salt", fixChecksum: false, caughtBy: "checksum" },
    { what: "a changed key check", field: "keyCheck", fixChecksum: false, caughtBy: "checksum" },
  ])("reports a header edited to $what as tampering", async ({ field, fixChecksum, caughtBy }) => {
    await passphraseStore("correct horse").set("a", "1");
    await editStore(
      (lines) => {
        const header = JSON.parse(lines[0] ?? "");
        const target = field === "salt" ? header.kdf : header;
        const bytes = Buffer.from(target[field], "base64");
        bytes[0] = (bytes[0] ?? 0) ^ 0x80;
        target[field] = bytes.toString("base64");
        lines[0] = JSON.stringify(header);
      },
      { fixChecksum },
    );
    const error = await errorOf(passphraseStore("correct horse").get("a"));
    expect(error.code).toBe("CREDENTIALS_TAMPERED");
    expect(error.details.reason).toContain(caughtBy);
  });

  it("reports a tag that was cut short, or a file that is not a store at all, as tampering", async () => {
    await passphraseStore("correct horse").set("a", "1");
    await editStore((lines) => lines.splice(2, 1), { fixChecksum: false });
    await expect(passphraseStore("correct horse").get("a")).rejects.toMatchObject({ code: "CREDENTIALS_TAMPERED" });
    await writeFile(file, "password=hunter2\n");
    await expect(passphraseStore("correct horse").list()).rejects.toMatchObject({ code: "CREDENTIALS_TAMPERED" });
  });

  it("says a store from a newer format version is unsupported rather than tampered with", async () => {
    await passphraseStore("correct horse").set("a", "1");
    await editStore(
      (lines) => {
        lines[0] = (lines[0] ?? "").replace('"version":1', '"version":2');
      },
      { fixChecksum: true },
    );
    await expect(passphraseStore("correct horse").get("a")).rejects.toMatchObject({ code: "CREDENTIALS_UNSUPPORTED" });
  });

  it("accepts names like openai.api_key and github:work-2, and rejects others without echoing them", async () => {
    const store = passphraseStore("correct horse");
    const longest = `a${"b".repeat(127)}`;
    for (const name of ["openai.api_key", "github:work-2", "A", "9lives", longest]) await store.set(name, "v");
    expect(await store.list()).toHaveLength(5);
    for (const name of ["", "-leading", ".hidden", "has space", "slash/inside", `${longest}c`, "ünicode", "sk+abc/def="]) {
      const error = await errorOf(store.set(name, "v"));
      expect(error.code, name).toBe("CREDENTIAL_INVALID");
      if (name.length > 3) expect(error.message).not.toContain(name);
      await expect(store.get(name)).rejects.toMatchObject({ code: "CREDENTIAL_INVALID" });
      await expect(store.delete(name)).rejects.toMatchObject({ code: "CREDENTIAL_INVALID" });
    }
  });

  it("refuses an empty value", async () => {
    await expect(passphraseStore("correct horse").set("a", "")).rejects.toMatchObject({ code: "CREDENTIAL_INVALID" });
  });

  it("neither asks for a secret nor creates a file while the store does not exist and nothing is written", async () => {
    const secretSource: MasterSecretSource = {
      readSecret: vi.fn(async () => undefined),
      readOrCreateSecret: vi.fn(async () => ({ bytes: Buffer.from("x"), origin: "test" })),
    };
    const store = new CredentialStore({ file, secretSource, scryptParameters: fastScrypt });
    expect(await store.get("a")).toBeUndefined();
    expect(await store.list()).toEqual([]);
    expect(secretSource.readSecret).not.toHaveBeenCalled();
    expect(secretSource.readOrCreateSecret).not.toHaveBeenCalled();
    await expect(stat(file)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("says the store is locked when its master secret has gone missing", async () => {
    await passphraseStore("correct horse").set("a", "1");
    const secretSource: MasterSecretSource = {
      readSecret: async () => undefined,
      readOrCreateSecret: async () => ({ bytes: Buffer.from("new"), origin: "test" }),
    };
    const store = new CredentialStore({ file, secretSource, scryptParameters: fastScrypt });
    await expect(store.get("a")).rejects.toMatchObject({ code: "CREDENTIALS_LOCKED" });
    await expect(store.set("b", "2")).rejects.toMatchObject({ code: "CREDENTIALS_LOCKED" });
  });

  it("loses no update when two writers change the store at the same time", async () => {
    const names = Array.from({ length: 6 }, (_, index) => `key${index}`);
    await Promise.all(names.map((name) => passphraseStore("correct horse").set(name, `value-${name}`)));
    const store = passphraseStore("correct horse");
    expect((await store.list()).map((credential) => credential.name)).toEqual(names);
    for (const name of names) expect(await store.get(name)).toBe(`value-${name}`);
  });
});
