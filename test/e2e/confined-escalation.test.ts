import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { sandboxForTests } from "../../src/exec/testing/sandbox-for-tests.js";
import { type CliSandbox, createCliSandbox, type RunningServer, startServer } from "./run-cli.js";

/**
 * A confined server user trying to become administrator, as the attacker of issue 12 did: the real
 * `astros serve` on 127.0.0.1 with an administrator and two users. Alice, with her own sandboxed shell
 * (the /shell route, shell.run through /api/v1/process, background processes), goes after the token
 * signing key, the audit log, Bob's workspace, the operator's HOME (a fake ~/.ssh/id_rsa planted in
 * the test's temporary HOME) and /root, by the files API, by commands, and by both together (a script
 * written through the files API, then run). None of it is readable, she gets no token that works as
 * an administrator, and no answer tells her where anything is on the server.
 */

const sandboxCheck = await sandboxForTests("the confined escalation tests");

let sandbox: CliSandbox;
let server: RunningServer;
let base: string;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
let aliceSession: string;
let bobSession: string;
/** Everything sent to Alice, to check that no server path is in it. */
const seenByAlice: string[] = [];

const operatorKey = "-----BEGIN OPENSSH PRIVATE KEY----- operator-secret-4f1c";
const bobSecret = "bob's private notes 9a7e";

async function call(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; text: string }> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  if (options.token !== undefined && options.token === tokens.alice) seenByAlice.push(text);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON.
  }
  return { status: response.status, body, text };
}

async function login(username: string, password: string): Promise<string> {
  const { status, body } = await call("POST", "/api/v1/auth/login", { body: { username, password } });
  expect(status, JSON.stringify(body)).toBe(200);
  ids[username] = body.data.user_id;
  return body.data.token;
}

/** The files a confined user must never read: where they are, and a piece of what they hold. */
async function secrets(): Promise<Array<{ name: string; file: string; content: string }>> {
  const signingKey = path.join(sandbox.configDirectory, "server-token.key");
  const auditLog = path.join(sandbox.home, ".local", "state", "astros", "audit.log");
  const bobFile = path.join(sandbox.dataDirectory, "workspaces", ids.bob ?? "", "sessions", bobSession, "private.txt");
  return [
    { name: "the signing key", file: signingKey, content: (await readFile(signingKey, "utf8")).trim().slice(0, 24) },
    // What the audit log names: the administrator's user id (never shown to Alice otherwise).
    { name: "the audit log", file: auditLog, content: ids.admin ?? "admin id" },
    { name: "Bob's workspace", file: bobFile, content: bobSecret },
    { name: "the operator's key", file: path.join(sandbox.home, ".ssh", "id_rsa"), content: operatorKey },
    { name: "/root", file: "/root/.bashrc", content: "operator-root-marker" },
  ];
}

/** The text must hold none of the secrets, and nothing that says where the server keeps things. */
function expectNothingLeaked(text: string, all: Array<{ name: string; content: string }>, what: string): void {
  for (const secret of all)
    expect(text.includes(secret.content), `${what} leaked ${secret.name}: ${text.slice(0, 400)}`).toBe(false);
}

beforeAll(async () => {
  if (!sandboxCheck.run) return;
  sandbox = await createCliSandbox();
  await mkdir(path.join(sandbox.home, ".ssh"), { recursive: true, mode: 0o700 });
  await writeFile(path.join(sandbox.home, ".ssh", "id_rsa"), `${operatorKey}\n`, { mode: 0o600 });
  server = await startServer(sandbox, { ready: /administrator: admin \/ \S+/ });
  base = server.base;
  const adminPassword = /administrator: admin \/ (\S+)/.exec(server.stderr())?.[1] ?? "";
  tokens.admin = await login("admin", adminPassword);
  for (const name of ["alice", "bob"]) {
    const created = await call("POST", "/api/v1/users", {
      token: tokens.admin,
      body: { username: name, password: `${name}-long-password-1` },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens[name] = await login(name, `${name}-long-password-1`);
  }
  const bob = await call("POST", "/api/sessions", { token: tokens.bob, body: {} });
  bobSession = bob.body.session_id;
  await writeFile(
    path.join(sandbox.dataDirectory, "workspaces", ids.bob ?? "", "sessions", bobSession, "private.txt"),
    bobSecret,
  );
  const alice = await call("POST", "/api/sessions", { token: tokens.alice, body: {} });
  expect(alice.status, alice.text).toBe(200);
  aliceSession = alice.body.session_id;
  // The administrator does something, so that the audit log names them.
  await call("POST", "/api/v1/process", { token: tokens.admin, body: { text: "hello" } });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await sandbox?.dispose();
});

/** Run a command as Alice through /shell; the output (or the refusal) as text. */
async function aliceShell(command: string): Promise<string> {
  const result = await call("POST", `/api/sessions/${aliceSession}/shell`, { token: tokens.alice, body: { cmd: command } });
  expect(result.status, result.text).toBeLessThan(500);
  return result.text;
}

describe.runIf(sandboxCheck.run)("a confined server user", () => {
  it("cannot read the signing key, the audit log, another workspace, the operator's HOME or /root through the files API", async () => {
    const all = await secrets();
    for (const secret of all) {
      const relative = path.relative(
        path.join(sandbox.dataDirectory, "workspaces", ids.alice ?? "", "sessions", aliceSession),
        secret.file,
      );
      for (const asked of [secret.file, relative, `~/${relative}`]) {
        const read = await call("GET", `/api/sessions/${aliceSession}/files/content?path=${encodeURIComponent(asked)}`, {
          token: tokens.alice,
        });
        expect(read.status, `${secret.name} as ${asked}: ${read.text}`).toBeGreaterThanOrEqual(400);
        expect(read.status).toBeLessThan(500);
        expectNothingLeaked(read.text, all, `files API (${asked})`);
        const viaAgent = await call("POST", "/api/v1/process", { token: tokens.alice, body: { text: `read ${asked}` } });
        expect(viaAgent.body.success, `${secret.name} via /api/v1/process`).toBe(false);
        expectNothingLeaked(viaAgent.text, all, `read through the agent (${asked})`);
      }
    }
  });

  it("cannot read them with commands in her own sandboxed shell: cat, python3, find /, ls /home and /root", async () => {
    const all = await secrets();
    const outputs: string[] = [];
    let ranAndFoundNothing = 0;
    for (const secret of all) {
      // Named literally, the guard refuses before anything runs; computed, the command runs and finds nothing.
      outputs.push(await aliceShell(`cat ${secret.file}`));
      outputs.push(await aliceShell(`python3 -c "print(open('${secret.file}').read())"`));
      const hex = Buffer.from(secret.file).toString("hex");
      const computed = await aliceShell(`cat "$(echo ${Buffer.from(secret.file).toString("base64")} | base64 -d)"`);
      outputs.push(computed, await aliceShell(`python3 -c "print(open(bytes.fromhex('${hex}').decode()).read())"`));
      if (/No such file or directory/.test(computed)) ranAndFoundNothing += 1;
    }
    expect(ranAndFoundNothing, outputs.join("\n")).toBe(all.length);
    const listing = await aliceShell(
      "r=$(echo Lw== | base64 -d); ls -la $r $r/home $r/root 2>&1; find $r -xdev \\( -name '*.key' -o -name id_rsa -o -name 'audit*.log' -o -name private.txt -o -name shadow \\) 2>/dev/null | grep -v '^/usr' ; echo done",
    );
    outputs.push(
      listing,
      await aliceShell("ls /home"),
      await aliceShell("find / -name id_rsa"),
      await aliceShell("ls -la /root"),
    );
    if (listing.includes('"output"')) {
      expect(listing).toContain("done");
      expect(listing).toMatch(/\/home.?: No such file or directory/);
      expect(listing).not.toMatch(/id_rsa|server-token\.key|audit\.log|private\.txt|shadow/);
    }
    // shell.run through the plain-language door, in her home workspace.
    const viaProcess = await call("POST", "/api/v1/process", {
      token: tokens.alice,
      body: { text: `run cat "$(echo ${Buffer.from(all[3]?.file ?? "").toString("base64")} | base64 -d)"` },
    });
    outputs.push(viaProcess.text);
    for (const output of outputs) expectNothingLeaked(output, all, "a command");
  });

  it("cannot read them by writing a script through the files API and running it, in the foreground or the background", async () => {
    const all = await secrets();
    const script = [
      "import os",
      `files = ${JSON.stringify(all.map((secret) => secret.file))}`,
      "for name in files:",
      "    try:",
      "        print(open(name).read())",
      "    except Exception as error:",
      "        print('refused', type(error).__name__)",
      "for top in ['/', '/home', '/root', '/etc']:",
      "    try:",
      "        print(top, sorted(os.listdir(top)))",
      "    except Exception as error:",
      "        print(top, type(error).__name__)",
      "# find / -name …, the way a program would: every folder but the system's programs",
      `wanted = ${JSON.stringify(all.map((secret) => path.basename(secret.file)))} + ['shadow', 'id_rsa']`,
      "for folder, folders, names in os.walk('/'):",
      "    if folder.startswith(('/usr', '/proc', '/sys')):",
      "        folders[:] = []",
      "        continue",
      "    for name in names:",
      "        if name in wanted:",
      "            print('FOUND', os.path.join(folder, name))",
      "print('walked')",
    ].join("\n");
    const written = await call("POST", `/api/sessions/${aliceSession}/files/content`, {
      token: tokens.alice,
      body: { path: "peek.py", content: script },
    });
    expect(written.status, written.text).toBe(200);
    const foreground = await aliceShell("python3 peek.py");
    expect(foreground).toContain("refused");
    expect(foreground).toContain("walked");
    expect(foreground).not.toContain("FOUND");
    expectNothingLeaked(foreground, all, "a script");
    expect(foreground).not.toMatch(/'shadow'|'ssh'|'astros'/);

    const started = await call("POST", `/api/sessions/${aliceSession}/shell`, {
      token: tokens.alice,
      body: { cmd: "python3 peek.py; echo finished", background: true },
    });
    expect(started.status, started.text).toBe(200);
    let logs = "";
    for (let attempt = 0; attempt < 100 && !logs.includes("finished"); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      logs = (await call("GET", `/api/sessions/${aliceSession}/processes/${started.body.pid}/logs`, { token: tokens.alice }))
        .text;
    }
    expect(logs).toContain("finished");
    expect(logs).toContain("refused");
    expect(logs).not.toContain("FOUND");
    expectNothingLeaked(logs, all, "a background process");
  });

  it("cannot read them through links her shell makes in her workspace and the files API then follows", async () => {
    const all = await secrets();
    for (const [index, secret] of all.entries()) {
      const encoded = Buffer.from(secret.file).toString("base64");
      const folder = Buffer.from(path.dirname(secret.file)).toString("base64");
      await aliceShell(
        `ln -s "$(echo ${encoded} | base64 -d)" file-link-${index}; ln -s "$(echo ${folder} | base64 -d)" folder-link-${index}`,
      );
      for (const asked of [`file-link-${index}`, `folder-link-${index}/${path.basename(secret.file)}`]) {
        const read = await call("GET", `/api/sessions/${aliceSession}/files/content?path=${encodeURIComponent(asked)}`, {
          token: tokens.alice,
        });
        expect(read.status, `${secret.name} through ${asked}: ${read.text}`).toBeGreaterThanOrEqual(400);
        expectNothingLeaked(read.text, all, `a link (${asked})`);
        const listed = await call(
          "GET",
          `/api/sessions/${aliceSession}/files?path=${encodeURIComponent(`folder-link-${index}`)}`,
          {
            token: tokens.alice,
          },
        );
        expect(listed.status, `listing ${secret.name}'s folder through a link: ${listed.text}`).toBeGreaterThanOrEqual(400);
        expect(listed.text).not.toContain(`"${path.basename(secret.file)}"`);
      }
    }
  });

  it("cannot list, signal or stop the machine's processes, even confirming it herself", async () => {
    const operatorProcess = spawn("sleep", ["600"], { stdio: "ignore" });
    try {
      const pid = operatorProcess.pid ?? 0;
      for (const text of [`kill process ${pid}`, "list processes", "what is running on port 5432"]) {
        const asked = await call("POST", "/api/v1/process", { token: tokens.alice, body: { text } });
        expect(asked.body.success, `${text}: ${asked.text}`).toBe(false);
        if (asked.body.confirmation_token !== undefined || asked.body.confirmation?.token !== undefined) {
          const token = asked.body.confirmation_token ?? asked.body.confirmation.token;
          const confirmed = await call("POST", "/api/v1/confirm", { token: tokens.alice, body: { token } });
          expect(confirmed.body.success, confirmed.text).toBe(false);
        }
        expect(asked.text).not.toContain("sleep 600");
      }
      expect(operatorProcess.exitCode).toBeNull();
      expect(operatorProcess.signalCode).toBeNull();
      expect(() => process.kill(pid, 0)).not.toThrow();
    } finally {
      operatorProcess.kill("SIGKILL");
    }
  });

  it("finds the signing key and the audit log private on disk: files 0600 in 0700 folders", async () => {
    const all = await secrets();
    for (const secret of all.slice(0, 2)) {
      expect((await stat(secret.file)).mode & 0o777, secret.name).toBe(0o600);
      expect((await stat(path.dirname(secret.file))).mode & 0o777, `${secret.name}'s folder`).toBe(0o700);
    }
  });

  it("cannot obtain a token that works as an administrator", async () => {
    // Her own token is hers: administrators' routes refuse it.
    expect((await call("GET", "/api/v1/users", { token: tokens.alice })).status).toBe(403);
    // A token signed with anything she could get at (nothing of the key) is no token.
    const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
    const claims = Buffer.from(
      JSON.stringify({
        sub: ids.admin,
        sid: "forged",
        role: "admin",
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 600,
      }),
    ).toString("base64url");
    for (const guess of ["", "secret", tokens.alice ?? "", bobSecret]) {
      const signature = createHmac("sha256", guess).update(`${header}.${claims}`).digest("base64url");
      const forged = `${header}.${claims}.${signature}`;
      expect((await call("GET", "/api/v1/users", { token: forged })).status).toBe(401);
    }
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${claims}.`;
    expect((await call("GET", "/api/v1/users", { token: unsigned })).status).toBe(401);
  });

  it("is never told where her workspace, the server's home or AstrOS's folders are: not by the session API, errors, commands or WebSocket events", async () => {
    await call("GET", "/api/sessions", { token: tokens.alice });
    await call("GET", `/api/sessions/${aliceSession}`, { token: tokens.alice });
    await call("GET", `/api/sessions/${aliceSession}/files?path=.`, { token: tokens.alice });
    await call("GET", `/api/sessions/${aliceSession}/files/content?path=missing.txt`, { token: tokens.alice });
    await call("GET", `/api/sessions/${aliceSession}/files/content?path=${encodeURIComponent("../../../../../../etc/passwd")}`, {
      token: tokens.alice,
    });
    expect(await aliceShell("pwd; echo $HOME; ls nothing-here")).toContain("~");
    await call("POST", "/api/v1/process", {
      token: tokens.alice,
      body: { text: "create a file called where.txt containing here" },
    });
    await call("POST", "/api/v1/process", { token: tokens.alice, body: { text: "read ~/../../../../.ssh/id_rsa" } });
    await call("POST", "/api/v1/process", { token: tokens.alice, body: { text: "run pwd" } });
    // Her own socket: a request's events and answer.
    let asked = false;
    const own = new WebSocket(`${base.replace("http", "ws")}/ws/${ids.alice}`, {
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no response on her socket")), 20_000);
      own.on("message", (raw: Buffer) => {
        seenByAlice.push(raw.toString());
        const type = (JSON.parse(raw.toString()) as { type: string }).type;
        // Asked once the server has greeted the signed-in socket.
        if (type === "status" && !asked) {
          asked = true;
          own.send(JSON.stringify({ type: "request", id: "1", data: { text: "create a file called socket.txt containing hi" } }));
        }
        if (type === "response") {
          clearTimeout(timer);
          resolve();
        }
      });
      own.on("error", reject);
    });
    own.close();
    // A task's events on the session's socket.
    const socket = new WebSocket(`${base.replace("http", "ws")}/ws/${aliceSession}`, {
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the task did not finish")), 20_000);
      socket.on("message", (raw: Buffer) => {
        const text = raw.toString();
        seenByAlice.push(text);
        const event = JSON.parse(text) as { type: string };
        if (event.type === "connected") {
          void call("POST", `/api/sessions/${aliceSession}/tasks`, {
            token: tokens.alice,
            body: { task: "create a file called task.txt containing done" },
          });
        }
        if (event.type === "task_completed") {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.on("error", reject);
    });
    socket.close();
    const workspace = path.join(sandbox.dataDirectory, "workspaces", ids.alice ?? "", "sessions", aliceSession);
    const everything = seenByAlice.join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    for (const serverPath of [sandbox.home, sandbox.dataDirectory, workspace, "workspaces/"]) {
      expect(everything.includes(serverPath), `Alice was told ${serverPath}`).toBe(false);
    }
    const created = await call("POST", "/api/sessions", { token: tokens.alice, body: {} });
    expect(created.body.workdir).toBe("~");
    // The task did its work (its events were about something real).
    expect(existsSync(path.join(workspace, "task.txt"))).toBe(true);
  });

  it("refuses a Windows-style path with a clear message, and makes no file with backslashes in its name", async () => {
    for (const asked of ["C:\\Users\\alice\\notes.txt", "D:/notes.txt", "\\\\server\\share\\notes.txt"]) {
      const written = await call("POST", `/api/sessions/${aliceSession}/files/content`, {
        token: tokens.alice,
        body: { path: asked, content: "x" },
      });
      expect(written.status, written.text).toBe(400);
      expect(written.body.error.code).toBe("REQUEST_INVALID");
      expect(written.body.error.message).toContain("looks like a Windows path; on this machine paths look like /home/");
      const viaAgent = await call("POST", "/api/v1/process", {
        token: tokens.alice,
        body: { text: `create a file called ${asked} containing x` },
      });
      expect(viaAgent.body.success, viaAgent.text).toBe(false);
    }
    const workspace = path.join(sandbox.dataDirectory, "workspaces", ids.alice ?? "", "sessions", aliceSession);
    const home = path.join(sandbox.dataDirectory, "workspaces", ids.alice ?? "", "home");
    for (const folder of [workspace, home]) {
      for (const name of await readdir(folder)) expect(name, folder).not.toMatch(/\\|^[A-Za-z]:/);
    }
  });

  it("answers only its own names: a DNS-rebinding Host gets 421, for a request and a WebSocket upgrade", async () => {
    const url = new URL(base);
    const status = (host: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const sent = httpRequest(
          { host: url.hostname, port: url.port, path: `/ws/${ids.alice}`, headers: { host, ...headers }, agent: false },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        sent.on("upgrade", (response, socket) => {
          socket.destroy();
          resolve(response.statusCode ?? 0);
        });
        sent.on("error", reject);
        sent.end();
      });
    const upgrade = {
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": Buffer.from("0123456789abcdef").toString("base64"),
      authorization: `Bearer ${tokens.alice}`,
    };
    expect(await status(`rebound.attacker.example:${url.port}`, upgrade)).toBe(421);
    expect(await status(`rebound.attacker.example:${url.port}`)).toBe(421);
    expect(await status(`127.0.0.1:${url.port}`, upgrade)).toBe(101);
    expect(await status(`localhost:${url.port}`)).not.toBe(421);
  });
});
