import { mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import type { CredentialsConfig } from "../config/config-schema.js";
import { StorageError } from "../core/errors/storage-error.js";
import { createMasterSecretSource } from "./create-master-secret-source.js";
import {
  newCredentialSalt,
  openCredentialEnvelope,
  parseCredentialEnvelope,
  sealCredentialEnvelope,
} from "./credential-envelope.js";
import { assertCredentialName } from "./credential-name.js";
import { credentialsLockedError, invalidCredentialError, tamperedError } from "./credential-store-errors.js";
import {
  type CredentialKeys,
  defaultScryptParameters,
  deriveCredentialKeys,
  describeInvalidScryptParameters,
  type ScryptParameters,
} from "./derive-credential-keys.js";
import type { MasterSecret, MasterSecretSource } from "./master-secret-source.js";
import { type HiddenPrompt, terminalHiddenPrompt } from "./read-hidden-line.js";
import { withFileLock } from "./with-file-lock.js";
import { writeFileAtomically } from "./write-file-atomically.js";

/** What `list()` tells about a credential: never its value. Times are ISO 8601. */
export interface CredentialInfo {
  name: string;
  createdAt: string;
  updatedAt: string;
}

/** The decrypted contents of the store. */
const contentsSchema = z.strictObject({
  credentials: z.array(z.strictObject({ name: z.string(), value: z.string(), createdAt: z.string(), updatedAt: z.string() })),
});

type StoredCredential = z.output<typeof contentsSchema>["credentials"][number];

interface LoadedStore {
  credentials: Map<string, StoredCredential>;
  salt: Buffer;
  parameters: ScryptParameters;
}

export interface CredentialStoreOptions {
  /** The encrypted store (`credentials.file`); created on the first `set`. */
  file: string;
  /** Where the master secret comes from. */
  secretSource: MasterSecretSource;
  /** scrypt parameters for what this store writes (a store written with others is re-keyed on its next write). Lower only in tests. */
  scryptParameters?: ScryptParameters;
  /** Defaults to the system clock. */
  now?: () => Date;
}

export interface CredentialStoreFromConfigOptions {
  /** The `credentials` section of a loaded (finalized) configuration. */
  configuration: CredentialsConfig;
  /** Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** How to ask for a passphrase. Defaults to a hidden prompt when stdin is a terminal. */
  prompt?: HiddenPrompt | undefined;
  scryptParameters?: ScryptParameters;
}

/**
 * AstrOS's encrypted credential store: named secrets (API keys, tokens) in one file, encrypted with AES-256-GCM
 * under a key derived by scrypt from a master secret (OS keyring, passphrase or key file). Every write replaces
 * the file atomically with mode 0600, under a lock. Reading needs the master secret only when the file exists.
 *
 * Errors: CREDENTIALS_WRONG_KEY (wrong passphrase or key), CREDENTIALS_TAMPERED (the file was changed or
 * damaged), CREDENTIALS_LOCKED (no master secret to be had), CREDENTIAL_INVALID (a bad name or empty value).
 */
export class CredentialStore {
  readonly file: string;
  readonly #source: MasterSecretSource;
  readonly #parameters: ScryptParameters;
  readonly #now: () => Date;
  #secret: MasterSecret | undefined;
  #derived: { salt: Buffer; parameters: ScryptParameters; keys: CredentialKeys } | undefined;

  constructor(options: CredentialStoreOptions) {
    this.file = options.file;
    this.#source = options.secretSource;
    this.#parameters = { ...(options.scryptParameters ?? defaultScryptParameters) };
    const invalid = describeInvalidScryptParameters(this.#parameters);
    if (invalid !== undefined) throw new RangeError(`Unusable ${invalid}`);
    this.#now = options.now ?? (() => new Date());
  }

  /** The store `credentials.file` names, its master secret from `credentials.backend`. */
  static fromConfig(options: CredentialStoreFromConfigOptions): CredentialStore {
    const secretSource = createMasterSecretSource({
      backend: options.configuration.backend,
      keyFile: options.configuration.key_file,
      env: options.env ?? process.env,
      prompt: "prompt" in options ? options.prompt : terminalHiddenPrompt(),
    });
    return new CredentialStore({
      file: options.configuration.file,
      secretSource,
      ...(options.scryptParameters === undefined ? {} : { scryptParameters: options.scryptParameters }),
    });
  }

  /** The value stored under `name`, or undefined. */
  async get(name: string): Promise<string | undefined> {
    assertCredentialName(name);
    return (await this.#load())?.credentials.get(name)?.value;
  }

  /** Every credential's name and times, sorted by name. Never the values. */
  async list(): Promise<CredentialInfo[]> {
    const credentials = [...((await this.#load())?.credentials.values() ?? [])];
    return credentials
      .map(({ name, createdAt, updatedAt }) => ({ name, createdAt, updatedAt }))
      .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  }

  /** Store `value` under `name`, replacing any value there. Creates the store (and its master secret) on first use. */
  async set(name: string, value: string): Promise<void> {
    assertCredentialName(name);
    if (value === "")
      throw invalidCredentialError({
        message: "a credential value cannot be empty",
        recovery: "`astros credentials delete` removes a credential.",
      });
    await this.#update((credentials) => {
      const now = this.#now().toISOString();
      credentials.set(name, { name, value, createdAt: credentials.get(name)?.createdAt ?? now, updatedAt: now });
      return true;
    });
  }

  /** Remove `name`; false when there was no such credential. */
  async delete(name: string): Promise<boolean> {
    assertCredentialName(name);
    return this.#update((credentials) => credentials.delete(name));
  }

  /** Decrypt the store; undefined when it does not exist yet. */
  async #load(): Promise<LoadedStore | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new StorageError(`cannot read the credential store ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    const envelope = parseCredentialEnvelope({ text, file: this.file });
    const secret = await this.#existingStoreSecret();
    const keys = await this.#keysFor({ salt: envelope.salt, parameters: envelope.parameters, secret });
    const plaintext = openCredentialEnvelope({ envelope, keys, file: this.file, origin: secret.origin });
    try {
      return { credentials: this.#parseContents(plaintext), salt: envelope.salt, parameters: envelope.parameters };
    } finally {
      plaintext.fill(0);
    }
  }

  /** Apply `change` to the decrypted credentials under the lock, and write them back if it says it changed something. */
  async #update(change: (credentials: Map<string, StoredCredential>) => boolean): Promise<boolean> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // Get the secret before taking the lock: someone may be typing a passphrase.
    if (await fileExists(this.file)) await this.#existingStoreSecret();
    else await this.#newStoreSecret();
    return withFileLock({
      file: this.file,
      work: async () => {
        const loaded = await this.#load();
        const credentials = loaded?.credentials ?? new Map<string, StoredCredential>();
        if (!change(credentials)) return false;
        // The salt is kept while the parameters are unchanged, so the derived keys are reused; new parameters, new salt.
        const salt =
          loaded !== undefined && sameParameters(loaded.parameters, this.#parameters) ? loaded.salt : newCredentialSalt();
        const secret = this.#secret ?? (await this.#newStoreSecret());
        const keys = await this.#keysFor({ salt, parameters: this.#parameters, secret });
        const plaintext = Buffer.from(JSON.stringify({ credentials: [...credentials.values()] }), "utf8");
        try {
          const contents = sealCredentialEnvelope({ plaintext, keys, salt, parameters: this.#parameters });
          await writeFileAtomically({ file: this.file, contents });
        } finally {
          plaintext.fill(0);
        }
        return true;
      },
    });
  }

  #parseContents(plaintext: Buffer): Map<string, StoredCredential> {
    let value: unknown;
    try {
      value = JSON.parse(plaintext.toString("utf8"));
    } catch (error) {
      throw tamperedError({ file: this.file, reason: "its decrypted contents are not JSON", cause: error });
    }
    const parsed = contentsSchema.safeParse(value);
    if (!parsed.success) throw tamperedError({ file: this.file, reason: "its decrypted contents are not understood" });
    return new Map(parsed.data.credentials.map((credential) => [credential.name, credential]));
  }

  async #existingStoreSecret(): Promise<MasterSecret> {
    this.#secret ??= await this.#source.readSecret();
    if (this.#secret !== undefined) return this.#secret;
    throw credentialsLockedError({
      reason: `no master secret for the existing store ${this.file} (no keyring entry, key file or passphrase)`,
      recovery:
        'Restore the key file (credentials.key_file) or keyring entry the store was created with, or give its passphrase in ASTROS_CREDENTIALS_PASSPHRASE with credentials.backend = "passphrase".',
    });
  }

  async #newStoreSecret(): Promise<MasterSecret> {
    this.#secret ??= await this.#source.readOrCreateSecret();
    return this.#secret;
  }

  async #keysFor(options: { salt: Buffer; parameters: ScryptParameters; secret: MasterSecret }): Promise<CredentialKeys> {
    const cached = this.#derived;
    if (cached?.salt.equals(options.salt) && sameParameters(cached.parameters, options.parameters)) return cached.keys;
    const keys = await deriveCredentialKeys({ secret: options.secret.bytes, salt: options.salt, parameters: options.parameters });
    this.#derived = { salt: options.salt, parameters: { ...options.parameters }, keys };
    return keys;
  }
}

function sameParameters(left: ScryptParameters, right: ScryptParameters): boolean {
  return left.cost === right.cost && left.blockSize === right.blockSize && left.parallelization === right.parallelization;
}

async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
