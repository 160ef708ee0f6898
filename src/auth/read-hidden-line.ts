import { StringDecoder } from "node:string_decoder";
import { ProcessingError } from "../core/errors/processing-error.js";

/** The part of a terminal's input stream a hidden prompt needs (`process.stdin` on a TTY has it). */
export interface RawModeInput {
  isRaw?: boolean;
  setRawMode(raw: boolean): unknown;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Asks a question on the terminal and returns the answer typed without echo. */
export type HiddenPrompt = (question: string) => Promise<string>;

/**
 * Read one line from a terminal in raw mode, echoing nothing: Enter ends it, Backspace and Ctrl-U edit it,
 * Ctrl-C cancels (REQUEST_CANCELLED), Ctrl-D ends it early. The terminal's mode is restored however it ends.
 */
export function readHiddenLine(options: {
  question: string;
  input: RawModeInput;
  output: { write(text: string): unknown };
}): Promise<string> {
  const { input, output } = options;
  const wasRaw = input.isRaw === true;
  const decoder = new StringDecoder("utf8");
  let typed: string[] = [];
  return new Promise<string>((resolve, reject) => {
    const finish = (error?: Error) => {
      input.off("data", onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write("\n");
      if (error === undefined) resolve(typed.join(""));
      else reject(error);
      typed = [];
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
      if (text.startsWith("\u001b")) return; // arrow keys and other escape sequences
      for (const character of text) {
        if (character === "\r" || character === "\n" || character === "\u0004") return finish();
        if (character === "\u0003") return finish(new ProcessingError("cancelled", { code: "REQUEST_CANCELLED" }));
        if (character === "\u007f" || character === "\b") typed.pop();
        else if (character === "\u0015") typed = [];
        else if (character >= " ") typed.push(character);
      }
    };
    // Echo goes off before the question shows, so nothing typed after it is ever echoed.
    input.setRawMode(true);
    input.on("data", onData);
    input.resume();
    output.write(options.question);
  });
}

/** A hidden prompt on this process's terminal (questions on stderr), or undefined when stdin is not a terminal. */
export function terminalHiddenPrompt(): HiddenPrompt | undefined {
  const input = process.stdin;
  if (input.isTTY !== true) return undefined;
  return (question) => readHiddenLine({ question, input, output: process.stderr });
}
