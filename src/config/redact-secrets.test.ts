import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  isSecretKeyName,
  looksLikeKeyMaterial,
  redactSecrets,
  redactSecretText,
  redactUrlPassword,
  shannonEntropy,
} from "./redact-secrets.js";

describe("isSecretKeyName", () => {
  it.each(["api_key", "apiKey", "API-KEY", "password", "db_password", "token", "access_token", "client_secret", "secret"])(
    "treats %s as a secret",
    (key) => {
      expect(isSecretKeyName(key)).toBe(true);
    },
  );

  it.each(["max_tokens", "model", "keyboard", "secretary_name_length", "url"])("does not treat %s as a secret", (key) => {
    expect(isSecretKeyName(key)).toBe(false);
  });
});

describe("redactUrlPassword", () => {
  it("hides the password of a URL and keeps the rest", () => {
    expect(redactUrlPassword("postgres://astros:hunter2@db.local:5432/astros")).toBe(
      "postgres://astros:***@db.local:5432/astros",
    );
  });

  it("leaves URLs without a password alone", () => {
    expect(redactUrlPassword("postgres://astros@db.local/astros")).toBe("postgres://astros@db.local/astros");
    expect(redactUrlPassword("sqlite:///home/u/astros.db")).toBe("sqlite:///home/u/astros.db");
  });
});

describe("redactSecrets", () => {
  it("replaces secret values at any depth and leaves the input untouched", () => {
    const input = { ai: { providers: { openai: { api_key: "sk-123", model: "m" } } }, tokens: 5, max_tokens: 10 };
    expect(redactSecrets(input)).toEqual({
      ai: { providers: { openai: { api_key: "***", model: "m" } } },
      tokens: 5,
      max_tokens: 10,
    });
    expect(input.ai.providers.openai.api_key).toBe("sk-123");
  });

  it("keeps an empty secret empty so it still reads as unset", () => {
    expect(redactSecrets({ password: "" })).toEqual({ password: "" });
  });

  it("redacts secrets of any type, including lists", () => {
    expect(redactSecrets({ token: 123, secret: ["a", "b"] })).toEqual({ token: "***", secret: "***" });
  });
});

describe("redactSecretText", () => {
  const secrets = {
    jwt: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9.Qm9ndXNTaWduYXR1cmVWYWx1ZTEyMzQ1Njc4",
    pem: "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAtestkeymaterial\nabcDEF123456\n-----END RSA PRIVATE KEY-----",
    openssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----",
    url: "postgres://astros:Tr0ub4dor-and-3@db.internal:5432/astros",
    bearer: "Bearer abcDEF0123456789.token-value",
    header: "Authorization: Basic dXNlcjpodW50ZXIy",
    openai: "sk-proj-AbCdEf0123456789abcdef",
    github: "ghp_0123456789abcdefABCDEF0123456789ab",
    aws: "AKIAIOSFODNN7EXAMPLE",
    slack: "xoxb-1234567890-abcdefghij",
    pair: "PASSWORD=correct-horse-battery",
    json: '{"client_secret": "s3cr3t-value"}',
    base64: "q8Zr3mW1pV9xT2yL6nB4cD7fH0jK5sA8gE1iO3uY6wR9tQ2zX4vN7mP0lC5bF8hJ",
    cookie: "Cookie: session=s%3Aplanted-session-cookie; theme=dark",
    curl: "curl -u deploy:Planted-Curl-Pass https://ci.example/api",
    apiKeyHeader: "X-Api-Key: planted-api-key-value",
    hex: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  };

  it("hides every secret of a known shape, in any text", () => {
    const text = Object.entries(secrets)
      .map(([name, secret]) => `${name}: ${secret}`)
      .join("\n");
    const redacted = redactSecretText(text);
    for (const fragment of [
      "eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9",
      "testkeymaterial",
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
      "Tr0ub4dor",
      "abcDEF0123456789",
      "dXNlcjpodW50ZXIy",
      "AbCdEf0123456789abcdef",
      "0123456789abcdefABCDEF",
      "IOSFODNN7",
      "abcdefghij",
      "correct-horse",
      "s3cr3t-value",
      "q8Zr3mW1pV9x",
      "9f86d081884c7d659a2f",
      "planted-session-cookie",
      "Planted-Curl-Pass",
      "planted-api-key-value",
    ])
      expect(redacted).not.toContain(fragment);
    expect(redacted).toContain("postgres://astros:***@db.internal:5432/astros");
  });

  it("keeps ordinary text: long words, identifiers, paths, temp folder names, UUIDs and numbers", () => {
    for (const text of [
      "supercalifragilisticexpialidocious_and_more_words_here",
      "thisIsAVeryLongIdentifierNameForTestingPurposes",
      "/home/alice/Projects/AstrOS2026/src/safety/audit/audit-logger.ts",
      "/tmp/astros-cli-AbC123/.local/share/astros/trash/files/report-2026-12-07.pdf",
      "node_modules/@biomejs/cli-linux-x64/biome-v1_9_4",
      "request 5204d298-024f-400f-bed0-cf3aca057a96 in session cli-68560122-5ab9-416f-af05-aa033bc0101f",
      "12345678901234567890123456789012345678901234567890",
      "the max_tokens = 1024 and tokens_used: 55",
    ])
      expect(redactSecretText(text)).toBe(text);
  });

  it("takes a bare sha256 in free text for key material (a hex key looks the same), as documented", () => {
    expect(looksLikeKeyMaterial("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881")).toBe(true);
    expect(shannonEntropy("aaaa")).toBe(0);
  });

  it("finds random key material of 32 characters and more nearly always, and of 64 always", () => {
    let missed32 = 0;
    for (let index = 0; index < 1_000; index++) {
      if (!looksLikeKeyMaterial(randomBytes(24).toString("base64"))) missed32++;
      expect(looksLikeKeyMaterial(randomBytes(48).toString("base64"))).toBe(true);
      expect(looksLikeKeyMaterial(randomBytes(32).toString("hex"))).toBe(true);
    }
    expect(missed32).toBeLessThan(30);
    const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (let index = 0; index < 200; index++) {
      const noDigits = Array.from(randomBytes(64), (byte) => letters[byte % letters.length]).join("");
      expect(looksLikeKeyMaterial(noDigits), noDigits).toBe(true);
    }
  });
});
