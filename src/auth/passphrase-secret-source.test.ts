import { describe, expect, it, vi } from "vitest";
import { PassphraseSecretSource } from "./passphrase-secret-source.js";

describe("PassphraseSecretSource", () => {
  it("takes ASTROS_CREDENTIALS_PASSPHRASE before asking anyone", async () => {
    const prompt = vi.fn(async () => "typed");
    const source = new PassphraseSecretSource({ env: { ASTROS_CREDENTIALS_PASSPHRASE: "from env" }, prompt });
    expect(await source.readOrCreateSecret()).toEqual({
      bytes: Buffer.from("from env"),
      origin: "ASTROS_CREDENTIALS_PASSPHRASE",
    });
    expect(prompt).not.toHaveBeenCalled();
  });

  it("asks once to open a store and twice to create one", async () => {
    const prompt = vi.fn(async (_question: string) => "typed");
    const source = new PassphraseSecretSource({ env: {}, prompt });
    expect((await source.readSecret()).bytes.toString()).toBe("typed");
    expect(prompt).toHaveBeenCalledTimes(1);
    await source.readOrCreateSecret();
    expect(prompt.mock.calls.map(([question]) => question)).toEqual([
      "Passphrase for the AstrOS credential store: ",
      "New passphrase for the AstrOS credential store: ",
      "Repeat the passphrase: ",
    ]);
  });

  it("refuses two different passphrases and an empty one", async () => {
    const answers = ["one", "two"];
    const differing = new PassphraseSecretSource({ env: {}, prompt: async () => answers.shift() ?? "" });
    await expect(differing.readOrCreateSecret()).rejects.toMatchObject({ code: "CREDENTIALS_LOCKED", message: /differ/ });
    const empty = new PassphraseSecretSource({ env: {}, prompt: async () => "" });
    await expect(empty.readSecret()).rejects.toMatchObject({ code: "CREDENTIALS_LOCKED", message: /empty/ });
  });

  it("with no variable and no terminal, says how to give a passphrase", async () => {
    const source = new PassphraseSecretSource({ env: { ASTROS_CREDENTIALS_PASSPHRASE: "" }, prompt: undefined });
    await expect(source.readSecret()).rejects.toMatchObject({
      code: "CREDENTIALS_LOCKED",
      message: expect.stringContaining("ASTROS_CREDENTIALS_PASSPHRASE is not set and there is no terminal"),
    });
  });

  it("treats the same passphrase in composed and decomposed Unicode as one", async () => {
    const composed = new PassphraseSecretSource({ env: { ASTROS_CREDENTIALS_PASSPHRASE: "caf\u00e9" }, prompt: undefined });
    const decomposed = new PassphraseSecretSource({ env: {}, prompt: async () => "cafe\u0301" });
    expect((await composed.readSecret()).bytes.equals((await decomposed.readSecret()).bytes)).toBe(true);
  });
});
