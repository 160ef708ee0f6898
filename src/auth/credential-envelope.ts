import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import { tamperedError, unsupportedStoreError, wrongKeyError } from "./credential-store-errors.js";
import { type CredentialKeys, describeInvalidScryptParameters, type ScryptParameters } from "./derive-credential-keys.js";

/*
 * The store file, four lines of text:
 *
 *   {"format":"astros-credentials","version":1,"kdf":{...,"salt":"…"},"keyCheck":"…","cipher":"aes-256-gcm","iv":"…"}
 *   <ciphertext, base64>
 *   <GCM authentication tag, base64>
 *   <SHA-256 of the three lines above, hex>
 *
 * The header line's exact bytes are the GCM additional data, so editing any of it fails authentication. The
 * last line is a plain checksum against accidental damage and hand edits: without it a changed salt or KDF
 * parameter would look like a wrong passphrase. It is not a security control (anyone can recompute it); the
 * GCM tag is.
 */

const formatName = "astros-credentials";
export const envelopeVersion = 1;
const cipherName = "aes-256-gcm";
const ivBytes = 12;
const tagBytes = 16;
const saltBytes = 16;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const headerSchema = z.strictObject({
  format: z.literal(formatName),
  version: z.literal(envelopeVersion),
  kdf: z.strictObject({
    name: z.literal("scrypt"),
    cost: z.number(),
    blockSize: z.number(),
    parallelization: z.number(),
    salt: base64,
  }),
  keyCheck: base64,
  cipher: z.literal(cipherName),
  iv: base64,
});

/** The header line, the store's unencrypted metadata. */
export type CredentialEnvelopeHeader = z.output<typeof headerSchema>;

/** A store file checked for damage and split into parts, not yet decrypted. */
export interface CredentialEnvelope {
  headerLine: string;
  parameters: ScryptParameters;
  salt: Buffer;
  keyCheck: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function checksumOf(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Split and check a store file's text. Throws CREDENTIALS_TAMPERED or CREDENTIALS_UNSUPPORTED. */
export function parseCredentialEnvelope(options: { text: string; file: string }): CredentialEnvelope {
  const { file } = options;
  const damaged = (reason: string, cause?: unknown) => tamperedError({ file, reason, cause });
  const lines = options.text.split("\n");
  const [headerLine, ciphertextLine, tagLine, checksumLine, rest] = lines;
  if (
    headerLine === undefined ||
    ciphertextLine === undefined ||
    tagLine === undefined ||
    checksumLine === undefined ||
    rest !== "" ||
    lines.length !== 5
  )
    throw damaged("not in the credential store's four-line format");
  if (checksumOf(`${headerLine}\n${ciphertextLine}\n${tagLine}\n`) !== checksumLine)
    throw damaged("its checksum does not match its contents");

  let headerValue: unknown;
  try {
    headerValue = JSON.parse(headerLine);
  } catch (error) {
    throw damaged("the header is not JSON", error);
  }
  const version = (headerValue as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > envelopeVersion)
    throw unsupportedStoreError({ file, reason: `format version ${version}` });
  const parsed = headerSchema.safeParse(headerValue);
  if (!parsed.success) throw damaged("the header is not understood", parsed.error);
  const { kdf } = parsed.data;
  const parameters: ScryptParameters = { cost: kdf.cost, blockSize: kdf.blockSize, parallelization: kdf.parallelization };
  const invalid = describeInvalidScryptParameters(parameters);
  if (invalid !== undefined) throw damaged(`the header asks for ${invalid}`);

  const envelope: CredentialEnvelope = {
    headerLine,
    parameters,
    salt: Buffer.from(kdf.salt, "base64"),
    keyCheck: Buffer.from(parsed.data.keyCheck, "base64"),
    iv: Buffer.from(parsed.data.iv, "base64"),
    ciphertext: Buffer.from(ciphertextLine, "base64"),
    tag: Buffer.from(tagLine, "base64"),
  };
  if (envelope.salt.length < saltBytes || envelope.iv.length !== ivBytes || envelope.tag.length !== tagBytes)
    throw damaged("a salt, IV or tag has the wrong length");
  if (envelope.keyCheck.length !== 32 || !base64.safeParse(ciphertextLine).success || !base64.safeParse(tagLine).success)
    throw damaged("a key check, ciphertext or tag is malformed");
  return envelope;
}

/**
 * Decrypt a parsed store. Throws CREDENTIALS_WRONG_KEY when the keys do not pass the key check (the secret
 * from `origin` is not the store's) and CREDENTIALS_TAMPERED when they do but authentication fails.
 */
export function openCredentialEnvelope(options: {
  envelope: CredentialEnvelope;
  keys: CredentialKeys;
  file: string;
  origin: string;
}): Buffer {
  const { envelope, keys, file } = options;
  if (!timingSafeEqual(envelope.keyCheck, keys.keyCheck)) throw wrongKeyError({ file, origin: options.origin });
  try {
    const decipher = createDecipheriv(cipherName, keys.encryptionKey, envelope.iv, { authTagLength: tagBytes });
    decipher.setAAD(Buffer.from(envelope.headerLine, "utf8"));
    decipher.setAuthTag(envelope.tag);
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
  } catch (error) {
    throw tamperedError({ file, reason: "its contents fail authentication", cause: error });
  }
}

/** A fresh random salt for a new store or new KDF parameters. */
export function newCredentialSalt(): Buffer {
  return randomBytes(saltBytes);
}

/** Encrypt `plaintext` into a store file's text, with a fresh random IV. */
export function sealCredentialEnvelope(options: {
  plaintext: Buffer;
  keys: CredentialKeys;
  salt: Buffer;
  parameters: ScryptParameters;
}): string {
  const iv = randomBytes(ivBytes);
  const header: CredentialEnvelopeHeader = {
    format: formatName,
    version: envelopeVersion,
    kdf: {
      name: "scrypt",
      cost: options.parameters.cost,
      blockSize: options.parameters.blockSize,
      parallelization: options.parameters.parallelization,
      salt: options.salt.toString("base64"),
    },
    keyCheck: options.keys.keyCheck.toString("base64"),
    cipher: cipherName,
    iv: iv.toString("base64"),
  };
  const headerLine = JSON.stringify(header);
  const cipher = createCipheriv(cipherName, options.keys.encryptionKey, iv, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(headerLine, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(options.plaintext), cipher.final()]);
  const body = `${headerLine}\n${ciphertext.toString("base64")}\n${cipher.getAuthTag().toString("base64")}\n`;
  return `${body}${checksumOf(body)}\n`;
}
