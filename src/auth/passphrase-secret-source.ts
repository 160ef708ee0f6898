import { credentialsLockedError } from "./credential-store-errors.js";
import type { MasterSecret, MasterSecretSource } from "./master-secret-source.js";
import type { HiddenPrompt } from "./read-hidden-line.js";

/** The variable holding the credential store's passphrase (for scripts and services without a terminal). */
export const passphraseVariable = "ASTROS_CREDENTIALS_PASSPHRASE";

/**
 * A passphrase: from ASTROS_CREDENTIALS_PASSPHRASE, else typed at a hidden prompt (twice for a new store),
 * else CREDENTIALS_LOCKED. Passphrases are Unicode-normalized (NFC) so the same text typed differently matches.
 */
export class PassphraseSecretSource implements MasterSecretSource {
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #prompt: HiddenPrompt | undefined;

  constructor(options: { env: Readonly<Record<string, string | undefined>>; prompt: HiddenPrompt | undefined }) {
    this.#env = options.env;
    this.#prompt = options.prompt;
  }

  readSecret(): Promise<MasterSecret> {
    return this.#obtain({ confirm: false });
  }

  readOrCreateSecret(): Promise<MasterSecret> {
    return this.#obtain({ confirm: true });
  }

  async #obtain(options: { confirm: boolean }): Promise<MasterSecret> {
    const fromEnvironment = this.#env[passphraseVariable];
    if (fromEnvironment !== undefined && fromEnvironment !== "")
      return { bytes: Buffer.from(fromEnvironment.normalize("NFC"), "utf8"), origin: passphraseVariable };
    const prompt = this.#prompt;
    if (prompt === undefined)
      throw credentialsLockedError({
        reason: `no passphrase: ${passphraseVariable} is not set and there is no terminal to ask on`,
        recovery: `Set ${passphraseVariable}, run the command in a terminal, or set credentials.backend = "key_file".`,
      });
    const typed = await prompt(
      options.confirm ? "New passphrase for the AstrOS credential store: " : "Passphrase for the AstrOS credential store: ",
    );
    if (typed === "")
      throw credentialsLockedError({ reason: "the passphrase is empty", recovery: "Type a passphrase, then Enter." });
    if (options.confirm && (await prompt("Repeat the passphrase: ")) !== typed)
      throw credentialsLockedError({
        reason: "the two passphrases differ",
        recovery: "Try again, typing the same passphrase twice.",
      });
    return { bytes: Buffer.from(typed.normalize("NFC"), "utf8"), origin: "the passphrase typed" };
  }
}
