import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger.js";

/** A stream that keeps what is written, and can pretend to be a terminal. */
function capture(isTTY = false): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join("") });
}

describe("createLogger", () => {
  it("writes JSON lines for log collectors, secrets redacted", () => {
    const out = capture();
    createLogger({ level: "warn", destination: out }).child({ component: "plugins" }).warn("bad manifest", {
      source: "/p",
      api_key: "sk-live-123",
    });
    const line = JSON.parse(out.text());
    expect(line).toMatchObject({ level: 40, component: "plugins", source: "/p", api_key: "[redacted]", msg: "bad manifest" });
  });

  it("writes one readable line per entry on a terminal, or when asked for text", () => {
    for (const [out, format] of [
      [capture(true), "auto"],
      [capture(false), "text"],
    ] as const) {
      const logger = createLogger({ level: "info", format, destination: out });
      logger.child({ component: "plugins" }).warn("bad manifest", { source: "/p", token: "abc" });
      logger.debug("not shown below the level");
      expect(out.text()).toBe("astros warning: bad manifest (component: plugins, source: /p, token: [redacted])\n");
    }
  });
});
