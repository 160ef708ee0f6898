/** The secret the credential store's keys are derived from, and where it came from. */
export interface MasterSecret {
  bytes: Buffer;
  /** Where the secret came from, for messages ("the key file /home/ana/.config/astros/credentials.key"). Never the secret. */
  origin: string;
}

/**
 * Where the credential store's master secret lives: the OS keyring, a passphrase, a key file.
 * A source throws CREDENTIALS_LOCKED (with what to do) when it cannot be asked at all.
 */
export interface MasterSecretSource {
  /** The secret an existing store was locked with, or undefined when this source holds none (no keyring entry, no key file). */
  readSecret(): Promise<MasterSecret | undefined>;
  /** The secret for a new store: the one already kept if any, else a new one made and kept (a typed passphrase is asked twice). */
  readOrCreateSecret(): Promise<MasterSecret>;
}
