import { invalidCredentialError } from "./credential-store-errors.js";

/** A letter or digit, then up to 127 letters, digits, `_`, `.`, `:` or `-` (e.g. `openai.api_key`, `github:work`). */
export const credentialNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** Throws CREDENTIAL_INVALID unless `name` matches `credentialNamePattern`. */
export function assertCredentialName(name: string): void {
  if (credentialNamePattern.test(name)) return;
  // The rejected name is not echoed: it may be a secret pasted in the wrong place.
  throw invalidCredentialError({
    message: name === "" ? "a credential name is required" : "invalid credential name",
    recovery:
      "A name starts with a letter or digit and has at most 128 letters, digits, '_', '.', ':' or '-' (e.g. openai.api_key).",
  });
}
