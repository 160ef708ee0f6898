import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermissionError } from "../../core/errors/permission-error.js";
import { PathGuard } from "./path-guard.js";

let base: string;
let home: string;
let outside: string;
let guard: PathGuard;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), "astros-path-guard-")));
  home = path.join(base, "home", "alice");
  outside = path.join(base, "outside");
  await mkdir(path.join(home, "Documents", "project"), { recursive: true });
  await mkdir(path.join(home, ".ssh"), { recursive: true });
  await mkdir(path.join(home, ".local", "share", "astros"), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(home, "Documents", "notes.txt"), "notes");
  await writeFile(path.join(home, ".ssh", "id_ed25519"), "key");
  await writeFile(path.join(home, "Documents", "project", ".env"), "TOKEN=x");
  await writeFile(path.join(outside, "secret.txt"), "secret");
  await symlink(outside, path.join(home, "escape"));
  await symlink(path.join(home, "Documents"), path.join(home, "docs"));
  guard = new PathGuard({ roots: [home], homeDirectory: home, ownDirectories: [path.join(home, ".local", "share", "astros")] });
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("path guard", () => {
  it("allows paths inside a root, existing or not yet created, and reports the real path", async () => {
    expect(await guard.check(path.join(home, "Documents", "notes.txt"))).toMatchObject({
      allowed: true,
      realPath: path.join(home, "Documents", "notes.txt"),
    });
    expect(await guard.check("~/Documents/new/folder/file.txt")).toMatchObject({
      allowed: true,
      realPath: path.join(home, "Documents", "new", "folder", "file.txt"),
    });
    expect(await guard.check("notes.txt", { cwd: path.join(home, "Documents") })).toMatchObject({ allowed: true });
    expect(await guard.check("~/docs/notes.txt")).toMatchObject({
      allowed: true,
      realPath: path.join(home, "Documents", "notes.txt"),
    });
  });

  it("denies a path outside the allowed locations, naming the path and the rule", async () => {
    const verdict = await guard.check("/etc/passwd");
    expect(verdict).toMatchObject({ allowed: false, rule: "outside-roots" });
    expect(!verdict.allowed && verdict.reason).toContain("outside allowed locations");
    await expect(guard.assertAllowed("/etc/passwd")).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof PermissionError &&
        error.code === "PATH_DENIED" &&
        error.details.rule === "outside-roots" &&
        error.message.includes("/etc/passwd"),
    );
  });

  it("denies '..' traversal out of a root", async () => {
    expect(await guard.check("~/Documents/../../../outside/secret.txt")).toMatchObject({ allowed: false, rule: "traversal" });
    expect(await guard.check("~/Documents/../Documents/notes.txt")).toMatchObject({ allowed: true });
  });

  it("denies symbolic-link escapes, including a link's '..' which is the parent of its target", async () => {
    expect(await guard.check("~/escape/secret.txt")).toMatchObject({
      allowed: false,
      rule: "symlink-escape",
      realPath: path.join(outside, "secret.txt"),
    });
    // ~/escape/.. is the parent of `outside` (base), not ~: this is base/outside/secret.txt, though it reads like ~/outside/...
    expect(await guard.check("~/escape/../outside/secret.txt")).toMatchObject({
      allowed: false,
      realPath: path.join(outside, "secret.txt"),
    });
    // ...and a path that climbs back into the root through the link is the file it really is.
    expect(await guard.check("~/escape/../home/alice/Documents/notes.txt")).toMatchObject({
      allowed: true,
      realPath: path.join(home, "Documents", "notes.txt"),
    });
    expect(await guard.check("~/escape/new-file.txt")).toMatchObject({ allowed: false, rule: "symlink-escape" });
  });

  it("follows a dangling symbolic link to where a write through it would land", async () => {
    await symlink(path.join(outside, "not-yet.txt"), path.join(home, "dangling"));
    expect(await guard.check("~/dangling")).toMatchObject({
      allowed: false,
      rule: "symlink-escape",
      realPath: path.join(outside, "not-yet.txt"),
    });
  });

  it("denies /proc/self/root escapes", async () => {
    const verdict = await guard.check(`/proc/self/root${path.join(home, "Documents", "notes.txt")}`);
    // /proc/self/root is a link to "/", so this is really the file itself; anything else under /proc is outside.
    expect(verdict.allowed ? verdict.realPath : "").toBe(path.join(home, "Documents", "notes.txt"));
    expect(await guard.check("/proc/self/root/etc/passwd")).toMatchObject({ allowed: false });
  });

  it("denies keys, credentials and AstrOS's own data inside the roots unless allowed", async () => {
    expect(await guard.check("~/.ssh/id_ed25519")).toMatchObject({ allowed: false, rule: "sensitive" });
    expect(await guard.check("~/.ssh")).toMatchObject({ allowed: false, rule: "sensitive" });
    expect(await guard.check("~/Documents/project/.env")).toMatchObject({ allowed: false, rule: "sensitive" });
    expect(await guard.check("~/.local/share/astros/astros.db")).toMatchObject({ allowed: false, rule: "sensitive" });
    const permissive = new PathGuard({ roots: [home], homeDirectory: home, allowSensitive: ["~/Documents/project/.env"] });
    expect(await permissive.check("~/Documents/project/.env")).toMatchObject({ allowed: true });
    expect(await permissive.check("~/.ssh/id_ed25519")).toMatchObject({ allowed: false });
  });

  it("says which sensitive path a shell glob could reach, as the shell matches dot files", () => {
    expect(guard.sensitiveMatch("~/.s*h/*")).toBe(path.join(home, ".ssh"));
    expect(guard.sensitiveMatch("~/.*")).toBe(path.join(home, ".ssh"));
    expect(guard.sensitiveMatch("~/.local/*/astros/*.db")).toBe(path.join(home, ".local", "share", "astros"));
    expect(guard.sensitiveMatch("~/*")).toBeUndefined();
    expect(guard.sensitiveMatch("~/Documents/*.txt")).toBeUndefined();
    expect(guard.sensitiveMatch("~/.ssh/id_ed25519")).toBeUndefined(); // no glob: check() judges it
    const allowing = new PathGuard({ roots: [home], homeDirectory: home, allowSensitive: ["~/.ssh"] });
    expect(allowing.sensitiveMatch("~/.s*h/config")).toBeUndefined();
  });

  it("accepts extra roots for one check (a session's workspace)", async () => {
    expect(await guard.check(path.join(outside, "secret.txt"), { extraRoots: [outside] })).toMatchObject({ allowed: true });
    expect(await guard.check(path.join(outside, "secret.txt"))).toMatchObject({ allowed: false });
  });

  it("rejects empty paths and NUL bytes", async () => {
    expect(await guard.check("")).toMatchObject({ allowed: false, rule: "invalid" });
    expect(await guard.check("~/a\0b")).toMatchObject({ allowed: false, rule: "invalid" });
  });

  it("by default allows the home folder and the temp folder (the AIOS cases)", async () => {
    const defaults = new PathGuard({ homeDirectory: home });
    expect(await defaults.check("~/test.txt")).toMatchObject({ allowed: true });
    expect(await defaults.check(path.join(os.tmpdir(), "astros-temp-file.txt"))).toMatchObject({ allowed: true });
    expect(await defaults.check("/etc/passwd")).toMatchObject({ allowed: false, rule: "outside-roots" });
  });
});

describe("path guard, for a confined user and for Windows-style paths", () => {
  it("never reads a confined user's ~ as the operator's home, nor prints the operator's home when it refuses", async () => {
    const workspace = path.join(base, "workspaces", "bob", "home");
    await mkdir(workspace, { recursive: true });
    const confined = { extraRoots: [workspace], onlyExtraRoots: true, cwd: workspace };
    expect(await guard.check("~/notes.txt", confined)).toMatchObject({
      allowed: true,
      realPath: path.join(workspace, "notes.txt"),
    });
    expect(await guard.check("~", confined)).toMatchObject({ allowed: true, realPath: workspace });
    const denied = await guard.check("~/../../alice/notes.txt", confined);
    expect(denied.allowed).toBe(false);
    expect(JSON.stringify(denied)).not.toContain(home);
    // The operator's own requests keep their ~.
    expect(await guard.check("~/Documents/notes.txt")).toMatchObject({ allowed: true, root: home });
  });

  it("refuses Windows-style paths with REQUEST_INVALID saying what paths look like here, instead of making odd files", async () => {
    for (const input of ["C:\\Users\\x\\file.txt", "D:/x", "c:\\", "\\\\server\\share\\file.txt"]) {
      const verdict = await guard.check(input, { cwd: home });
      expect(verdict, input).toMatchObject({ allowed: false, rule: "windows-path" });
      const error = await guard.assertAllowed(input, { cwd: home }).catch((failure: unknown) => failure);
      expect(error, input).toMatchObject({ code: "REQUEST_INVALID" });
      expect((error as Error).message, input).toContain("looks like a Windows path; on this machine paths look like /home/");
    }
    // Backslashes elsewhere and colons later in a name are ordinary names here.
    for (const input of ["notes\\ draft.txt", "report:v2.txt", "~/Documents/a:b"]) {
      expect((await guard.check(input, { cwd: home })).rule, input).not.toBe("windows-path");
    }
  });
});
