import { afterEach, describe, expect, it } from "vitest";
import { probeSandbox } from "./sandbox-status.js";

/** The sandbox proves itself before it is trusted, and says plainly why when it cannot. */

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe("probeSandbox", () => {
  it("says bubblewrap is missing, and how to add it, when it is not on the PATH", async () => {
    process.env.PATH = "/nonexistent";
    const status = await probeSandbox();
    expect(status).toEqual({
      available: false,
      reason: "bubblewrap (bwrap) is not installed; `apt install bubblewrap` adds it",
    });
  });

  it("proves the server users' view too when bubblewrap works here", async (context) => {
    const status = await probeSandbox();
    if (!status.available && process.env.ASTROS_REQUIRE_SERVICES !== "1") {
      console.warn(`SKIPPED: bubblewrap does not work here (${status.reason})`);
      context.skip();
    }
    expect(status.reason).toContain("server users see only the system and their workspace");
  });
});
