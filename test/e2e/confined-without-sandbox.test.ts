import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCliSandbox, startServer } from "./run-cli.js";

/**
 * `astros serve` where server users' sandbox cannot prove itself (no bubblewrap on its PATH): it says so
 * at start, and every command of a server user is refused, saying why, whichever door it comes through;
 * their files still work. Fail closed, never unconfined.
 */

describe("without a working sandbox", () => {
  it("refuses every command of a server user, saying why, and says so at start; files still work", async () => {
    const bare = await createCliSandbox();
    // A PATH without bubblewrap: the sandbox cannot prove itself.
    const bin = path.join(bare.home, "bin");
    await mkdir(bin);
    for (const program of ["bash", "sh"]) await symlink(`/bin/${program}`, path.join(bin, program));
    bare.env.PATH = bin;
    const running = await startServer(bare, { ready: /administrator: admin \/ \S+/ });
    try {
      expect(running.stderr()).toMatch(/sandbox for server users is not available \(bubblewrap \(bwrap\) is not installed/);
      const send = async (method: string, url: string, token: string | undefined, body?: unknown) => {
        const response = await fetch(`${running.base}${url}`, {
          method,
          headers: {
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: response.status, body: (await response.json()) as any };
      };
      const adminPassword = /administrator: admin \/ (\S+)/.exec(running.stderr())?.[1] ?? "";
      const admin = (await send("POST", "/api/v1/auth/login", undefined, { username: "admin", password: adminPassword })).body
        .data.token;
      await send("POST", "/api/v1/users", admin, { username: "carol", password: "carol-long-password-1" });
      const carol = (
        await send("POST", "/api/v1/auth/login", undefined, { username: "carol", password: "carol-long-password-1" })
      ).body.data.token;
      const session = (await send("POST", "/api/sessions", carol, {})).body.session_id;
      const shell = await send("POST", `/api/sessions/${session}/shell`, carol, { cmd: "echo hello" });
      expect(shell.status).toBe(403);
      expect(shell.body.error.message).toMatch(
        /only in the sandbox, which is not available here \(bubblewrap \(bwrap\) is not installed/,
      );
      const background = await send("POST", `/api/sessions/${session}/shell`, carol, { cmd: "echo hello", background: true });
      expect(background.status).toBe(403);
      const viaProcess = await send("POST", "/api/v1/process", carol, { text: "run echo hello" });
      expect(viaProcess.body.success).toBe(false);
      expect(viaProcess.body.message).toMatch(/sandbox/);
      const written = await send("POST", `/api/sessions/${session}/files/content`, carol, {
        path: "notes.txt",
        content: "still works",
      });
      expect(written.status).toBe(200);
      expect((await send("GET", "/api/health", undefined)).body.sandbox_available).toBe(false);
    } finally {
      await running.stop();
      await bare.dispose();
    }
  }, 60_000);
});
