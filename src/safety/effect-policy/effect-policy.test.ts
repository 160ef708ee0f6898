import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EffectKind } from "./effect.js";
import { EffectPolicy } from "./effect-policy.js";

let base: string;
let home: string;
let temporary: string;
let outside: string;
let policy: EffectPolicy;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-effect-policy-"));
  home = path.join(base, "home", "ada");
  temporary = path.join(base, "tmp");
  outside = path.join(base, "xdg");
  await mkdir(path.join(home, "Downloads"), { recursive: true });
  await mkdir(temporary, { recursive: true });
  await mkdir(path.join(outside, "data", "astros"), { recursive: true });
  policy = new EffectPolicy({
    homeDirectory: home,
    temporaryDirectory: temporary,
    allowedRoots: [],
    state: [
      { path: "~/.config/astros", what: "configuration", config: true },
      { path: path.join(outside, "data", "astros"), what: "data" },
      { path: path.join(outside, "data", "astros", "astros.db"), what: "database" },
      { path: path.join(outside, "data", "Trash"), what: "trash" },
      { path: "~/.local/state/astros", what: "state" },
      { path: "~/.local/state/astros/journal", what: "journal" },
      { path: "~/.local/state/astros/audit.log", what: "audit log" },
    ],
  });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const destroying: EffectKind[] = ["delete", "move", "empty", "overwrite"];

function verdictOf(kind: EffectKind, target: string, workspaces?: string[]) {
  return policy.judge([{ kind, path: target }], workspaces === undefined ? {} : { workspaces });
}

describe("the effect policy", () => {
  it("forbids deleting, moving, emptying or overwriting the home folder, with the command guard's wording", () => {
    for (const kind of destroying) {
      const decision = verdictOf(kind, home);
      expect(decision, kind).toMatchObject({ verdict: "deny", risk: "FORBIDDEN" });
    }
    expect(verdictOf("delete", home).reasons).toEqual(["deletes your home folder (~)"]);
    expect(verdictOf("move", home).reasons).toEqual(["moves your home folder (~) away"]);
    expect(verdictOf("empty", `${home}/`).reasons).toEqual(["empties your home folder (~)"]);
  });

  it("allows deleting a file in the home folder, even one called home", () => {
    for (const target of [path.join(home, "Downloads", "old.txt"), path.join(home, "home"), path.join(home, "Downloads")]) {
      for (const kind of destroying) expect(verdictOf(kind, target).verdict, `${kind} ${target}`).toBe("allow");
    }
  });

  it("forbids destroying the root folder and every system folder, and allows what is inside a temp folder", () => {
    for (const target of ["/", "/etc", "/usr", "/usr/lib", "/var/lib", "/lib64", "/home", "/proc", "/root", "/boot", "/dev"]) {
      for (const kind of destroying) expect(verdictOf(kind, target).verdict, `${kind} ${target}`).toBe("deny");
    }
    expect(verdictOf("delete", "/").reasons).toEqual(["deletes the whole file system (/)"]);
    expect(verdictOf("delete", "/etc").reasons).toEqual(["deletes a system folder (/etc)"]);
    expect(verdictOf("delete", path.join(temporary, "x", "y")).verdict).toBe("allow");
    expect(verdictOf("delete", "/usr/lib/x/y.so").verdict).toBe("allow");
  });

  it("forbids destroying an allowed root, the temp folder and a session's workspace, but not what is inside them", () => {
    const roots = new EffectPolicy({
      homeDirectory: home,
      temporaryDirectory: temporary,
      allowedRoots: ["~/projects", "/srv/data"],
    });
    expect(roots.judge([{ kind: "delete", path: path.join(home, "projects") }]).reasons).toEqual([
      "deletes a folder AstrOS works in (~/projects, safety.allowed_roots)",
    ]);
    expect(roots.judge([{ kind: "empty", path: "/srv/data" }]).verdict).toBe("deny");
    expect(roots.judge([{ kind: "delete", path: "/srv/data/old.csv" }]).verdict).toBe("allow");
    expect(verdictOf("delete", temporary).reasons).toEqual([`deletes the temporary folder (${temporary})`]);
    const workspace = path.join(base, "workspaces", "u1", "home");
    expect(verdictOf("delete", workspace, [workspace]).verdict).toBe("deny");
    expect(verdictOf("delete", path.join(base, "workspaces"), [workspace]).reasons[0]).toMatch(
      /which holds this session's workspace/,
    );
    expect(verdictOf("delete", path.join(workspace, "notes.txt"), [workspace]).verdict).toBe("allow");
  });

  it("forbids destroying AstrOS's state, or any folder that holds it, wherever the XDG folders are", () => {
    expect(verdictOf("delete", path.join(outside, "data", "Trash")).reasons).toEqual([
      `deletes AstrOS's trash (${path.join(outside, "data", "Trash")})`,
    ]);
    expect(verdictOf("empty", path.join(outside, "data")).reasons[0]).toMatch(/which holds AstrOS's/);
    expect(verdictOf("delete", path.join(home, ".local")).reasons[0]).toBe(
      "deletes ~/.local, which holds AstrOS's state (~/.local/state/astros)",
    );
    expect(verdictOf("overwrite", path.join(outside, "data", "astros", "astros.db")).verdict).toBe("deny");
    expect(verdictOf("modify", path.join(home, ".local", "state", "astros", "audit.log")).verdict).toBe("deny");
    expect(verdictOf("create", path.join(home, ".local", "state", "astros", "journal", "x.json")).verdict).toBe("deny");
    expect(verdictOf("delete", path.join(home, ".config", "astros")).verdict).toBe("deny");
    // A folder that holds none of it: allowed.
    expect(verdictOf("delete", path.join(home, ".local", "share", "fonts")).verdict).toBe("allow");
    expect(verdictOf("delete", path.join(home, ".cache")).verdict).toBe("allow");
    expect(verdictOf("read", path.join(outside, "data", "astros", "astros.db")).verdict).toBe("allow");
  });

  it("sees a protected place through a symbolic link to it", async () => {
    const link = path.join(base, "linked-home");
    await symlink(home, link);
    const throughLink = new EffectPolicy({ homeDirectory: link, temporaryDirectory: temporary });
    expect(throughLink.judge([{ kind: "delete", path: home }]).verdict).toBe("deny");
  });

  it("asks before writing shell start-up files, git hooks and config, authorized_keys, crontabs and AstrOS's config", () => {
    const asked = [
      path.join(home, ".bashrc"),
      path.join(home, ".profile"),
      path.join(home, ".bash_profile"),
      path.join(home, ".zshrc"),
      path.join(home, ".config", "fish", "config.fish"),
      path.join(home, "code", "app", ".git", "hooks", "pre-commit"),
      path.join(home, "code", "app", ".git", "config"),
      path.join(home, ".ssh", "authorized_keys"),
      "/var/spool/cron/crontabs/ada",
      path.join(home, ".config", "astros", "config.toml"),
    ];
    for (const target of asked) {
      for (const kind of ["create", "modify", "overwrite"] as const) {
        const decision = verdictOf(kind, target);
        expect(decision, `${kind} ${target}`).toMatchObject({ verdict: "ask", risk: "DANGEROUS" });
      }
    }
    expect(verdictOf("overwrite", path.join(home, ".bashrc")).reasons[0]).toMatch(/^overwrites ~\/\.bashrc: .*start-up/);
    // Look-alikes: ordinary files.
    for (const target of [
      path.join(home, "bashrc"),
      path.join(home, "notes", "profile.txt"),
      path.join(home, "code", "app", "hooks", "pre-commit"),
      path.join(home, "code", "app", "config"),
      path.join(home, "code", "app", ".git", "config.bak", "x"),
      path.join(home, "authorized_keys.txt"),
    ]) {
      expect(verdictOf("overwrite", target).verdict, target).toBe("allow");
    }
    expect(verdictOf("read", path.join(home, ".bashrc")).verdict).toBe("allow");
  });

  it("answers with the strictest verdict and every reason", () => {
    const decision = policy.judge([
      { kind: "read", path: path.join(home, "a.txt") },
      { kind: "create", path: path.join(home, ".bashrc") },
      { kind: "move", path: home },
    ]);
    expect(decision.verdict).toBe("deny");
    expect(decision.reasons).toEqual(["moves your home folder (~) away"]);
    expect(policy.judge([]).verdict).toBe("allow");
  });
});
