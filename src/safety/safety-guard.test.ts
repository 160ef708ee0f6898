import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../config/config-schema.js";
import { createUserRequest } from "../core/types/user-request.js";
import { SafetyGuard } from "./safety-guard.js";

let base: string;
let home: string;
let outside: string;
let guard: SafetyGuard;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), "astros-safety-guard-")));
  home = path.join(base, "home");
  outside = path.join(base, "outside");
  await mkdir(path.join(home, ".ssh"), { recursive: true });
  await mkdir(path.join(home, "work"), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(home, ".ssh", "id_ed25519"), "key");
  await writeFile(path.join(outside, "secret.txt"), "outside");
  await symlink(outside, path.join(home, "work", "door"));
  guard = new SafetyGuard({
    config: configSchema.parse({ safety: { allowed_roots: [home] } }).safety,
    homeDirectory: home,
  });
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const call = (workspace?: string) => ({
  request: createUserRequest({ text: "test", userId: "ann", context: { cwd: path.join(home, "work") } }),
  ...(workspace === undefined ? {} : { workspace }),
});

async function judge(command: string, workspace?: string) {
  return guard.judgeNamedPaths(await guard.judgeCommand(command), { call: call(workspace), cwd: path.join(home, "work") });
}

describe("the files a command names, judged by the path guard", () => {
  it("leaves a command on files inside the roots as the command guard judged it", async () => {
    expect(await judge("cat notes.txt ../work/a.txt > out.txt 2>/dev/null")).toMatchObject({ level: "MODERATE" });
    expect(await judge("ls -la")).toMatchObject({ level: "SAFE" });
  });

  it("asks before a command that names a file outside the roots, by path, '..' or a symbolic link", async () => {
    for (const [command, words] of [
      [`cat ${outside}/secret.txt`, "outside the allowed locations"],
      ["cat ../../outside/secret.txt", "'..' leads outside"],
      ["cat door/secret.txt", "symbolic link"],
      ["sh -c 'head /etc/hostname'", "outside the allowed locations"],
    ] as const) {
      const verdict = await judge(command);
      expect(verdict.level, command).toBe("DANGEROUS");
      expect(verdict.reasons.join(" "), command).toContain(words);
    }
  });

  it("asks before a command that names a key or credential, also through $HOME or a glob", async () => {
    for (const command of [
      "cat ~/.ssh/id_ed25519",
      'cp "$HOME/.ssh/id_ed25519" .',
      "tar -c ~/.s?h/*",
      "base64 < ~/.ssh/id_ed25519",
    ]) {
      const verdict = await judge(command);
      expect(verdict.level, command).toBe("DANGEROUS");
      expect(verdict.reasons.join(" "), command).toContain("keys or credentials");
    }
  });

  it("lets the null device and standard streams through, and the session's workspace as a root", async () => {
    expect((await judge("cat notes.txt > /dev/null < /dev/stdin 2>/dev/stderr")).level).toBe("SAFE");
    expect((await judge(`cat ${outside}/secret.txt`, outside)).level).toBe("SAFE");
  });

  it("in the sandbox (read-only system, no network) asks only about keys and credentials", async () => {
    const isolated = (command: string) =>
      guard
        .judgeCommand(command)
        .then((verdict) => guard.judgeNamedPaths(verdict, { call: call(), cwd: path.join(home, "work"), isolated: true }));
    expect((await isolated(`cat ${outside}/secret.txt; touch /etc/x`)).level).toBe("MODERATE");
    expect((await isolated("cat ~/.ssh/id_ed25519")).level).toBe("DANGEROUS");
  });

  it("judges ~ and $HOME as the HOME a command will run with, when that is not the user's", async () => {
    expect((await guard.judgeCommand("rm -rf ~/usr", { homeDirectory: "/" })).level).toBe("FORBIDDEN");
    expect((await guard.judgeCommand('rm -rf "$HOME/etc"', { homeDirectory: "/" })).level).toBe("FORBIDDEN");
    expect((await guard.judgeCommand("rm -rf ~/usr")).level).toBe("DANGEROUS");
    const elsewhere = await guard.judgeNamedPaths(await guard.judgeCommand("cat ~/secret.txt", { homeDirectory: outside }), {
      call: call(),
      cwd: path.join(home, "work"),
      homeDirectory: outside,
    });
    expect(elsewhere.level).toBe("DANGEROUS");
    expect(elsewhere.reasons.join(" ")).toContain(`${outside}/secret.txt, outside the allowed locations`);
  });

  it("never lowers a FORBIDDEN verdict", async () => {
    expect((await judge("rm -rf /")).level).toBe("FORBIDDEN");
  });
});

describe("what a command destroys, judged by the effect policy", () => {
  it("forbids a command that deletes or moves a protected place in any spelling, and leaves ordinary deletes to the command guard", async () => {
    const stated = new SafetyGuard({
      config: configSchema.parse({ safety: { allowed_roots: [home] } }).safety,
      homeDirectory: home,
      state: [{ path: path.join(home, ".local", "share", "astros"), what: "data" }],
    });
    const verdictOf = async (command: string) =>
      stated.judgeNamedPaths(await stated.judgeCommand(command), { call: call(), cwd: path.join(home, "work") });
    for (const command of [
      "rm -r ~/.local",
      "rm -rf ../.local/share",
      `rm -r ${home}/.local/share/astros`,
      "mv ~/.local /tmp/elsewhere",
      "cd /tmp && rm -rf ~/.local/share/astros/astros.db",
      `rmdir ${home}`,
    ]) {
      const verdict = await verdictOf(command);
      expect(verdict.level, command).toBe("FORBIDDEN");
      expect(verdict.reasons.join(" "), command).toMatch(/AstrOS's data|your home folder/);
    }
    for (const command of ["rm -r ~/.local/share/fonts", "rm old.txt", "mv a.txt b.txt", "ls ~/.local"]) {
      expect((await verdictOf(command)).level, command).not.toBe("FORBIDDEN");
    }
    const assessed = await stated.assess({
      id: "1",
      tool: "shell.run",
      plugin: "shell",
      handler: "run",
      args: { command: "rm -r ~/.local" },
      readOnly: false,
      requiresPermissions: [],
      request: call().request,
      commands: ["rm -r ~/.local"],
      paths: [],
      trustedPlugin: true,
    });
    expect(assessed).toMatchObject({ verdict: "deny", risk: "FORBIDDEN" });
    expect(assessed.reason).toContain("rm -r ~/.local: deletes ~/.local, which holds AstrOS's data");
  });
});
