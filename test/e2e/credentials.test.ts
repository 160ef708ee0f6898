import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliResult, type CliSandbox, createCliSandbox } from "./run-cli.js";

// The built CLI (dist/cli/main.js) with a throwaway HOME and XDG folders. The sandbox has no D-Bus session, so
// `auto` never finds a keyring here: it uses ASTROS_CREDENTIALS_PASSPHRASE when a test sets it, else the key file.

const secretValue = "sk-e2e-9f8e7d6c5b4a3210";

let sandbox: CliSandbox;
let storeFile: string;
let keyFile: string;
beforeEach(async () => {
  sandbox = await createCliSandbox();
  storeFile = path.join(sandbox.dataDirectory, "credentials.enc");
  keyFile = path.join(sandbox.configDirectory, "credentials.key");
});
afterEach(async () => {
  await sandbox.dispose();
});

function expectNoSecretIn(result: CliResult, ...secrets: string[]): void {
  for (const secret of secrets) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
}

describe("astros credentials", () => {
  it("sets from stdin, gets, lists and deletes, keeping the value encrypted in a 0600 file", async () => {
    const set = await sandbox.run(["credentials", "set", "openai.api_key"], { input: `${secretValue}\n` });
    expect(set.stderr).toContain("stored openai.api_key");
    expect(set.code).toBe(0);
    expectNoSecretIn(set, secretValue);
    await sandbox.run(["credentials", "set", "github:token", "--value-stdin"], { input: "ghp_abc" });

    const get = await sandbox.run(["credentials", "get", "openai.api_key"]);
    expect(get).toMatchObject({ code: 0, stdout: `${secretValue}\n` });

    const list = await sandbox.run(["credentials", "list", "--json"]);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { name: string; createdAt: string; updatedAt: string }[];
    expect(listed.map((credential) => credential.name)).toEqual(["github:token", "openai.api_key"]);
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(["createdAt", "name", "updatedAt"]);
    expectNoSecretIn(list, secretValue, "ghp_abc");
    const table = await sandbox.run(["credentials", "list"]);
    expect(table.stdout).toMatch(/^openai\.api_key\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/m);
    expectNoSecretIn(table, secretValue, "ghp_abc");

    expect((await stat(storeFile)).mode & 0o777).toBe(0o600);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const onDisk = await readFile(storeFile, "utf8");
    expect(onDisk).not.toContain(secretValue);
    expect(onDisk).not.toContain("openai.api_key");

    const deleted = await sandbox.run(["credentials", "delete", "openai.api_key"]);
    expect(deleted.code).toBe(0);
    const gone = await sandbox.run(["credentials", "get", "openai.api_key"]);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toBe("");
    expect(gone.stderr).toContain('astros: no credential named "openai.api_key"');
    const again = await sandbox.run(["credentials", "delete", "openai.api_key"]);
    expect(again.code).toBe(1);
    expect((await sandbox.run(["credentials", "get", "github:token"])).stdout).toBe("ghp_abc\n");
  });

  it("exits 1 on a wrong passphrase, saying so and printing no secret", async () => {
    const right = { ASTROS_CREDENTIALS_PASSPHRASE: "right horse battery" };
    const wrong = { ASTROS_CREDENTIALS_PASSPHRASE: "wrong horse battery" };
    expect((await sandbox.run(["credentials", "set", "token"], { input: secretValue, env: right })).code).toBe(0);
    await expect(stat(keyFile)).rejects.toMatchObject({ code: "ENOENT" });

    for (const args of [
      ["credentials", "get", "token"],
      ["credentials", "list"],
      ["credentials", "set", "other"],
    ]) {
      const result = await sandbox.run(args, { input: "new-value", env: wrong });
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stderr).toContain("astros: wrong passphrase (or key) for the credential store");
      expectNoSecretIn(result, secretValue, "right horse battery", "wrong horse battery", "new-value");
    }
    expect((await sandbox.run(["credentials", "get", "token"], { env: right })).stdout).toBe(`${secretValue}\n`);
  });

  it("exits 1 when the store was tampered with", async () => {
    await sandbox.run(["credentials", "set", "token"], { input: secretValue });
    const lines = (await readFile(storeFile, "utf8")).split("\n");
    const ciphertext = Buffer.from(lines[1] ?? "", "base64");
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 0xff;
    lines[1] = ciphertext.toString("base64");
    await writeFile(storeFile, lines.join("\n"));
    const result = await sandbox.run(["credentials", "get", "token"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the credential store has been tampered with or is corrupt");
    expectNoSecretIn(result, secretValue);
  });

  it("refuses an empty value and an invalid name, storing nothing", async () => {
    const empty = await sandbox.run(["credentials", "set", "token"], { input: "\n" });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("a credential value cannot be empty");
    const badName = await sandbox.run(["credentials", "set", "has space"], { input: secretValue });
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain("invalid credential name");
    await expect(stat(storeFile)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("refuses a key file other users can read, naming it and the chmod that fixes it", async () => {
    await sandbox.run(["credentials", "set", "token"], { input: secretValue });
    await chmod(keyFile, 0o644);
    const result = await sandbox.run(["credentials", "get", "token"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the key file ${keyFile} can be read or changed by other users (mode 644)`);
    expect(result.stderr).toContain(`chmod 600 ${keyFile}`);
    expectNoSecretIn(result, secretValue);
  });

  it("with backend = keyring and no keyring, says what is missing and exits 1", async () => {
    await writeFile(path.join(sandbox.configDirectory, "config.toml"), '[credentials]\nbackend = "keyring"\n');
    const result = await sandbox.run(["credentials", "set", "token"], { input: secretValue });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("astros: cannot unlock the credential store: no OS keyring");
    expect(result.stderr).toContain("libsecret");
    await expect(stat(storeFile)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("documents the subcommands and the backends in --help", async () => {
    const help = await sandbox.run(["credentials", "--help"]);
    expect(help.code).toBe(0);
    for (const text of ["set [options] <name>", "get <name>", "list [options]", "delete <name>", "ASTROS_CREDENTIALS_PASSPHRASE"])
      expect(help.stdout).toContain(text);
  });
});
