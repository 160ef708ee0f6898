import type { KeyObject } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import type { UserRole } from "./auth-records.js";
import { authenticationFailedError } from "./user-errors.js";

/** Tokens longer than this are refused unread: ours are about 300 characters. */
const maximumTokenLength = 4096;

export interface SignSessionTokenOptions {
  /** The HMAC key (32 bytes or more). */
  secret: Uint8Array | KeyObject;
  issuer: string;
  userId: string;
  sessionId: string;
  role: UserRole;
  /** Epoch milliseconds. */
  issuedAt: number;
  /** Epoch milliseconds; the token's `exp` is this, rounded down to the second. */
  expiresAt: number;
}

/** A JWT (HS256) naming the user (`sub`), the session (`sid`) and the role, valid until the session expires. */
export function signSessionToken(options: SignSessionTokenOptions): Promise<string> {
  return new SignJWT({ sid: options.sessionId, role: options.role })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.userId)
    .setIssuer(options.issuer)
    .setIssuedAt(Math.floor(options.issuedAt / 1000))
    .setExpirationTime(Math.floor(options.expiresAt / 1000))
    .sign(options.secret);
}

export interface VerifySessionTokenOptions {
  token: string;
  secret: Uint8Array | KeyObject;
  issuer: string;
  /** Epoch milliseconds. */
  now: number;
}

/**
 * The user and session a token names, once its signature, algorithm (HS256 only: `none` and every other
 * algorithm are refused), issuer and expiry check out. Anything else is AUTHENTICATION_FAILED with
 * `details.reason` "expired" or "invalid". Whether the session still stands is the caller's to check.
 */
export async function verifySessionToken(options: VerifySessionTokenOptions): Promise<{ userId: string; sessionId: string }> {
  if (options.token.length > maximumTokenLength) throw authenticationFailedError({ reason: "invalid" });
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(options.token, options.secret, {
      algorithms: ["HS256"],
      issuer: options.issuer,
      currentDate: new Date(options.now),
      requiredClaims: ["sub", "sid", "iat", "exp"],
    }));
  } catch (error) {
    throw authenticationFailedError({ reason: error instanceof errors.JWTExpired ? "expired" : "invalid" });
  }
  const { sub, sid } = payload;
  if (typeof sub !== "string" || typeof sid !== "string" || sub === "" || sid === "")
    throw authenticationFailedError({ reason: "invalid" });
  return { userId: sub, sessionId: sid };
}
