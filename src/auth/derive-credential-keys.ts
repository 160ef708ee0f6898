import { hkdfSync, scrypt } from "node:crypto";

/** scrypt's parameters, spelled as node:crypto spells them (N, r, p). Stored in the store's header. */
export interface ScryptParameters {
  /** N: CPU and memory cost, a power of two. Memory used is about 128 × cost × blockSize bytes. */
  cost: number;
  /** r */
  blockSize: number;
  /** p */
  parallelization: number;
}

/** N = 2^15, r = 8, p = 1: 32 MiB and roughly 100 ms per unlock, the strength OWASP recommends for scrypt. */
export const defaultScryptParameters: Readonly<ScryptParameters> = { cost: 2 ** 15, blockSize: 8, parallelization: 1 };

/** Bounds enforced on write and on read, so an edited header cannot ask for gigabytes or hours. */
const minimumCost = 2 ** 10;
const maximumMemoryBytes = 256 * 1024 * 1024;

/** The two independent keys drawn from one master secret. */
export interface CredentialKeys {
  /** AES-256-GCM key for the store's contents. */
  encryptionKey: Buffer;
  /** Stored in the header: tells a wrong master secret apart from a damaged file, and reveals nothing about encryptionKey. */
  keyCheck: Buffer;
}

/** Why the parameters are unacceptable, or undefined when they are fine. */
export function describeInvalidScryptParameters(parameters: ScryptParameters): string | undefined {
  const { cost, blockSize, parallelization } = parameters;
  if (!Number.isInteger(cost) || cost < minimumCost || (cost & (cost - 1)) !== 0)
    return `scrypt cost ${cost} is not a power of two of at least ${minimumCost}`;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 32) return `scrypt block size ${blockSize} is not 1 to 32`;
  if (!Number.isInteger(parallelization) || parallelization < 1 || parallelization > 16)
    return `scrypt parallelization ${parallelization} is not 1 to 16`;
  if (128 * cost * blockSize > maximumMemoryBytes) return `scrypt parameters needing more than ${maximumMemoryBytes} bytes`;
  return undefined;
}

/**
 * scrypt (memory-hard) turns the master secret and salt into one root key; HKDF-SHA-256 splits it into the
 * encryption key and the key-check value, so the check stored in the clear says nothing about the encryption key.
 */
export async function deriveCredentialKeys(options: {
  secret: Buffer;
  salt: Buffer;
  parameters: ScryptParameters;
}): Promise<CredentialKeys> {
  const { cost, blockSize, parallelization } = options.parameters;
  const rootKey = await new Promise<Buffer>((resolve, reject) => {
    scrypt(
      options.secret,
      options.salt,
      32,
      // OpenSSL needs 128 × r × (N + p + 2) bytes; twice 128 × N × r covers that with room to spare.
      { cost, blockSize, parallelization, maxmem: 256 * cost * blockSize },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
  try {
    const expand = (info: string) => Buffer.from(hkdfSync("sha256", rootKey, options.salt, info, 32));
    return { encryptionKey: expand("astros credentials v1 encryption"), keyCheck: expand("astros credentials v1 key check") };
  } finally {
    rootKey.fill(0);
  }
}
