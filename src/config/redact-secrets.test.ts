import { describe, expect, it } from "vitest";
import { isSecretKeyName, redactSecrets, redactUrlPassword } from "./redact-secrets.js";

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
