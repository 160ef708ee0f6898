import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CredentialStore } from "./credential-store.js";
import { KeyringSecretSource } from "./keyring-secret-source.js";

// No Secret Service (GNOME Keyring, KWallet) runs on a headless test machine, and libsecret's secret-tool may not
// be installed, so these tests put a tiny fake `secret-tool` first on PATH. It keeps the secret in a file and logs
// its arguments, which is enough to check what AstrOS asks of the real tool.
const fakeSecretTool = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_KEYRING_DIR/calls"
case "$1" in
  lookup) [ -f "$FAKE_KEYRING_DIR/secret" ] || exit 1; cat "$FAKE_KEYRING_DIR/secret" ;;
  store) cat > "$FAKE_KEYRING_DIR/secret" ;;
  *) echo "secret-tool: unknown command" >&2; exit 2 ;;
esac
`;

let folder: string;
let bin: string;
let env: Record<string, string | undefined>;
beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "astros-keyring-"));
  bin = path.join(folder, "bin");
  await mkdir(bin);
  await installSecretTool(fakeSecretTool);
  env = {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    DBUS_SESSION_BUS_ADDRESS: "unix:path=/run/user/1000/bus",
    FAKE_KEYRING_DIR: folder,
  };
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function installSecretTool(script: string): Promise<void> {
  await writeFile(path.join(bin, "secret-tool"), script);
  await chmod(path.join(bin, "secret-tool"), 0o755);
}

describe("KeyringSecretSource", () => {
  it("is available only with secret-tool on PATH and a D-Bus session bus", () => {
    expect(new KeyringSecretSource({ env }).unavailableReason()).toBeUndefined();
    expect(new KeyringSecretSource({ env: { ...env, DBUS_SESSION_BUS_ADDRESS: undefined } }).unavailableReason()).toContain(
      "DBUS_SESSION_BUS_ADDRESS",
    );
    expect(new KeyringSecretSource({ env: { ...env, PATH: path.join(folder, "empty") } }).unavailableReason()).toContain(
      "secret-tool",
    );
  });

  it("stores a new random secret under service astros, account credentials-master, and finds it again", async () => {
    const source = new KeyringSecretSource({ env });
    expect(await source.readSecret()).toBeUndefined();
    const created = await source.readOrCreateSecret();
    expect(Buffer.from(created.bytes.toString("utf8"), "base64")).toHaveLength(32);
    expect((await new KeyringSecretSource({ env }).readSecret())?.bytes.equals(created.bytes)).toBe(true);
    expect((await readFile(path.join(folder, "calls"), "utf8")).split("\n")).toEqual([
      "lookup service astros account credentials-master",
      "lookup service astros account credentials-master",
      "store --label=AstrOS credential store master key service astros account credentials-master",
      "lookup service astros account credentials-master",
      "",
    ]);
  });

  it("locks and unlocks a credential store", async () => {
    const file = path.join(folder, "credentials.enc");
    const scryptParameters = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };
    await new CredentialStore({ file, secretSource: new KeyringSecretSource({ env }), scryptParameters }).set("a", "1");
    expect(await new CredentialStore({ file, secretSource: new KeyringSecretSource({ env }), scryptParameters }).get("a")).toBe(
      "1",
    );
  });

  it("reports what the keyring said when it fails, and never what it printed on stdout", async () => {
    await installSecretTool(`#!/bin/sh\necho "possibly-secret-output"\necho "Cannot autolaunch D-Bus without X11" >&2\nexit 3\n`);
    const error = await new KeyringSecretSource({ env }).readSecret().then(
      () => undefined,
      (thrown: unknown) => thrown as Error & { code: string },
    );
    expect(error?.code).toBe("CREDENTIALS_LOCKED");
    expect(error?.message).toContain("Cannot autolaunch D-Bus");
    expect(error?.message).not.toContain("possibly-secret-output");
  });

  it("gives up on a keyring that does not answer", async () => {
    await installSecretTool("#!/bin/sh\nexec sleep 10\n");
    await expect(new KeyringSecretSource({ env, timeoutMilliseconds: 200 }).readSecret()).rejects.toMatchObject({
      code: "CREDENTIALS_LOCKED",
      message: expect.stringContaining("did not answer"),
    });
  });
});
