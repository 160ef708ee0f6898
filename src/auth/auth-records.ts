// The users-and-auth tables (migration 0004) and the records AuthenticationManager hands out. Rows keep the
// database's shapes (PostgreSQL returns bigint as strings); records are what callers see, never a hash.

/** `admin` may manage users; `user` may use AstrOS. */
export type UserRole = "admin" | "user";

export const userRoles: readonly UserRole[] = ["admin", "user"];

/** A person who can sign in. Never carries the password hash. */
export interface User {
  id: string;
  /** As it was created (case kept); lookups ignore case. */
  username: string;
  role: UserRole;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A user and how many unexpired, unrevoked sessions they have. */
export interface UserSummary extends User {
  activeSessions: number;
}

/** One sign-in: valid from createdAt until expiresAt unless revoked first. */
export interface AuthSession {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
  /** Where the session was created from, when the server said. */
  userAgent?: string;
  ip?: string;
}

/** An API key as listed: its name and shown prefix, never the key or its hash. */
export interface ApiKey {
  id: string;
  userId: string;
  name: string;
  /** The first 8 characters after `astros_`, to tell keys apart. */
  prefix: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

type Time = number | string;

export interface UserRow {
  id: string;
  username: string;
  username_key: string;
  password_hash: string;
  role: string;
  created_at: Time;
  updated_at: Time;
  disabled: number;
}

export interface AuthSessionRow {
  id: string;
  user_id: string;
  created_at: Time;
  expires_at: Time;
  last_seen_at: Time;
  revoked_at: Time | null;
  user_agent: string | null;
  ip: string | null;
}

export interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  key_hash: string;
  prefix: string;
  created_at: Time;
  last_used_at: Time | null;
  revoked_at: Time | null;
}

export interface AuthTables {
  users: UserRow;
  auth_sessions: AuthSessionRow;
  api_keys: ApiKeyRow;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    // Anything but "admin" gets the lesser role: a damaged row must not grant more.
    role: row.role === "admin" ? "admin" : "user",
    disabled: Number(row.disabled) !== 0,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

export function toAuthSession(row: AuthSessionRow): AuthSession {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
    lastSeenAt: new Date(Number(row.last_seen_at)),
    ...(row.user_agent === null ? {} : { userAgent: row.user_agent }),
    ...(row.ip === null ? {} : { ip: row.ip }),
  };
}

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: new Date(Number(row.created_at)),
    ...(row.last_used_at === null ? {} : { lastUsedAt: new Date(Number(row.last_used_at)) }),
    ...(row.revoked_at === null ? {} : { revokedAt: new Date(Number(row.revoked_at)) }),
  };
}
