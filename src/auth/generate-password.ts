import { randomInt } from "node:crypto";

/** Letters and digits without the look-alikes 0 O o 1 l I, so a password read off a screen is typed right. */
const readableAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/**
 * A random password a person can copy by hand: `length` characters (default 24, about 139 bits) drawn
 * uniformly from a readable alphabet with the operating system's random generator.
 */
export function generateReadablePassword(options: { length?: number } = {}): string {
  const length = options.length ?? 24;
  let password = "";
  for (let index = 0; index < length; index += 1) password += readableAlphabet[randomInt(readableAlphabet.length)];
  return password;
}
