import { createRequire } from "node:module";
import type * as Argon2 from "@node-rs/argon2";
import { AstrOSError } from "../core/errors/astros-error.js";
import { passwordInvalidError } from "./user-errors.js";

/** argon2id's cost: memory in KiB, passes over it, and lanes. */
export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * OWASP's Password Storage Cheat Sheet minimum for argon2id: 19 MiB, 2 passes, 1 lane. About 30 ms per hash
 * on one core here: slow for an attacker with a stolen table, quick enough for a person signing in.
 */
export const defaultArgon2Parameters: Readonly<Argon2Parameters> = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/** NIST SP 800-63B asks for at least 8; 12 keeps guessable passwords out. */
export const minimumPasswordLength = 12;
/** Long enough for any passphrase, short enough that nobody makes the server hash megabytes. */
export const maximumPasswordLength = 1024;

const argon2idHashPattern = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/;

/** The numeric value of @node-rs/argon2's `Algorithm.Argon2id` (a const enum, which isolated modules cannot read). */
const argon2idAlgorithm = 2 as Argon2.Algorithm;

/**
 * Refuse a password outside the policy (12 to 1024 characters, counted as Unicode code points) with a
 * PASSWORD_INVALID error saying which limit it broke.
 */
export function assertAcceptablePassword(password: string): void {
  const length = [...password].length;
  if (length < minimumPasswordLength)
    throw passwordInvalidError({ reason: `it must be at least ${minimumPasswordLength} characters long` });
  if (length > maximumPasswordLength)
    throw passwordInvalidError({ reason: `it must be at most ${maximumPasswordLength} characters long` });
}

export interface PasswordHasherOptions {
  /** Defaults to defaultArgon2Parameters; hashes made with others are reported by needsRehash. */
  parameters?: Partial<Argon2Parameters>;
}

/**
 * Password hashing with argon2id (PHC strings, `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`). Passwords are
 * NFC-normalised first, so the same password typed on macOS and Linux matches. The native module loads on
 * first use.
 */
export class PasswordHasher {
  readonly parameters: Readonly<Argon2Parameters>;

  constructor(options: PasswordHasherOptions = {}) {
    this.parameters = Object.freeze({ ...defaultArgon2Parameters, ...options.parameters });
  }

  /** A new salted hash of the password; PASSWORD_INVALID when it is shorter than 12 or longer than 1024 characters. */
  async hash(password: string): Promise<string> {
    assertAcceptablePassword(password);
    return loadArgon2().hash(password.normalize("NFC"), { ...this.parameters, algorithm: argon2idAlgorithm });
  }

  /**
   * Does the password match the stored hash? The comparison is constant-time (inside argon2). A stored hash
   * that is malformed or not argon2id gives false, never an exception; so does a password over 1024 characters.
   */
  async verify(storedHash: string, password: string): Promise<boolean> {
    if (!argon2idHashPattern.test(storedHash) || [...password].length > maximumPasswordLength) return false;
    try {
      return await loadArgon2().verify(storedHash, password.normalize("NFC"));
    } catch {
      return false;
    }
  }

  /** True when the hash was not made with argon2id and this hasher's parameters: hash the password again at the next sign-in. */
  needsRehash(storedHash: string): boolean {
    const match = argon2idHashPattern.exec(storedHash);
    if (match === null) return true;
    const [, memoryCost, timeCost, parallelism] = match;
    return (
      Number(memoryCost) !== this.parameters.memoryCost ||
      Number(timeCost) !== this.parameters.timeCost ||
      Number(parallelism) !== this.parameters.parallelism
    );
  }
}

let argon2: typeof Argon2 | undefined;

/**
 * @node-rs/argon2 through require: its binary comes from a per-platform optional package, which the CLI
 * bundler cannot inline, and only commands that hash need it.
 */
function loadArgon2(): typeof Argon2 {
  if (argon2 !== undefined) return argon2;
  try {
    argon2 = createRequire(import.meta.url)("@node-rs/argon2") as typeof Argon2;
    return argon2;
  } catch (error) {
    throw new AstrOSError(`cannot load the password hashing module @node-rs/argon2: ${(error as Error).message}`, {
      recovery:
        "Reinstall AstrOS with optional dependencies (npm install --include=optional): the module's binary for this platform comes as one.",
      cause: error,
    });
  }
}
