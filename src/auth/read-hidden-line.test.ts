import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { type RawModeInput, readHiddenLine } from "./read-hidden-line.js";

/** A terminal input double: records raw-mode changes; `type` delivers keystrokes as a terminal would. */
class FakeTerminalInput extends EventEmitter implements RawModeInput {
  isRaw = false;
  modes: boolean[] = [];
  setRawMode(raw: boolean) {
    this.isRaw = raw;
    this.modes.push(raw);
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
  type(...chunks: string[]) {
    for (const chunk of chunks) this.emit("data", Buffer.from(chunk));
  }
}

function fakeOutput() {
  const written: string[] = [];
  return { written, write: (text: string) => written.push(text) };
}

describe("readHiddenLine", () => {
  it("returns what was typed, with backspace applied, echoing nothing but the question", async () => {
    const input = new FakeTerminalInput();
    const output = fakeOutput();
    const answer = readHiddenLine({ question: "Passphrase: ", input, output });
    input.type("hunx", "\u007f", "ter2", "\u001b[A", "\r");
    expect(await answer).toBe("hunter2");
    expect(output.written).toEqual(["Passphrase: ", "\n"]);
    expect(input.modes).toEqual([true, false]);
    expect(input.listenerCount("data")).toBe(0);
  });

  it("keeps multi-byte characters split across chunks whole, and Ctrl-U clears the line", async () => {
    const input = new FakeTerminalInput();
    const answer = readHiddenLine({ question: "? ", input, output: fakeOutput() });
    const euro = Buffer.from("€");
    input.type("wrong", "\u0015");
    input.emit("data", euro.subarray(0, 1));
    input.emit("data", euro.subarray(1));
    input.type("5\n");
    expect(await answer).toBe("€5");
  });

  it("cancels on Ctrl-C and restores the terminal", async () => {
    const input = new FakeTerminalInput();
    const answer = readHiddenLine({ question: "? ", input, output: fakeOutput() });
    input.type("abc\u0003");
    await expect(answer).rejects.toMatchObject({ code: "REQUEST_CANCELLED" });
    expect(input.isRaw).toBe(false);
  });
});
