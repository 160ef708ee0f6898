import { createHash, randomBytes } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { findPostgresTestTarget } from "../store/testing/postgres-test-url.js";
import {
  type OpenTestDatabase,
  openPostgresTestDatabase,
  openSqliteMemoryTestDatabase,
  type TestDatabase,
} from "../store/testing/test-databases.js";
import { AuthenticationManager, type AuthenticationManagerOptions } from "./authentication-manager.js";
import { PasswordHasher } from "./password-hasher.js";

const target = await findPostgresTestTarget();

const start = 1_773_828_000_000;
const secret = new Uint8Array(randomBytes(32));
const annPassword = "correct horse battery staple";
/** Cheap argon2id so the suite stays quick; password-hasher.test.ts covers the real parameters. */
const cheapHasher = () => new PasswordHasher({ parameters: { memoryCost: 1024, timeCost: 1 } });

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function describeAuthenticationManager(name: string, openTestDatabase: OpenTestDatabase) {
  describe(`AuthenticationManager on ${name}`, () => {
    let testDatabase: TestDatabase;
    let clock: number;
    let hasher: PasswordHasher;
    let auth: AuthenticationManager;
    const manager = (options: Partial<AuthenticationManagerOptions> = {}) =>
      new AuthenticationManager({
        database: testDatabase.database,
        secret,
        now: () => clock,
        passwordHasher: hasher,
        ...options,
      });
    beforeEach(async () => {
      testDatabase = await openTestDatabase();
      clock = start;
      hasher = cheapHasher();
      auth = manager();
    });
    afterEach(async () => {
      await testDatabase.cleanup();
    });

    const expectRejected = (promise: Promise<unknown>, reason: "expired" | "revoked" | "invalid") =>
      expect(promise).rejects.toMatchObject({
        name: "AuthenticationError",
        code: "AUTHENTICATION_FAILED",
        httpStatus: 401,
        details: { reason },
      });

    it("creates users, finds them in any letter case, lists them without hashes, and refuses a duplicate", async () => {
      const ann = await auth.createUser({ username: "Ann", password: annPassword, role: "admin" });
      expect(ann).toEqual({
        id: expect.any(String),
        username: "Ann",
        role: "admin",
        disabled: false,
        createdAt: new Date(start),
        updatedAt: new Date(start),
      });
      await auth.createUser({ username: "bob@example.com", password: "another long password" });
      expect(await auth.findUserByName("ann")).toEqual(ann);
      expect(await auth.getUser(ann.id)).toEqual(ann);
      expect(await auth.findUserByName("carol")).toBeUndefined();
      expect(await auth.findUserByName("not a name")).toBeUndefined();
      expect(await auth.countUsers()).toBe(2);

      const listed = await auth.listUsers();
      expect(listed.map((user) => [user.username, user.role, user.activeSessions])).toEqual([
        ["Ann", "admin", 0],
        ["bob@example.com", "user", 0],
      ]);
      expect(JSON.stringify(listed)).not.toContain("argon2");

      await expect(auth.createUser({ username: "ANN", password: annPassword })).rejects.toMatchObject({
        code: "USER_EXISTS",
        httpStatus: 409,
        message: 'a user named "ANN" already exists',
      });
      await expect(auth.createUser({ username: "has space", password: annPassword })).rejects.toMatchObject({
        code: "USERNAME_INVALID",
      });
      await expect(auth.createUser({ username: "x".repeat(65), password: annPassword })).rejects.toMatchObject({
        code: "USERNAME_INVALID",
      });
      await expect(auth.createUser({ username: "dave", password: "too short" })).rejects.toMatchObject({
        code: "PASSWORD_INVALID",
      });
      expect(await auth.countUsers()).toBe(2);
    });

    it("logs in with a token naming the user, session, role and issuer, which validates", async () => {
      const ann = await auth.createUser({ username: "ann", password: annPassword });
      const login = await auth.login("ANN", annPassword, { userAgent: "curl/8", ip: "127.0.0.1" });
      expect(login).toEqual({
        user_id: ann.id,
        session_id: expect.any(String),
        token: expect.any(String),
        expires_at: new Date(start + 12 * 3600 * 1000).toISOString(),
      });
      expect(decodeProtectedHeader(login.token)).toEqual({ alg: "HS256", typ: "JWT" });
      expect(decodeJwt(login.token)).toEqual({
        sub: ann.id,
        sid: login.session_id,
        role: "user",
        iss: "astros",
        iat: start / 1000,
        exp: start / 1000 + 12 * 3600,
      });

      clock += 5000;
      const { user, session } = await auth.validateToken(login.token);
      expect(user).toEqual(ann);
      expect(session).toMatchObject({ id: login.session_id, userId: ann.id, userAgent: "curl/8", ip: "127.0.0.1" });
      expect(await auth.validateSession(login.session_id)).toMatchObject({ id: login.session_id });
      expect((await auth.listUsers())[0]?.activeSessions).toBe(1);
    });

    it("gives a wrong password and an unknown user the same error, after one password check each", async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      const verify = vi.spyOn(hasher, "verify");
      const failures: unknown[] = [];
      for (const [username, password] of [
        ["ann", "wrong horse battery staple"],
        ["nobody", annPassword],
        ["not a valid name", annPassword],
      ] as const) {
        failures.push(await auth.login(username, password).catch((error: unknown) => error));
        expect(verify).toHaveBeenCalledTimes(1);
        verify.mockClear();
      }
      const [wrongPassword, ...others] = failures.map((error) => JSON.stringify(error));
      expect(JSON.parse(wrongPassword ?? "")).toEqual({
        name: "AuthenticationError",
        code: "AUTHENTICATION_FAILED",
        category: "authentication",
        message: "wrong username or password",
        recovery: "Check the username and password and try again.",
        details: { reason: "invalid" },
      });
      for (const other of others) expect(other).toBe(wrongPassword);
      expect(await auth.authenticateUser("nobody", annPassword)).toBeUndefined();
    });

    it("refuses a disabled user's password and tokens, and accepts them again once enabled", async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      const { token } = await auth.login("ann", annPassword);
      await auth.setUserDisabled("ann", true);
      expect(await auth.authenticateUser("ann", annPassword)).toBeUndefined();
      await expectRejected(auth.validateToken(token), "revoked");
      await auth.setUserDisabled("ann", false);
      expect(await auth.authenticateUser("ann", annPassword)).toMatchObject({ username: "ann", disabled: false });
    });

    it("rejects a token once it has expired", async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      const short = manager({ sessionTtlSeconds: 60 });
      const { token, session_id } = await short.login("ann", annPassword);
      clock += 59_000;
      await expect(short.validateToken(token)).resolves.toMatchObject({ session: { id: session_id } });
      clock += 1000;
      await expectRejected(short.validateToken(token), "expired");
      expect(await short.validateSession(session_id)).toBeUndefined();
      expect((await short.listUsers())[0]?.activeSessions).toBe(0);
    });

    it("rejects a revoked session at once", async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      const first = await auth.login("ann", annPassword);
      const second = await auth.login("ann", annPassword);
      await auth.validateToken(first.token);
      expect(await auth.revokeSession(first.session_id)).toBe(true);
      expect(await auth.revokeSession(first.session_id)).toBe(false);
      await expectRejected(auth.validateToken(first.token), "revoked");
      expect(await auth.validateSession(first.session_id)).toBeUndefined();
      await expect(auth.validateToken(second.token)).resolves.toMatchObject({ session: { id: second.session_id } });
      expect(await auth.revokeUserSessions(first.user_id)).toBe(1);
      await expectRejected(auth.validateToken(second.token), "revoked");
    });

    it("rejects a token whose payload was changed", async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      const { token } = await auth.login("ann", annPassword);
      const [header, payload, signature] = token.split(".") as [string, string, string];
      const flipped = `${payload.slice(0, 10)}${payload[10] === "A" ? "B" : "A"}${payload.slice(11)}`;
      await expectRejected(auth.validateToken(`${header}.${flipped}.${signature}`), "invalid");
      const promoted = base64url({ ...decodeJwt(token), role: "admin" });
      await expectRejected(auth.validateToken(`${header}.${promoted}.${signature}`), "invalid");
      await expectRejected(auth.validateToken(`${token}x`), "invalid");
      await expectRejected(auth.validateToken("not.a.token"), "invalid");
      await expectRejected(auth.validateToken(""), "invalid");
    });

    it('rejects an unsigned token with alg "none"', async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      const { token } = await auth.login("ann", annPassword);
      const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${base64url(decodeJwt(token))}.`;
      await expectRejected(auth.validateToken(unsigned), "invalid");
    });

    it("rejects a token signed with another secret, another algorithm or for another issuer", async () => {
      const ann = await auth.createUser({ username: "ann", password: annPassword });
      const { session } = await auth.createSession(ann);
      const forge = (key: Uint8Array, alg: string, issuer = "astros") =>
        new SignJWT({ sid: session.id, role: "admin" })
          .setProtectedHeader({ alg, typ: "JWT" })
          .setSubject(ann.id)
          .setIssuer(issuer)
          .setIssuedAt(start / 1000)
          .setExpirationTime(start / 1000 + 3600)
          .sign(key);
      await expectRejected(auth.validateToken(await forge(new Uint8Array(randomBytes(32)), "HS256")), "invalid");
      await expectRejected(auth.validateToken(await forge(new Uint8Array(randomBytes(64)), "HS512")), "invalid");
      await expectRejected(auth.validateToken(await forge(secret, "HS512")), "invalid");
      await expectRejected(auth.validateToken(await forge(secret, "HS256", "someone-else")), "invalid");
      await expect(auth.validateToken(await forge(secret, "HS256"))).resolves.toMatchObject({ user: { role: "user" } });
    });

    it("changing a password signs the user out everywhere and only the new password works", async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      const { token } = await auth.login("ann", annPassword);
      clock += 1000;
      await auth.setPassword("ANN", "a brand new passphrase");
      await expectRejected(auth.validateToken(token), "revoked");
      expect(await auth.authenticateUser("ann", annPassword)).toBeUndefined();
      expect(await auth.authenticateUser("ann", "a brand new passphrase")).toMatchObject({ updatedAt: new Date(start + 1000) });
      await expect(auth.setPassword("ann", "short")).rejects.toMatchObject({ code: "PASSWORD_INVALID" });
      await expect(auth.setPassword("nobody", "long enough password")).rejects.toMatchObject({
        code: "USER_NOT_FOUND",
        httpStatus: 404,
      });
    });

    it("removing a user revokes their sessions and API keys", async () => {
      const ann = await auth.createUser({ username: "ann", password: annPassword });
      const bob = await auth.createUser({ username: "bob", password: annPassword });
      const { token } = await auth.login("ann", annPassword);
      const bobLogin = await auth.login("bob", annPassword);
      const { key } = await auth.createApiKey(ann.id, "backup script");
      await auth.removeUser("Ann");
      expect(await auth.getUser(ann.id)).toBeUndefined();
      await expectRejected(auth.validateToken(token), "revoked");
      await expectRejected(auth.authenticateApiKey(key), "revoked");
      await expect(auth.login("ann", annPassword)).rejects.toMatchObject({ code: "AUTHENTICATION_FAILED" });
      await expect(auth.validateToken(bobLogin.token)).resolves.toMatchObject({ user: { id: bob.id } });
      await expect(auth.removeUser("ann")).rejects.toMatchObject({ code: "USER_NOT_FOUND", message: 'no user named "ann"' });
      // A new "ann" is another user: the old tokens stay dead.
      await auth.createUser({ username: "ann", password: annPassword });
      await expectRejected(auth.validateToken(token), "revoked");
    });

    it("creates API keys shown once, stores only their SHA-256, authenticates and revokes them", async () => {
      const ann = await auth.createUser({ username: "ann", password: annPassword });
      const bob = await auth.createUser({ username: "bob", password: annPassword });
      const created = await auth.createApiKey(ann.id, "  backup script ");
      expect(created.key).toMatch(/^astros_[A-Za-z0-9_-]{43}$/);
      expect(created.apiKey).toEqual({
        id: created.id,
        userId: ann.id,
        name: "backup script",
        prefix: created.key.slice(7, 15),
        createdAt: new Date(start),
      });
      const rows = await testDatabase.database.executeQuery("select * from api_keys");
      expect(rows).toHaveLength(1);
      expect(rows[0]?.key_hash).toBe(createHash("sha256").update(created.key).digest("hex"));
      expect(JSON.stringify(rows)).not.toContain(created.key.slice(7));

      clock += 1000;
      const used = await auth.authenticateApiKey(created.key);
      expect(used.user).toEqual(ann);
      expect(used.apiKey.lastUsedAt).toEqual(new Date(start + 1000));
      await expectRejected(
        auth.authenticateApiKey(`${created.key.slice(0, -1)}${created.key.endsWith("A") ? "B" : "A"}`),
        "invalid",
      );
      await expectRejected(auth.authenticateApiKey("astros_short"), "invalid");
      await expectRejected(auth.authenticateApiKey(""), "invalid");

      const second = await auth.createApiKey(ann.id, "sync");
      expect((await auth.listApiKeys(ann.id)).map((apiKey) => apiKey.name)).toEqual(["backup script", "sync"]);
      expect(JSON.stringify(await auth.listApiKeys(ann.id))).not.toContain(created.key);
      expect(await auth.revokeApiKey(bob.id, created.id)).toBe(false);
      expect(await auth.revokeApiKey(ann.id, created.id)).toBe(true);
      expect(await auth.revokeApiKey(ann.id, created.id)).toBe(false);
      await expectRejected(auth.authenticateApiKey(created.key), "revoked");
      await expect(auth.authenticateApiKey(second.key)).resolves.toMatchObject({ apiKey: { id: second.id } });
      expect((await auth.listApiKeys(ann.id)).map((apiKey) => apiKey.id)).toEqual([second.id]);

      await expect(auth.createApiKey(ann.id, " ")).rejects.toMatchObject({ code: "API_KEY_NAME_INVALID" });
      await expect(auth.createApiKey(ann.id, "line\nbreak")).rejects.toMatchObject({ code: "API_KEY_NAME_INVALID" });
      await expect(auth.createApiKey("no-such-id", "x")).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    });

    it("creates the first admin once, with a readable one-time password that logs in", async () => {
      const admin = await auth.ensureAdmin();
      expect(admin?.username).toBe("admin");
      expect(admin?.password).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{24}$/);
      expect(await auth.ensureAdmin()).toBeUndefined();
      expect(await auth.countUsers()).toBe(1);
      const login = await auth.login("admin", admin?.password ?? "");
      expect((await auth.validateToken(login.token)).user.role).toBe("admin");
      expect(decodeJwt(login.token).role).toBe("admin");
    });

    it("leaves the first admin to the users there are", async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      expect(await auth.ensureAdmin()).toBeUndefined();
      expect(await auth.findUserByName("admin")).toBeUndefined();
    });

    it("records a session's use at most once a minute", async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      const { token } = await auth.login("ann", annPassword);
      clock += 30_000;
      expect((await auth.validateToken(token)).session.lastSeenAt).toEqual(new Date(start));
      clock += 30_000;
      expect((await auth.validateToken(token)).session.lastSeenAt).toEqual(new Date(start + 60_000));
      clock += 10_000;
      expect((await auth.validateToken(token)).session.lastSeenAt).toEqual(new Date(start + 60_000));
    });

    it("hashes a password again with new parameters when its owner signs in", async () => {
      await auth.createUser({ username: "ann", password: annPassword });
      const stronger = new PasswordHasher({ parameters: { memoryCost: 2048, timeCost: 1 } });
      const upgraded = manager({ passwordHasher: stronger });
      expect(await upgraded.authenticateUser("ann", annPassword)).toMatchObject({ username: "ann" });
      const [row] = await testDatabase.database.executeQuery("select password_hash from users");
      expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=2048,t=1,p=1\$/);
      expect(await upgraded.authenticateUser("ann", annPassword)).toMatchObject({ username: "ann" });
    });

    it("refuses a secret shorter than 32 bytes", () => {
      expect(() => manager({ secret: new Uint8Array(31) })).toThrow(
        expect.objectContaining({ code: "AUTH_SECRET_INVALID", category: "config" }),
      );
      expect(() => manager({ sessionTtlSeconds: 0 })).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    });
  });
}

describeAuthenticationManager("SQLite", openSqliteMemoryTestDatabase);
describe.skipIf(!target.reachable)(`on PostgreSQL at ${target.redactedUrl}`, () => {
  describeAuthenticationManager("PostgreSQL", () => openPostgresTestDatabase({ url: target.url }));
});
