import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../config/config-schema.js";
import { createUserRequest } from "../../core/types/user-request.js";
import { astrosStatePlaces } from "../effect-policy/astros-state.js";
import { SafetyGuard } from "../safety-guard.js";

// Only strings are judged here: nothing is run; the temporary HOME holds the folders the judging looks at.
let base: string;
let home: string;
let guard: SafetyGuard;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-state-commands-"));
  home = path.join(base, "home");
  // Real folders, so that a copy into one is judged as the pipeline would judge it.
  for (const folder of ["projects/app", ".local/state/astros", ".local/share/astros", ".config/astros", "Downloads"])
    await mkdir(path.join(home, folder), { recursive: true });
  await writeFile(path.join(home, ".local/state/astros/audit.log"), "entry\n");
  const xdgPaths = {
    configDirectory: path.join(home, ".config", "astros"),
    dataDirectory: path.join(home, ".local", "share", "astros"),
    stateDirectory: path.join(home, ".local", "state", "astros"),
    cacheDirectory: path.join(home, ".cache", "astros"),
  };
  const config = configSchema.parse({
    safety: { allowed_roots: [path.join(home, "projects")] },
    database: { url: `sqlite://${path.join(xdgPaths.dataDirectory, "astros.db")}` },
  });
  guard = new SafetyGuard({
    config: config.safety,
    homeDirectory: home,
    ownDirectories: [xdgPaths.configDirectory, xdgPaths.dataDirectory, xdgPaths.stateDirectory],
    state: astrosStatePlaces({ xdgPaths: xdgPaths as never, config }),
  });
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function judge(command: string) {
  const cwd = path.join(home, "projects");
  const call = { request: createUserRequest({ text: "test", userId: "ann", context: { cwd } }) };
  return guard.judgeNamedPaths(await guard.judgeCommand(command, { homeDirectory: home }), {
    call,
    cwd,
    homeDirectory: home,
  });
}

describe("AstrOS's own state, from every spelling a command line can use", () => {
  it("never lets a command delete, empty or overwrite the audit log, the database or the state folder, after a cd or through a link", async () => {
    for (const command of [
      "rm -f ~/.local/state/astros/audit.log",
      "cd ~/.local/state/astros; rm -f audit.log",
      "cd ~/.local/state/astros && rm -f ./audit.log",
      "cd ~/.local/state && rm -rf astros",
      ": > ~/.local/state/astros/audit.log",
      "cd ~/.local/state/astros && : > audit.log",
      "truncate -s0 ~/.local/state/astros/audit.log",
      "echo x | tee ~/.local/state/astros/audit.log",
      "sqlite3 ~/.local/share/astros/astros.db 'drop table requests'",
      "sqlite3 ~/.local/share/astros/astros.db < wipe.sql",
      "ln -s ~/.local/state/astros s; rm -rf s/",
      "ln -s ~/.local/state/astros s; : > s/audit.log",
      "cp /dev/null ~/.local/state/astros/audit.log",
      "mv forged.log ~/.local/state/astros/audit.log",
    ]) {
      expect((await judge(command)).level, command).toBe("FORBIDDEN");
    }
  });

  it("names what a deleted protected folder is instead of calling it the home folder", async () => {
    const verdict = await judge("cd ~/.local/state && rm -rf astros");
    expect(verdict.reasons.join(" ")).toContain("AstrOS's own state (~/.local/state/astros)");
    expect(verdict.reasons.join(" ")).not.toContain("your home folder");
  });

  it("asks before writing AstrOS's configuration and before find -delete over a folder holding its state", async () => {
    // find -delete with a name filter may or may not reach the state: it asks (it cannot be known before it runs).
    for (const command of ["echo > ~/.config/astros/config.toml", "find ~/.local/state -name 'audit*' -delete"]) {
      const level = (await judge(command)).level;
      expect(["DANGEROUS", "FORBIDDEN"], command).toContain(level);
    }
  });

  it("forbids a find, a pattern or a pipe that deletes, truncates or moves the audit log or the state without naming it", async () => {
    for (const command of [
      "find ~/.local/state -name 'audit*' -delete",
      "find ~/.local/state -iname 'AUDIT*' -delete",
      "find ~/.local -name '*.log' -delete",
      "find ~ -name audit.log -delete",
      "find ~/.local/state -name 'audit*' -exec rm {} +",
      "find ~/.local/state -name 'audit*' -exec shred -u {} \\;",
      "find ~/.local/state -name audit.log -exec truncate -s0 {} \\;",
      "find ~/.local/state -name 'audit*' -exec mv {} /tmp \\;",
      "find ~/.local/state -name 'audit*' | xargs rm -f",
      "find ~/.local/state -path '*astros*' -delete",
      "find ~/.local/state -regex '.*audit.*' -delete",
      "find ~/.local/state -type f -not -name x -delete",
      "find ~/.local/state -newer x -delete",
      "cd ~/.local && find state -name 'audit*' -delete",
      "rm -f ~/.local/state/*/audit.log",
      "rm -f ~/.local/state/astros/audit*",
      "rm -f ~/.local/share/astros/astros.db*",
      "truncate -s0 ~/.local/state/astros/*",
      "gio trash ~/.local/state/astros/audit.log",
    ]) {
      expect((await judge(command)).level, command).toBe("FORBIDDEN");
    }
    for (const command of [
      "find ~/Downloads -name '*.log' -delete",
      "find ~/.local/share -name '*.desktop' -delete",
      "find ~/.local/state -name 'audit*'",
      "find ~/.local/state -name 'audit*' -exec cat {} +",
      "rm -f ~/Downloads/*.log",
    ]) {
      expect((await judge(command)).level, command).not.toBe("FORBIDDEN");
    }
  });

  it("never treats mv's destination as moved away: moving a file home is everyday, moving home or the state away is not", async () => {
    for (const command of ["mv ~/Downloads/old.txt ~/", "mv -t ~ ~/Downloads/old.txt", "mv --target-directory=~ a.txt"]) {
      expect((await judge(command)).level, command).not.toBe("FORBIDDEN");
    }
    for (const command of [
      "mv ~ /tmp/x",
      "mv -t /tmp ~",
      "mv -t /tmp ~/.local/state/astros",
      "cd ~/.local/state && mv astros /tmp/",
    ]) {
      expect((await judge(command)).level, command).toBe("FORBIDDEN");
    }
  });

  it("leaves reading the database and everyday writes in an allowed root as they were", async () => {
    for (const command of [
      "sqlite3 ~/.local/share/astros/astros.db 'select count(*) from requests'",
      "echo hi > notes.txt",
      ": > app.log",
      "truncate -s0 ~/projects/app.log",
      "cd ~/projects && rm -rf build",
      "mv ~/Downloads/old.txt ~/projects/",
      "cp notes.txt ~/projects",
      "mv notes.txt ~/projects",
      "cp -r src ~/projects/app",
      "cp a.txt b.txt",
    ]) {
      expect((await judge(command)).level, command).not.toBe("FORBIDDEN");
    }
  });
});
