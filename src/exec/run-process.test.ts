import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runProcess } from "./run-process.js";

let home: string;

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "astros-run-process-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("runProcess", () => {
  it("runs the command alone, without the user's ~/.bashrc or ~/.bash_profile (bash reads them when stdin is a socket)", async () => {
    for (const file of [".bashrc", ".bash_profile", ".profile"]) {
      await writeFile(path.join(home, file), `echo "sourced ${file}"; export LEAKED=1\n`);
    }
    const result = await runProcess({
      command: 'echo "ran $LEAKED"',
      cwd: home,
      env: { HOME: home },
      timeoutMilliseconds: 10_000,
      outputLimit: 10_000,
    });
    expect(result).toMatchObject({ exitCode: 0, stdout: "ran \n", stderr: "" });
  });

  it("kills what a command leaves behind when its shell exits, unless it was started to outlive it (detach)", async () => {
    const run = (marker: string, detach: boolean) =>
      runProcess({
        command: `(sleep 0.3; touch ${marker}) </dev/null >/dev/null 2>&1 &`,
        cwd: home,
        timeoutMilliseconds: 10_000,
        outputLimit: 10_000,
        detach,
      });
    const left = path.join(home, "left-behind");
    const launched = path.join(home, "launched");
    expect((await run(left, false)).exitCode).toBe(0);
    expect((await run(launched, true)).exitCode).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(existsSync(launched)).toBe(true);
    expect(existsSync(left)).toBe(false);
  });
});
