import { createSecretKey, type KeyObject, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { ConfigError } from "../core/errors/config-error.js";
import { ProcessingError } from "../core/errors/processing-error.js";
import { errorCode, toStorageError } from "../store/database-failure.js";
import type { DatabaseManager } from "../store/database-manager.js";
import {
  activeApiKeyRows,
  findApiKeyRow,
  insertApiKey,
  normaliseApiKeyName,
  revokeApiKeyRows,
  touchApiKey,
} from "./api-key-rows.js";
import { isWellFormedApiKey } from "./api-key-secret.js";
import {
  type ApiKey,
  type AuthSession,
  type AuthTables,
  toApiKey,
  toAuthSession,
  toUser,
  type User,
  type UserRole,
  type UserRow,
  type UserSummary,
  userRoles,
} from "./auth-records.js";
import { findSessionRow, insertSession, revokeSessionRows, sessionFailure, touchSession } from "./auth-session-rows.js";
import { generateReadablePassword } from "./generate-password.js";
import { PasswordHasher } from "./password-hasher.js";
import { signSessionToken, verifySessionToken } from "./session-token.js";
import { authenticationFailedError, userExistsError, userNotFoundError, wrongCredentialsError } from "./user-errors.js";
import { assertUsername, isValidUsername, usernameKey } from "./username.js";

export interface AuthenticationManagerOptions {
  database: DatabaseManager;
  /** HMAC-SHA256 key that signs session tokens: 32 bytes or more (loadOrCreateTokenSecret makes one). */
  secret: Uint8Array;
  /** How long a session lasts from sign-in, in seconds. Default 12 hours. */
  sessionTtlSeconds?: number;
  /** The clock, in epoch milliseconds. Default Date.now. */
  now?: () => number;
  /** The tokens' `iss`, checked on the way back. Default "astros". */
  issuer?: string;
  /** Default: argon2id with OWASP's parameters. */
  passwordHasher?: PasswordHasher;
}

export interface CreateUserOptions {
  username: string;
  password: string;
  /** Default "user". */
  role?: UserRole;
}

/** Where a sign-in came from, kept with the session for the user to review. */
export interface SessionMetadata {
  userAgent?: string;
  ip?: string;
}

export interface CreatedSession {
  session: AuthSession;
  /** The bearer token for the session (a JWT); not stored anywhere. */
  token: string;
}

/** The body of `POST /api/v1/auth/login`'s answer (the seed's wire names). */
export interface LoginResult {
  user_id: string;
  session_id: string;
  token: string;
  /** ISO 8601. */
  expires_at: string;
}

export interface ValidatedToken {
  user: User;
  session: AuthSession;
}

export interface CreatedApiKey {
  id: string;
  /** The key itself: shown once, only its SHA-256 is stored. */
  key: string;
  apiKey: ApiKey;
}

export interface AuthenticatedApiKey {
  user: User;
  apiKey: ApiKey;
}

/** The first administrator's credentials, to be shown once. */
export interface InitialAdmin {
  username: string;
  password: string;
}

const defaultSessionTtlSeconds = 12 * 60 * 60;
const minimumSecretBytes = 32;
const initialAdminUsername = "admin";

/**
 * Who may use the server: users with argon2id password hashes, sessions carried by signed JWTs and checked
 * against the database on every use (so revoking one takes effect at once), and API keys for programs.
 * Sign-in failures never tell a wrong username from a wrong password, in words or in time. Rate limiting
 * sign-ins is the server's job.
 */
export class AuthenticationManager {
  readonly #database: DatabaseManager;
  readonly #kysely: Kysely<AuthTables>;
  /** The key, imported once (jose would import raw bytes again on every sign and verify). */
  readonly #secret: KeyObject;
  readonly #sessionTtlMilliseconds: number;
  readonly #now: () => number;
  readonly #issuer: string;
  readonly #hasher: PasswordHasher;
  #dummyHash: Promise<string> | undefined;

  constructor(options: AuthenticationManagerOptions) {
    if (!(options.secret instanceof Uint8Array) || options.secret.length < minimumSecretBytes) {
      throw new ConfigError(`the session token secret must be at least ${minimumSecretBytes} bytes`, {
        code: "AUTH_SECRET_INVALID",
        recovery: "Use loadOrCreateTokenSecret, or 32 random bytes from crypto.randomBytes(32).",
      });
    }
    const ttl = options.sessionTtlSeconds ?? defaultSessionTtlSeconds;
    if (!Number.isFinite(ttl) || ttl <= 0) {
      throw new ConfigError(`the session lifetime must be a positive number of seconds, not ${ttl}`, {
        recovery: "Give sessionTtlSeconds in seconds, e.g. 43200 for 12 hours.",
      });
    }
    this.#database = options.database;
    this.#kysely = options.database.kysely;
    this.#secret = createSecretKey(Uint8Array.from(options.secret));
    this.#sessionTtlMilliseconds = Math.round(ttl * 1000);
    this.#now = options.now ?? Date.now;
    this.#issuer = options.issuer ?? "astros";
    this.#hasher = options.passwordHasher ?? new PasswordHasher();
  }

  // ---- Users

  /** A new user. USERNAME_INVALID, PASSWORD_INVALID, or USER_EXISTS (names differing only in case clash). */
  async createUser(options: CreateUserOptions): Promise<User> {
    const { username, password, role = "user" } = options;
    assertUsername(username);
    if (!userRoles.includes(role)) {
      throw new ProcessingError(`"${String(role)}" is not a role; use admin or user`, { code: "REQUEST_INVALID" });
    }
    const passwordHash = await this.#hasher.hash(password);
    const now = this.#now();
    const row: UserRow = {
      id: randomUUID(),
      username,
      username_key: usernameKey(username),
      password_hash: passwordHash,
      role,
      created_at: now,
      updated_at: now,
      disabled: 0,
    };
    try {
      await this.#kysely.insertInto("users").values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw userExistsError({ username });
      throw this.#storageError(`Adding user "${username}"`, error);
    }
    return toUser(row);
  }

  /** Every user with their number of active sessions, by username. Never a password hash. */
  async listUsers(): Promise<UserSummary[]> {
    const now = this.#now();
    const [users, counts] = await this.#run("Listing users", () =>
      Promise.all([
        this.#kysely.selectFrom("users").selectAll().orderBy("username_key").execute(),
        this.#kysely
          .selectFrom("auth_sessions")
          .select((builder) => ["user_id", builder.fn.countAll<number | string>().as("count")])
          .where("revoked_at", "is", null)
          .where("expires_at", ">", now)
          .groupBy("user_id")
          .execute(),
      ]),
    );
    const active = new Map(counts.map((row) => [row.user_id, Number(row.count)]));
    return users.map((row) => ({ ...toUser(row), activeSessions: active.get(row.id) ?? 0 }));
  }

  async getUser(id: string): Promise<User | undefined> {
    const row = await this.#userRow("id", id);
    return row === undefined ? undefined : toUser(row);
  }

  /** The user with this name in any letter case, or undefined. */
  async findUserByName(username: string): Promise<User | undefined> {
    if (!isValidUsername(username)) return undefined;
    const row = await this.#userRow("username_key", usernameKey(username));
    return row === undefined ? undefined : toUser(row);
  }

  async countUsers(): Promise<number> {
    const row = await this.#run("Counting users", () =>
      this.#kysely
        .selectFrom("users")
        .select((builder) => builder.fn.countAll<number | string>().as("count"))
        .executeTakeFirstOrThrow(),
    );
    return Number(row.count);
  }

  /** Remove a user, revoking their sessions and API keys in the same transaction. USER_NOT_FOUND when there is none. */
  async removeUser(username: string): Promise<void> {
    const user = await this.#requireUser(username);
    const now = this.#now();
    await this.#run(`Removing user "${username}"`, () =>
      this.#database.transaction(async (database) => {
        const kysely = database.kysely as Kysely<AuthTables>;
        await revokeSessionRows(kysely, { userId: user.id, now });
        await revokeApiKeyRows(kysely, { userId: user.id, now });
        await kysely.deleteFrom("users").where("id", "=", user.id).execute();
      }),
    );
  }

  /** Set a new password and sign the user out everywhere (API keys stay). PASSWORD_INVALID, USER_NOT_FOUND. */
  async setPassword(username: string, password: string): Promise<void> {
    const passwordHash = await this.#hasher.hash(password);
    const user = await this.#requireUser(username);
    const now = this.#now();
    await this.#run(`Changing the password of "${username}"`, () =>
      this.#database.transaction(async (database) => {
        const kysely = database.kysely as Kysely<AuthTables>;
        await kysely
          .updateTable("users")
          .set({ password_hash: passwordHash, updated_at: now })
          .where("id", "=", user.id)
          .execute();
        await revokeSessionRows(kysely, { userId: user.id, now });
      }),
    );
  }

  /** Disable (signing the user out everywhere; their API keys stop working) or enable a user. USER_NOT_FOUND. */
  async setUserDisabled(username: string, disabled: boolean): Promise<void> {
    const user = await this.#requireUser(username);
    const now = this.#now();
    await this.#run(`${disabled ? "Disabling" : "Enabling"} user "${username}"`, () =>
      this.#database.transaction(async (database) => {
        const kysely = database.kysely as Kysely<AuthTables>;
        await kysely
          .updateTable("users")
          .set({ disabled: disabled ? 1 : 0, updated_at: now })
          .where("id", "=", user.id)
          .execute();
        if (disabled) await revokeSessionRows(kysely, { userId: user.id, now });
      }),
    );
  }

  /**
   * On a first start with no users, create `admin` (role admin) with a random 24-character password and
   * return it, to be shown once. Undefined when any user exists (or another process just made the admin).
   */
  async ensureAdmin(): Promise<InitialAdmin | undefined> {
    if ((await this.countUsers()) > 0) return undefined;
    const password = generateReadablePassword({ length: 24 });
    try {
      await this.createUser({ username: initialAdminUsername, password, role: "admin" });
    } catch (error) {
      if ((error as { code?: unknown }).code === "USER_EXISTS") return undefined;
      throw error;
    }
    return { username: initialAdminUsername, password };
  }

  // ---- Signing in

  /**
   * The user when the password is theirs and they are enabled, else undefined. Takes one password
   * verification whatever happens (an unknown name is checked against a dummy hash), so the time taken
   * does not tell whether a username exists.
   */
  async authenticateUser(username: string, password: string): Promise<User | undefined> {
    const dummyHash = await this.#dummyPasswordHash();
    const row = isValidUsername(username) ? await this.#userRow("username_key", usernameKey(username)) : undefined;
    const matches = await this.#hasher.verify(row?.password_hash ?? dummyHash, password);
    if (row === undefined || !matches || Number(row.disabled) !== 0) return undefined;
    if (this.#hasher.needsRehash(row.password_hash)) await this.#rehash(row, password);
    return toUser(row);
  }

  /** A new session for an authenticated user, and the signed token that carries it. */
  async createSession(user: User, metadata: SessionMetadata = {}): Promise<CreatedSession> {
    if (user.disabled) throw authenticationFailedError({ reason: "revoked" });
    const now = this.#now();
    const row = await this.#run(`Creating a session for "${user.username}"`, () =>
      insertSession(this.#kysely, {
        userId: user.id,
        now,
        ttlMilliseconds: this.#sessionTtlMilliseconds,
        userAgent: metadata.userAgent,
        ip: metadata.ip,
      }),
    );
    const token = await signSessionToken({
      secret: this.#secret,
      issuer: this.#issuer,
      userId: user.id,
      sessionId: row.id,
      role: user.role,
      issuedAt: now,
      expiresAt: Number(row.expires_at),
    });
    return { session: toAuthSession(row), token };
  }

  /**
   * authenticateUser then createSession: the answer of `POST /api/v1/auth/login`. A wrong username and a
   * wrong password are the same AUTHENTICATION_FAILED error.
   */
  async login(username: string, password: string, metadata: SessionMetadata = {}): Promise<LoginResult> {
    const user = await this.authenticateUser(username, password);
    if (user === undefined) throw wrongCredentialsError();
    const { session, token } = await this.createSession(user, metadata);
    return { user_id: user.id, session_id: session.id, token, expires_at: session.expiresAt.toISOString() };
  }

  // ---- Sessions

  /**
   * The user and session behind a bearer token. The signature must be HS256 with our secret, and the session
   * must exist, be unrevoked and unexpired, and belong to an enabled user; the user's role is read from the
   * database, not the token. Otherwise AUTHENTICATION_FAILED with details.reason expired, revoked or invalid.
   */
  async validateToken(token: string): Promise<ValidatedToken> {
    const now = this.#now();
    const claims = await verifySessionToken({ token, secret: this.#secret, issuer: this.#issuer, now });
    const row = await this.#run("Looking up a session", () => findSessionRow(this.#kysely, claims.sessionId));
    const reason = row !== undefined && row.user_id !== claims.userId ? "invalid" : sessionFailure(row, now);
    if (reason !== undefined || row === undefined) throw authenticationFailedError({ reason: reason ?? "invalid" });
    const user = await this.#enabledUser(row.user_id);
    if (user === undefined) throw authenticationFailedError({ reason: "revoked" });
    const seen = await this.#run("Recording a session's use", () => touchSession(this.#kysely, row, now));
    return { user, session: toAuthSession(seen) };
  }

  /** The session when it is unrevoked, unexpired and its user enabled; else undefined. */
  async validateSession(sessionId: string): Promise<AuthSession | undefined> {
    const row = await this.#run("Looking up a session", () => findSessionRow(this.#kysely, sessionId));
    if (row === undefined || sessionFailure(row, this.#now()) !== undefined) return undefined;
    if ((await this.#enabledUser(row.user_id)) === undefined) return undefined;
    return toAuthSession(row);
  }

  /** End a session at once (sign out). True when a live session was revoked. */
  async revokeSession(sessionId: string): Promise<boolean> {
    const revoked = await this.#run("Revoking a session", () =>
      revokeSessionRows(this.#kysely, { id: sessionId, now: this.#now() }),
    );
    return revoked > 0;
  }

  /** Sign a user out everywhere; returns how many sessions were revoked. */
  async revokeUserSessions(userId: string): Promise<number> {
    return this.#run("Revoking a user's sessions", () => revokeSessionRows(this.#kysely, { userId, now: this.#now() }));
  }

  // ---- API keys

  /** A new API key for a program acting as the user: `astros_` and 43 characters, returned only here. USER_NOT_FOUND. */
  async createApiKey(userId: string, name: string): Promise<CreatedApiKey> {
    const trimmed = normaliseApiKeyName(name);
    if ((await this.getUser(userId)) === undefined) throw userNotFoundError({ id: userId });
    const { key, row } = await this.#run(`Creating API key "${trimmed}"`, () =>
      insertApiKey(this.#kysely, { userId, name: trimmed, now: this.#now() }),
    );
    return { id: row.id, key, apiKey: toApiKey(row) };
  }

  /** The user and key behind an API key; AUTHENTICATION_FAILED (reason invalid or revoked) otherwise. */
  async authenticateApiKey(key: string): Promise<AuthenticatedApiKey> {
    if (!isWellFormedApiKey(key)) throw authenticationFailedError({ reason: "invalid" });
    const row = await this.#run("Looking up an API key", () => findApiKeyRow(this.#kysely, key));
    if (row === undefined) throw authenticationFailedError({ reason: "invalid" });
    if (row.revoked_at !== null) throw authenticationFailedError({ reason: "revoked" });
    const user = await this.#enabledUser(row.user_id);
    if (user === undefined) throw authenticationFailedError({ reason: "revoked" });
    const used = await this.#run("Recording an API key's use", () => touchApiKey(this.#kysely, row, this.#now()));
    return { user, apiKey: toApiKey(used) };
  }

  /** The user's unrevoked API keys, oldest first: names and prefixes, never the keys. */
  async listApiKeys(userId: string): Promise<ApiKey[]> {
    return (await this.#run("Listing API keys", () => activeApiKeyRows(this.#kysely, userId))).map(toApiKey);
  }

  /** Revoke one of the user's API keys; true when a live key was revoked (another user's key is never touched). */
  async revokeApiKey(userId: string, id: string): Promise<boolean> {
    const revoked = await this.#run("Revoking an API key", () =>
      revokeApiKeyRows(this.#kysely, { userId, id, now: this.#now() }),
    );
    return revoked > 0;
  }

  // ---- Internals

  #userRow(column: "id" | "username_key", value: string): Promise<UserRow | undefined> {
    return this.#run("Looking up a user", () =>
      this.#kysely.selectFrom("users").selectAll().where(column, "=", value).executeTakeFirst(),
    );
  }

  async #requireUser(username: string): Promise<User> {
    const user = await this.findUserByName(username);
    if (user === undefined) throw userNotFoundError({ username });
    return user;
  }

  async #enabledUser(id: string): Promise<User | undefined> {
    const user = await this.getUser(id);
    return user === undefined || user.disabled ? undefined : user;
  }

  /** A hash of a random password, made once, that unknown usernames are verified against. */
  #dummyPasswordHash(): Promise<string> {
    this.#dummyHash ??= this.#hasher.hash(generateReadablePassword({ length: 32 })).catch((error: unknown) => {
      this.#dummyHash = undefined;
      throw error;
    });
    return this.#dummyHash;
  }

  /** After a sign-in, store the password hashed with the current parameters; a failure here never fails the sign-in. */
  async #rehash(row: UserRow, password: string): Promise<void> {
    try {
      const passwordHash = await this.#hasher.hash(password);
      await this.#kysely
        .updateTable("users")
        .set({ password_hash: passwordHash })
        .where("id", "=", row.id)
        .where("password_hash", "=", row.password_hash)
        .execute();
    } catch {
      // The old hash still works; the next sign-in tries again.
    }
  }

  #storageError(action: string, error: unknown) {
    return toStorageError({ action, error, dialect: this.#database.dialect, location: this.#database.location });
  }

  async #run<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.#storageError(action, error);
    }
  }
}

/** SQLite's and PostgreSQL's codes for a broken unique constraint. */
function isUniqueViolation(error: unknown): boolean {
  const code = errorCode(error);
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
