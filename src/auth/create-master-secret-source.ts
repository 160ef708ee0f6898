import type { CredentialsConfig } from "../config/config-schema.js";
import { KeyFileSecretSource } from "./key-file-secret-source.js";
import { KeyringSecretSource } from "./keyring-secret-source.js";
import type { MasterSecret, MasterSecretSource } from "./master-secret-source.js";
import { PassphraseSecretSource, passphraseVariable } from "./passphrase-secret-source.js";
import type { HiddenPrompt } from "./read-hidden-line.js";

export interface CreateMasterSecretSourceOptions {
  /** `credentials.backend`. */
  backend: CredentialsConfig["backend"];
  /** `credentials.key_file`, absolute. */
  keyFile: string;
  /** Where ASTROS_CREDENTIALS_PASSPHRASE, PATH and DBUS_SESSION_BUS_ADDRESS are read. */
  env: Readonly<Record<string, string | undefined>>;
  /** How to ask for a passphrase; undefined when nobody can be asked. Only the `passphrase` backend asks. */
  prompt: HiddenPrompt | undefined;
}

/**
 * The master secret source `credentials.backend` names. A backend named explicitly is used or fails with
 * CREDENTIALS_LOCKED saying why; `auto` never prompts and never fails for want of a keyring.
 */
export function createMasterSecretSource(options: CreateMasterSecretSourceOptions): MasterSecretSource {
  switch (options.backend) {
    case "keyring":
      return new KeyringSecretSource({ env: options.env });
    case "passphrase":
      return new PassphraseSecretSource({ env: options.env, prompt: options.prompt });
    case "key_file":
      return new KeyFileSecretSource({ file: options.keyFile });
    case "auto":
      return automaticSecretSource(options);
  }
}

/**
 * `auto`: the OS keyring if one answers here, else ASTROS_CREDENTIALS_PASSPHRASE if set, else the key file.
 * A new store takes its secret from the first of these that works. An existing store is opened with the first
 * that holds a secret, so a keyring installed after the store was made with a key file does not lock it out.
 * A keyring that fails (no Secret Service behind the bus, say) is passed over like a missing one.
 */
function automaticSecretSource(options: CreateMasterSecretSourceOptions): MasterSecretSource {
  const keyringSource = new KeyringSecretSource({ env: options.env });
  const keyring = keyringSource.unavailableReason() === undefined ? keyringSource : undefined;
  const passphrase = options.env[passphraseVariable];
  // Without a keyring: the passphrase variable when set (never a prompt), else the key file.
  const fallback: MasterSecretSource =
    passphrase !== undefined && passphrase !== ""
      ? new PassphraseSecretSource({ env: options.env, prompt: undefined })
      : new KeyFileSecretSource({ file: options.keyFile });
  return {
    async readSecret(): Promise<MasterSecret | undefined> {
      let keyringFailure: unknown;
      try {
        const secret = await keyring?.readSecret();
        if (secret !== undefined) return secret;
      } catch (error) {
        keyringFailure = error;
      }
      const secret = await fallback.readSecret();
      if (secret === undefined && keyringFailure !== undefined) throw keyringFailure;
      return secret;
    },
    async readOrCreateSecret(): Promise<MasterSecret> {
      try {
        const secret = await keyring?.readOrCreateSecret();
        if (secret !== undefined) return secret;
      } catch {
        // Passed over: the next source makes the secret.
      }
      return fallback.readOrCreateSecret();
    },
  };
}
