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
});
