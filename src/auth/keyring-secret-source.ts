import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { credentialsLockedError } from "./credential-store-errors.js";
import type { MasterSecret, MasterSecretSource } from "./master-secret-source.js";

/** The keyring entry's attributes: `secret-tool lookup service astros account credentials-master` finds it. */
const attributes = ["service", "astros", "account", "credentials-master"];
const label = "AstrOS credential store master key";
const origin = "the OS keyring (secret-tool)";
const recovery =
  'Install libsecret-tools (e.g. apt install libsecret-tools) and run inside a desktop session with a keyring, or set credentials.backend = "passphrase" or "key_file".';

interface SecretToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The master secret in the OS keyring (GNOME Keyring, KWallet, KeePassXC: anything speaking the Secret Service
 * API), through libsecret's `secret-tool`. Usable when `secret-tool` is on PATH and a D-Bus session bus is
 * announced in DBUS_SESSION_BUS_ADDRESS. On first use it stores 32 random bytes (base64) under the entry.
 */
export class KeyringSecretSource implements MasterSecretSource {
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #timeoutMilliseconds: number;

  constructor(options: { env: Readonly<Record<string, string | undefined>>; timeoutMilliseconds?: number }) {
    this.#env = options.env;
    // A locked keyring may show an unlock dialog; give the person time to answer it.
    this.#timeoutMilliseconds = options.timeoutMilliseconds ?? 60_000;
  }

  /** Why the keyring cannot be used on this machine, or undefined when it can be. */
  unavailableReason(): string | undefined {
    if (!this.#env.DBUS_SESSION_BUS_ADDRESS) return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)";
    if (this.#secretTool() === undefined) return "secret-tool (libsecret) is not on PATH";
    return undefined;
  }

  async readSecret(): Promise<MasterSecret | undefined> {
    const result = await this.#run(["lookup", ...attributes]);
    // secret-tool answers 1 with no message when no entry matches.
    if (result.code === 1 && result.stderr.trim() === "" && result.stdout === "") return undefined;
    if (result.code !== 0) throw this.#failed("lookup", result);
    const secret = result.stdout.replace(/\r?\n$/, "");
    return secret === "" ? undefined : { bytes: Buffer.from(secret, "utf8"), origin };
  }

  async readOrCreateSecret(): Promise<MasterSecret> {
    const existing = await this.readSecret();
    if (existing !== undefined) return existing;
    const secret = randomBytes(32).toString("base64");
    const result = await this.#run(["store", `--label=${label}`, ...attributes], secret);
    if (result.code !== 0) throw this.#failed("store", result);
    return { bytes: Buffer.from(secret, "utf8"), origin };
  }

  #secretTool(): string | undefined {
    for (const folder of (this.#env.PATH ?? "").split(path.delimiter)) {
      if (folder === "") continue;
      const candidate = path.join(folder, "secret-tool");
      try {
        accessSync(candidate, constants.X_OK);
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // Not in this folder.
      }
    }
    return undefined;
  }

  #run(args: string[], input?: string): Promise<SecretToolResult> {
    const unavailable = this.unavailableReason();
    const executable = this.#secretTool();
    if (unavailable !== undefined || executable === undefined)
      return Promise.reject(
        credentialsLockedError({ reason: `no OS keyring: ${unavailable ?? "secret-tool not found"}`, recovery }),
      );
    return new Promise((resolve, reject) => {
      const child = spawn(executable, args, { env: this.#env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(
          credentialsLockedError({
            reason: `the OS keyring did not answer within ${this.#timeoutMilliseconds / 1000} s`,
            recovery: "Unlock the keyring (log in to the desktop session) and try again.",
          }),
        );
      }, this.#timeoutMilliseconds);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(credentialsLockedError({ reason: `cannot run ${executable}: ${error.message}`, recovery, cause: error }));
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.on("error", () => undefined); // the tool may exit before reading
      child.stdin.end(input ?? "");
    });
  }

  #failed(action: string, result: SecretToolResult) {
    const message = result.stderr.trim().slice(0, 300) || `exit code ${result.code}`;
    return credentialsLockedError({ reason: `the OS keyring refused the ${action}: ${message}`, recovery });
  }
}
