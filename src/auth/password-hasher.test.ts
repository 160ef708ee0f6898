import { describe, expect, it } from "vitest";
import { defaultArgon2Parameters, PasswordHasher } from "./password-hasher.js";

const password = "correct horse battery staple";

describe("PasswordHasher", () => {
  const hasher = new PasswordHasher();

  it("hashes with argon2id at OWASP's parameters, a new salt every time", async () => {
    const first = await hasher.hash(password);
    const second = await hasher.hash(password);
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(defaultArgon2Parameters).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hasher.hash(password);
    expect(await hasher.verify(hash, password)).toBe(true);
    expect(await hasher.verify(hash, `${password}!`)).toBe(false);
    expect(await hasher.verify(hash, "Correct horse battery staple")).toBe(false);
  });

  it("treats the composed and decomposed forms of a password as the same", async () => {
    const hash = await hasher.hash("caf\u00e9 au lait, no sugar");
    expect(await hasher.verify(hash, "cafe\u0301 au lait, no sugar")).toBe(true);
  });

  it("returns false, never throws, for a malformed or foreign stored hash", async () => {
    const good = await hasher.hash(password);
    for (const stored of [
      "",
      "not a hash",
      good.slice(0, -10),
      good.replace("argon2id", "argon2i"),
      good.replace("m=19456", "m=0"),
      "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
      "$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA",
      `${good}$extra`,
    ]) {
      await expect(hasher.verify(stored, password), stored).resolves.toBe(false);
    }
  });

  it("refuses passwords under 12 or over 1024 characters, counting characters rather than bytes", async () => {
    await expect(hasher.hash("short pass!")).rejects.toMatchObject({
      code: "PASSWORD_INVALID",
      httpStatus: 400,
      message: "the password is not acceptable: it must be at least 12 characters long",
    });
    await expect(hasher.hash("x".repeat(1025))).rejects.toMatchObject({
      code: "PASSWORD_INVALID",
      message: "the password is not acceptable: it must be at most 1024 characters long",
    });
    await expect(hasher.hash("🔑".repeat(11))).rejects.toMatchObject({ code: "PASSWORD_INVALID" });
    await expect(hasher.hash("🔑".repeat(12))).resolves.toMatch(/^\$argon2id\$/);
    await expect(hasher.hash("x".repeat(12))).resolves.toMatch(/^\$argon2id\$/);
    const longest = "y".repeat(1024);
    expect(await hasher.verify(await hasher.hash(longest), longest)).toBe(true);
  });

  it("does not hash a password over 1024 characters when verifying", async () => {
    const hash = await hasher.hash("x".repeat(1024));
    expect(await hasher.verify(hash, "x".repeat(100_000))).toBe(false);
  });

  it("asks for a rehash when the parameters differ from its own, or the hash is not argon2id", async () => {
    const cheap = new PasswordHasher({ parameters: { memoryCost: 1024, timeCost: 1 } });
    const cheapHash = await cheap.hash(password);
    expect(cheapHash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(cheap.needsRehash(cheapHash)).toBe(false);
    expect(hasher.needsRehash(cheapHash)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash(password))).toBe(false);
    expect(hasher.needsRehash("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW")).toBe(true);
    expect(hasher.needsRehash("")).toBe(true);
    expect(await hasher.verify(cheapHash, password)).toBe(true);
  });
});
