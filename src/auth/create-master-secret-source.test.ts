import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMasterSecretSource } from "./create-master-secret-source.js";
import { CredentialStore } from "./credential-store.js";

// As in keyring-secret-source.test.ts: no Secret Service runs headless here, so a fake secret-tool on PATH stands in.
const fakeSecretTool = `#!/bin/sh
case "$1" in
  lookup) [ -f "$FAKE_KEYRING_DIR/secret" ] || exit 1; cat "$FAKE_KEYRING_DIR/secret" ;;
  store) cat > "$FAKE_KEYRING_DIR/secret" ;;
esac
`;
const scryptParameters = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };

let folder: string;
let keyFile: string;
let file: string;
let keyringEnv: Record<string, string>;
beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "astros-secret-source-"));
  keyFile = path.join(folder, "credentials.key");
  file = path.join(folder, "credentials.enc");
  await mkdir(path.join(folder, "bin"));
  await writeFile(path.join(folder, "bin", "secret-tool"), fakeSecretTool);
  await chmod(path.join(folder, "bin", "secret-tool"), 0o755);
  keyringEnv = {
    PATH: `${path.join(folder, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    DBUS_SESSION_BUS_ADDRESS: "unix:path=/run/user/1000/bus",
    FAKE_KEYRING_DIR: folder,
  };
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const noKeyringEnv = () => ({ PATH: path.join(folder, "empty") });
const exists = (target: string) =>
  stat(target).then(
    () => true,
    () => false,
  );

function store(options: { backend: "auto" | "keyring" | "passphrase" | "key_file"; env: Record<string, string> }) {
  const prompt = vi.fn(async () => "typed");
  const secretSource = createMasterSecretSource({ ...options, keyFile, prompt });
  return { store: new CredentialStore({ file, secretSource, scryptParameters }), prompt };
}

describe("createMasterSecretSource", () => {
  it("auto: uses the OS keyring when one answers, and makes no key file", async () => {
    const { store: keyringStore, prompt } = store({ backend: "auto", env: keyringEnv });
    await keyringStore.set("a", "1");
    expect(await exists(path.join(folder, "secret"))).toBe(true);
    expect(await exists(keyFile)).toBe(false);
    expect(prompt).not.toHaveBeenCalled();
    expect(await store({ backend: "keyring", env: keyringEnv }).store.get("a")).toBe("1");
  });

  it("auto: without a keyring, uses ASTROS_CREDENTIALS_PASSPHRASE when set", async () => {
    const env = { ...noKeyringEnv(), ASTROS_CREDENTIALS_PASSPHRASE: "from the environment" };
    await store({ backend: "auto", env }).store.set("a", "1");
    expect(await exists(keyFile)).toBe(false);
    expect(await store({ backend: "passphrase", env }).store.get("a")).toBe("1");
  });

  it("auto: otherwise uses the key file, and never prompts", async () => {
    const { store: keyFileStore, prompt } = store({ backend: "auto", env: noKeyringEnv() });
    await keyFileStore.set("a", "1");
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(prompt).not.toHaveBeenCalled();
    expect(await store({ backend: "key_file", env: noKeyringEnv() }).store.get("a")).toBe("1");
  });

  it("auto: still opens a key-file store after a keyring appears on the machine", async () => {
    await store({ backend: "auto", env: noKeyringEnv() }).store.set("a", "1");
    expect(await store({ backend: "auto", env: keyringEnv }).store.get("a")).toBe("1");
  });

  it("auto: passes over a keyring that fails, reporting its failure only when nothing else holds the secret", async () => {
    await writeFile(path.join(folder, "bin", "secret-tool"), '#!/bin/sh\necho "No such secret collection" >&2\nexit 1\n');
    await store({ backend: "auto", env: keyringEnv }).store.set("a", "1");
    expect(await exists(keyFile)).toBe(true);
    expect(await store({ backend: "auto", env: keyringEnv }).store.get("a")).toBe("1");
    await rm(keyFile);
    await expect(store({ backend: "auto", env: keyringEnv }).store.get("a")).rejects.toMatchObject({
      code: "CREDENTIALS_LOCKED",
      message: expect.stringContaining("No such secret collection"),
    });
  });

  it("keyring named explicitly but absent: a clear error saying what is missing and what to do", async () => {
    const { store: keyringStore } = store({ backend: "keyring", env: noKeyringEnv() });
    const error = await keyringStore.set("a", "1").then(
      () => undefined,
      (thrown: unknown) => thrown as Error & { code: string; recovery: string },
    );
    expect(error?.code).toBe("CREDENTIALS_LOCKED");
    expect(error?.message).toMatch(/no OS keyring: .*DBUS_SESSION_BUS_ADDRESS/);
    expect(error?.recovery).toContain("libsecret");
    expect(await exists(file)).toBe(false);
  });

  it("passphrase: asks at the prompt when the variable is not set", async () => {
    const { store: passphraseStore, prompt } = store({ backend: "passphrase", env: noKeyringEnv() });
    await passphraseStore.set("a", "1");
    expect(prompt).toHaveBeenCalledTimes(2);
    expect(await store({ backend: "passphrase", env: { ASTROS_CREDENTIALS_PASSPHRASE: "typed" } }).store.get("a")).toBe("1");
  });
});
