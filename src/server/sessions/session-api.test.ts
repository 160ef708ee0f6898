import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { MemoryAuditSink } from "../../agent/pipeline-seams.js";
import { createTestAgent } from "../../agent/testing/test-agent.js";
import { sandboxForTests } from "../../exec/testing/sandbox-for-tests.js";
import { type RunningServer, startServer } from "../start-server.js";
import { createSessionApi } from "./session-api.js";

/**
 * The agent-session API end to end: the real server on 127.0.0.1, real users and tokens, `fetch`
 * and a real WebSocket client, real files in temp folders, and (where bubblewrap works) real
 * sandboxed commands. A user reaches only their own sessions, and nothing outside their workspace.
 */

const sandbox = await sandboxForTests("the session API's sandboxed command tests");
const password = "correct horse battery staple";
const saved = { config: process.env.XDG_CONFIG_HOME, data: process.env.XDG_DATA_HOME, state: process.env.XDG_STATE_HOME };

let root: string;
let agent: AstrOSAgent;
let server: RunningServer;
const audit = new MemoryAuditSink();
const users = { alice: { id: "", token: "" }, bob: { id: "", token: "" } };

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-sessions-"));
  process.env.XDG_CONFIG_HOME = path.join(root, "config");
  process.env.XDG_DATA_HOME = path.join(root, "data");
  process.env.XDG_STATE_HOME = path.join(root, "state");
  agent = createTestAgent(root, { config: { rate_limits: { requests_per_minute: 0 } }, agent: { audit } });
  await agent.start();
  server = await startServer({ agent, port: 0 });
  for (const name of ["alice", "bob"] as const) {
    const user = await server.auth.createUser({ username: name, password });
    users[name] = { id: user.id, token: (await server.auth.login(name, password)).token };
  }
});

afterAll(async () => {
  await server?.close();
  await agent?.stop();
  for (const [key, value] of [
    ["XDG_CONFIG_HOME", saved.config],
    ["XDG_DATA_HOME", saved.data],
    ["XDG_STATE_HOME", saved.state],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await rm(root, { recursive: true, force: true });
});

type Who = keyof typeof users;

async function call(who: Who | undefined, method: string, route: string, body?: unknown) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: {
      ...(who === undefined ? {} : { authorization: `Bearer ${users[who].token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json: any = text === "" ? undefined : JSON.parse(text);
  return { status: response.status, json };
}

async function createSession(who: Who = "alice", task?: string) {
  const created = await call(who, "POST", "/api/sessions", task === undefined ? {} : { task });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  // The answer says `~`: where the workspace is on the server is never sent; the test knows it.
  expect(created.json.workdir).toBe("~");
  return { ...created.json, workdir: sessionFolder(who, created.json.session_id) } as { session_id: string; workdir: string };
}

/** Where a session's workspace is on the server (the client is never told). */
function sessionFolder(who: Who, id: string): string {
  return path.join(root, "workspaces", users[who].id, "sessions", id);
}

interface OpenSocket {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  /** The next message of this type (from the ones already received, or the ones to come). */
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  closed: Promise<number>;
}

function openSocket(who: Who, id: string, options: { authMessage?: boolean } = {}): OpenSocket {
  const url = `${server.url.replace("http", "ws")}/ws/${id}`;
  const socket =
    options.authMessage === true
      ? new WebSocket(url)
      : new WebSocket(url, { headers: { authorization: `Bearer ${users[who].token}` } });
  const messages: Record<string, unknown>[] = [];
  let seen = 0;
  const waiters: (() => void)[] = [];
  socket.on("message", (raw) => {
    messages.push(JSON.parse(raw.toString()) as Record<string, unknown>);
    for (const waiter of waiters.splice(0)) waiter();
  });
  if (options.authMessage === true) {
    socket.once("open", () => socket.send(JSON.stringify({ type: "auth", data: { token: users[who].token } })));
  }
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  const next = async (type: string, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = messages.findIndex((message, position) => position >= seen && message.type === type);
      if (index >= 0) {
        seen = index + 1;
        return messages[index] as Record<string, unknown>;
      }
      if (Date.now() > deadline) throw new Error(`no ${type} message; got ${JSON.stringify(messages)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return { socket, messages, next, closed };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("sessions", () => {
  it("creates a session with a private workspace of its own, and lists and shows it in the seed's shape", async () => {
    const session = await createSession();
    expect(session.session_id).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(session.workdir).toBe(path.join(root, "workspaces", users.alice.id, "sessions", session.session_id));
    expect((await stat(session.workdir)).mode & 0o777).toBe(0o700);
    const listed = await call("alice", "GET", "/api/sessions");
    expect(listed.status).toBe(200);
    expect(listed.json).toContainEqual({
      session_id: session.session_id,
      container_id: null,
      workdir: "~",
      created: expect.any(String),
      last_task: null,
      status: "active",
      container_status: null,
    });
    const shown = await call("alice", "GET", `/api/sessions/${session.session_id}`);
    expect(shown.json.session_id).toBe(session.session_id);
    // The seed's clients may send no body at all.
    const bare = await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${users.alice.token}` },
    });
    expect(bare.status, await bare.clone().text()).toBe(200);
    const health = await call(undefined, "GET", "/api/health");
    expect(health.json.active_sessions).toBeGreaterThanOrEqual(1);
  });

  it("writes, reads and lists files, and the write is journaled like any other", async () => {
    const { session_id: id, workdir } = await createSession();
    const written = await call("alice", "POST", `/api/sessions/${id}/files/content`, {
      path: "src/app.py",
      content: "from flask import Flask\napp = Flask(__name__)\n",
    });
    expect(written.status, JSON.stringify(written.json)).toBe(200);
    expect(written.json.message).toBe("File src/app.py written successfully");
    expect(written.json.operation_id).toEqual(expect.any(String));
    expect(await readFile(path.join(workdir, "src", "app.py"), "utf8")).toContain("Flask");
    expect(audit.entries).toContainEqual(
      expect.objectContaining({ type: "files-changed", userId: users.alice.id, sessionId: `session-${id}` }),
    );

    const read = await call("alice", "GET", `/api/sessions/${id}/files/content?path=src/app.py`);
    expect(read.json).toEqual({ path: "src/app.py", content: "from flask import Flask\napp = Flask(__name__)\n" });

    const top = await call("alice", "GET", `/api/sessions/${id}/files`);
    expect(top.json.path).toBe(".");
    expect(top.json.items).toEqual([{ name: "src", type: "directory", size: null, modified: expect.any(String) }]);
    const inside = await call("alice", "GET", `/api/sessions/${id}/files?path=src`);
    expect(inside.json.items).toEqual([{ name: "app.py", type: "file", size: 46, modified: expect.any(String) }]);

    const missing = await call("alice", "GET", `/api/sessions/${id}/files/content?path=nope.txt`);
    expect(missing.status).toBe(404);
  });

  it("finds files by pattern and lines by text, with line numbers", async () => {
    const { session_id: id } = await createSession();
    const files = {
      "app.py": "from flask import Flask\napp = Flask(__name__)\n",
      "models.py": "class User:\n    pass\n",
      "README.md": "# A Flask app\n",
      "web/index.js": "// no match here\n",
    };
    for (const [file, content] of Object.entries(files)) {
      expect((await call("alice", "POST", `/api/sessions/${id}/files/content`, { path: file, content })).status).toBe(200);
    }
    const found = await call("alice", "POST", `/api/sessions/${id}/search/files`, { pattern: "*.py", path: "." });
    expect(found.status, JSON.stringify(found.json)).toBe(200);
    expect([...found.json.matches].sort()).toEqual(["app.py", "models.py"]);
    const typed = await call("alice", "POST", `/api/sessions/${id}/search/files`, {
      pattern: "*",
      path: ".",
      file_types: "*.py,*.js",
    });
    expect([...typed.json.matches].sort()).toEqual(["app.py", "models.py", "web/index.js"]);

    const grep = await call("alice", "POST", `/api/sessions/${id}/search/grep`, {
      pattern: "Flask",
      path: ".",
      file_types: "*.py,*.md",
    });
    expect(grep.status, JSON.stringify(grep.json)).toBe(200);
    expect(grep.json.pattern).toBe("Flask");
    expect(grep.json.path).toBe(".");
    expect(
      [...grep.json.matches].sort((a: { file: string; line: number }, b: { file: string; line: number }) =>
        `${a.file}:${a.line}` < `${b.file}:${b.line}` ? -1 : 1,
      ),
    ).toEqual([
      { file: "README.md", line: 1, content: "# A Flask app" },
      { file: "app.py", line: 1, content: "from flask import Flask" },
      { file: "app.py", line: 2, content: "app = Flask(__name__)" },
    ]);
  });

  it("refuses paths that leave the workspace: '..', absolute paths elsewhere, links out", async () => {
    const { session_id: id, workdir } = await createSession();
    const other = await createSession();
    await writeFile(path.join(other.workdir, "secret.txt"), "the other session's secret");
    await writeFile(path.join(root, "outside.txt"), "outside every workspace");
    await symlink(path.join(root, "outside.txt"), path.join(workdir, "link.txt"));
    await symlink(other.workdir, path.join(workdir, "linked-folder"));
    const attempts = [
      ["GET", `/api/sessions/${id}/files/content?path=${encodeURIComponent(`../${other.session_id}/secret.txt`)}`],
      ["GET", `/api/sessions/${id}/files/content?path=${encodeURIComponent(path.join(root, "outside.txt"))}`],
      ["GET", `/api/sessions/${id}/files/content?path=/etc/hostname`],
      ["GET", `/api/sessions/${id}/files/content?path=link.txt`],
      ["GET", `/api/sessions/${id}/files?path=..`],
      ["GET", `/api/sessions/${id}/files?path=linked-folder`],
      ["GET", `/api/sessions/${id}/files?path=/`],
    ] as const;
    for (const [method, route] of attempts) {
      const answer = await call("alice", method, route);
      expect(answer.status, `${route}: ${JSON.stringify(answer.json)}`).toBe(403);
      expect(answer.json.error.code, route).toBe("PATH_DENIED");
      expect(JSON.stringify(answer.json), route).not.toMatch(/the other session's secret|outside every workspace/);
    }
    for (const target of ["../escape.txt", path.join(root, "escape.txt"), "linked-folder/planted.txt"]) {
      const answer = await call("alice", "POST", `/api/sessions/${id}/files/content`, { path: target, content: "x" });
      expect(answer.status, target).toBe(403);
      // Refused by the path guard, or first by the effect policy (a write into AstrOS's own data): either way, nothing written.
      expect(["PATH_DENIED", "GUARD_BLOCKED"], target).toContain(answer.json.error.code);
    }
    expect(existsSync(path.join(root, "workspaces", users.alice.id, "sessions", "escape.txt"))).toBe(false);
    expect(existsSync(path.join(root, "escape.txt"))).toBe(false);
    expect(existsSync(path.join(other.workdir, "planted.txt"))).toBe(false);
    for (const route of ["search/files", "search/grep"]) {
      const answer = await call("alice", "POST", `/api/sessions/${id}/${route}`, { pattern: "secret", path: ".." });
      expect(answer.status, route).toBe(403);
      expect(answer.json.error.code, route).toBe("PATH_DENIED");
    }
    // A search inside the workspace does not follow the link out either.
    const grep = await call("alice", "POST", `/api/sessions/${id}/search/grep`, { pattern: "secret", path: "." });
    expect(grep.json.matches).toEqual([]);
  });

  it("never runs a FORBIDDEN command, nor one naming a file outside the workspace", async () => {
    const { session_id: id, workdir } = await createSession();
    for (const cmd of ["echo ran > ran.txt; chmod 777 /", `echo ran > ran.txt; cat ${path.join(root, "outside.txt")}`]) {
      for (const background of [false, true]) {
        const answer = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd, background });
        expect(answer.status, `${cmd}: ${JSON.stringify(answer.json)}`).toBe(403);
        expect(answer.json.error.code).toBe("GUARD_BLOCKED");
      }
    }
    expect(existsSync(path.join(workdir, "ran.txt"))).toBe(false);
  });

  it("answers a DANGEROUS command with CONFIRMATION_REQUIRED, not running it", async () => {
    const { session_id: id, workdir } = await createSession();
    await mkdir(path.join(workdir, "project"));
    const answer = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd: "rm -rf project" });
    expect(answer.status, JSON.stringify(answer.json)).toBe(428);
    expect(answer.json.error.code).toBe("CONFIRMATION_REQUIRED");
    expect(answer.json.error.details.confirmation).toMatchObject({ tool: "shell.run", command: "rm -rf project" });
    expect(answer.json.detail).toContain("WebSocket");
    const background = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd: "rm -rf project", background: true });
    expect(background.status).toBe(403);
    expect(existsSync(path.join(workdir, "project"))).toBe(true);
  });

  it.runIf(sandbox.run)("runs shell commands in the sandbox, in the workspace", async () => {
    const { session_id: id, workdir } = await createSession();
    const answer = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd: "echo hi > made.txt && ls", tty: true });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json).toEqual({
      command: "echo hi > made.txt && ls",
      output: "made.txt\n",
      exit_code: 0,
      timestamp: expect.any(String),
    });
    expect(await readFile(path.join(workdir, "made.txt"), "utf8")).toBe("hi\n");
    const failed = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd: "echo oops >&2; false" });
    expect(failed.status).toBe(200);
    expect(failed.json).toMatchObject({ output: "oops\n", exit_code: 1 });
    // Other workspaces are hidden from the sandbox, even by a path no guard can see.
    const other = await createSession();
    await writeFile(path.join(other.workdir, "secret.txt"), "the other session's secret");
    const encoded = Buffer.from(path.join(other.workdir, "secret.txt")).toString("base64");
    const peek = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd: `cat "$(echo ${encoded} | base64 -d)"` });
    expect(JSON.stringify(peek.json)).not.toContain("the other session's secret");
  });

  it.runIf(sandbox.run)("starts a background process, shows its logs, and stops it", async () => {
    const { session_id: id } = await createSession();
    const started = await call("alice", "POST", `/api/sessions/${id}/shell`, {
      cmd: "sh -c 'echo started; sleep 30'",
      background: true,
    });
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    const { pid, log } = started.json as { pid: number; log: string };
    expect(started.json).toEqual({ command: "sh -c 'echo started; sleep 30'", pid, log, timestamp: expect.any(String) });
    expect(log).toMatch(/^\.agent_logs\/[0-9a-f]+\.log$/);
    const logs = await until(async () => {
      const answer = await call("alice", "GET", `/api/sessions/${id}/processes/${pid}/logs?lines=50`);
      return answer.json.logs === "started\n" ? answer.json : undefined;
    }, "the log");
    expect(logs).toEqual({ logs: "started\n", pid });
    const listed = await call("alice", "GET", `/api/sessions/${id}/processes`);
    expect(listed.json).toEqual([
      {
        pid,
        cmd: "sh -c 'echo started; sleep 30'",
        status: "running",
        log,
        started: expect.any(String),
        exit_code: null,
        ended: null,
      },
    ]);
    expect(alive(pid)).toBe(true);
    const stopped = await call("alice", "POST", `/api/sessions/${id}/processes/${pid}/stop`);
    expect(stopped.json).toEqual({ message: `Sent SIGTERM to process ${pid}` });
    await until(async () => {
      const answer = await call("alice", "GET", `/api/sessions/${id}/processes`);
      return answer.json[0]?.status === "stopped" ? true : undefined;
    }, "the process to stop");
    expect(alive(pid)).toBe(false);
    const again = await call("alice", "POST", `/api/sessions/${id}/processes/${pid}/stop`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("PROCESS_NOT_RUNNING");
    expect((await call("alice", "GET", `/api/sessions/${id}/processes/999999/logs`)).status).toBe(404);
  });

  it.runIf(sandbox.run)("reads ~ in a background command as the session's workspace, where it runs", async () => {
    const { session_id: id, workdir } = await createSession();
    await writeFile(path.join(workdir, "notes.txt"), "in the workspace");
    const started = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd: "cat ~/notes.txt", background: true });
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    const logs = await until(async () => {
      const answer = await call("alice", "GET", `/api/sessions/${id}/processes/${started.json.pid}/logs`);
      return answer.json.logs === "" ? undefined : answer.json.logs;
    }, "the log");
    expect(logs).toBe("in the workspace");
    const wiped = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd: "rm -rf ~", background: true });
    expect(wiped.status).toBe(403);
    expect(existsSync(path.join(workdir, "notes.txt"))).toBe(true);
  });

  it.runIf(sandbox.run)("never follows a link the sandbox planted where the logs go", async () => {
    const { session_id: id, workdir } = await createSession();
    await writeFile(path.join(root, "target.txt"), "not the server's to write");
    await symlink(root, path.join(workdir, ".agent_logs"));
    const started = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd: "echo hi", background: true });
    expect(started.status, JSON.stringify(started.json)).toBe(409);
    expect(started.json.error.code).toBe("FILE_SYSTEM_REFUSED");
    expect(await readFile(path.join(root, "target.txt"), "utf8")).toBe("not the server's to write");
  });

  it("runs a task and streams task_started … task_completed, in order, to the session's sockets", async () => {
    const { session_id: id, workdir } = await createSession();
    const client = openSocket("alice", id);
    await client.next("connected");
    const other = await createSession();
    const bystander = openSocket("alice", other.session_id, { authMessage: true });
    await bystander.next("connected");
    const task = "create a file called notes.txt containing hello";
    const started = await call("alice", "POST", `/api/sessions/${id}/tasks`, { task });
    expect(started.json).toEqual({ message: `Task started in session ${id}`, task });
    const completed = await client.next("task_completed");
    expect(completed).toMatchObject({ type: "task_completed", session_id: id, task, success: true });
    const types = client.messages.map((message) => message.type);
    expect(types).toEqual(["connected", "task_started", "tool_call", "tool_complete", "task_completed"]);
    expect(client.messages[1]).toEqual({ type: "task_started", session_id: id, task, timestamp: expect.any(String) });
    expect(client.messages[2]).toMatchObject({ type: "tool_call", tool_name: "files.write", timestamp: expect.any(String) });
    expect(client.messages[2]?.arguments).toMatchObject({ content: "hello" });
    expect(client.messages[3]).toMatchObject({ type: "tool_complete", tool_name: "files.write", success: true });
    expect(await readFile(path.join(workdir, "notes.txt"), "utf8")).toBe("hello");
    expect((await call("alice", "GET", `/api/sessions/${id}`)).json.last_task).toBe(task);
    // Another session's socket heard nothing of it.
    expect(bystander.messages.map((message) => message.type)).toEqual(["connected"]);
    client.socket.close();
    bystander.socket.close();
  });

  it("starts the first task with the session when one is given", async () => {
    const created = await call("alice", "POST", "/api/sessions", { task: "create a file called first.txt containing one" });
    expect(created.json.last_task).toBe("create a file called first.txt containing one");
    const folder = sessionFolder("alice", created.json.session_id);
    await until(async () => (existsSync(path.join(folder, "first.txt")) ? true : undefined), "the first task");
  });

  it.runIf(sandbox.run)("asks about a DANGEROUS step on the session's socket and does only what was approved", async () => {
    const { session_id: id, workdir } = await createSession();
    await mkdir(path.join(workdir, "project"));
    const client = openSocket("alice", id);
    await client.next("connected");
    await call("alice", "POST", `/api/sessions/${id}/tasks`, { task: "run rm -rf project" });
    const question = await client.next("confirm");
    const data = question.data as { id: string; command?: string; risk?: string };
    expect(data).toMatchObject({ command: "rm -rf project", risk: "DANGEROUS" });
    client.socket.send(JSON.stringify({ type: "confirm", data: { id: data.id, approve: false } }));
    expect(await client.next("task_completed")).toMatchObject({ success: false });
    expect(existsSync(path.join(workdir, "project"))).toBe(true);

    await call("alice", "POST", `/api/sessions/${id}/tasks`, { task: "run rm -rf project" });
    const second = (await client.next("confirm")).data as { id: string };
    client.socket.send(JSON.stringify({ type: "confirm", data: { id: second.id, approve: true } }));
    expect(await client.next("task_completed")).toMatchObject({ success: true });
    expect(existsSync(path.join(workdir, "project"))).toBe(false);
    client.socket.close();
  });

  it("defers a step that needs a yes when no socket of the session is open", async () => {
    const { session_id: id, workdir } = await createSession();
    await mkdir(path.join(workdir, "project"));
    await call("alice", "POST", `/api/sessions/${id}/tasks`, { task: "run rm -rf project" });
    const answered = await until(
      async () =>
        audit.entries.find(
          (entry) =>
            entry.type === "request-completed" && entry.sessionId === `session-${id}` && entry.detail.error !== undefined,
        ),
      "the task to end",
    );
    expect(answered.detail.error).toBe("CONFIRMATION_REQUIRED");
    expect(existsSync(path.join(workdir, "project"))).toBe(true);
  });

  it("deletes a session: its processes stop, its sockets close, its workspace goes", async () => {
    const { session_id: id, workdir } = await createSession();
    await writeFile(path.join(workdir, "kept.txt"), "x");
    const client = openSocket("alice", id);
    await client.next("connected");
    let pid: number | undefined;
    if (sandbox.available) {
      const started = await call("alice", "POST", `/api/sessions/${id}/shell`, { cmd: "sleep 30", background: true });
      pid = started.json.pid as number;
      expect(alive(pid)).toBe(true);
    }
    const deleted = await call("alice", "DELETE", `/api/sessions/${id}`);
    expect(deleted.json).toEqual({ message: `Session ${id} deleted successfully` });
    expect(existsSync(workdir)).toBe(false);
    if (pid !== undefined) expect(alive(pid)).toBe(false);
    expect(await client.closed).toBe(4404);
    expect((await call("alice", "GET", `/api/sessions/${id}`)).status).toBe(404);
    expect((await call("alice", "DELETE", `/api/sessions/${id}`)).status).toBe(404);
  });
});

describe("access control", () => {
  it("answers another user's session exactly like an unknown one, on every endpoint", async () => {
    const { session_id: id, workdir } = await createSession("alice");
    await writeFile(path.join(workdir, "private.txt"), "alice's");
    const unknown = "Zz9unknownId";
    const routes = (session: string): [string, string, unknown?][] => [
      ["GET", `/api/sessions/${session}`],
      ["DELETE", `/api/sessions/${session}`],
      ["POST", `/api/sessions/${session}/tasks`, { task: "list files" }],
      ["GET", `/api/sessions/${session}/processes`],
      ["POST", `/api/sessions/${session}/processes/1234/stop`],
      ["GET", `/api/sessions/${session}/processes/1234/logs?lines=5`],
      ["GET", `/api/sessions/${session}/files?path=.`],
      ["GET", `/api/sessions/${session}/files/content?path=private.txt`],
      ["POST", `/api/sessions/${session}/files/content`, { path: "planted.txt", content: "bob's" }],
      ["POST", `/api/sessions/${session}/search/files`, { pattern: "*", path: "." }],
      ["POST", `/api/sessions/${session}/search/grep`, { pattern: "alice", path: "." }],
      ["POST", `/api/sessions/${session}/shell`, { cmd: "touch planted.txt" }],
    ];
    const theirs = routes(id);
    const nobody = routes(unknown);
    for (const [index, [method, route, body]] of theirs.entries()) {
      const answer = await call("bob", method, route, body);
      expect(answer.status, route).toBe(404);
      const [, unknownRoute, unknownBody] = nobody[index] ?? [];
      const reference = await call("bob", method, unknownRoute ?? "", unknownBody);
      expect(JSON.stringify(answer.json).replaceAll(id, "ID"), route).toBe(
        JSON.stringify(reference.json).replaceAll(unknown, "ID"),
      );
    }
    expect(existsSync(path.join(workdir, "planted.txt"))).toBe(false);
    expect(existsSync(workdir)).toBe(true);
    const listed = await call("bob", "GET", "/api/sessions");
    expect(listed.json.map((session: { session_id: string }) => session.session_id)).not.toContain(id);
    const socket = openSocket("bob", id);
    expect(await socket.closed).toBe(4403);
    expect(socket.messages.map((message) => message.type)).not.toContain("connected");
  });

  it("needs a signed-in user for every session endpoint", async () => {
    const { session_id: id } = await createSession("alice");
    for (const [method, route] of [
      ["GET", "/api/sessions"],
      ["POST", "/api/sessions"],
      ["GET", `/api/sessions/${id}`],
      ["GET", `/api/sessions/${id}/files`],
      ["POST", `/api/sessions/${id}/shell`],
    ] as const) {
      expect((await call(undefined, method, route)).status, route).toBe(401);
    }
  });

  it("answers bad input with 400, never 500", async () => {
    const { session_id: id } = await createSession("alice");
    const bad: [string, string, unknown?][] = [
      ["GET", "/api/sessions/not%20an%20id"],
      ["GET", `/api/sessions/${"x".repeat(65)}`],
      ["GET", `/api/sessions/${id}/processes/abc/logs`],
      ["GET", `/api/sessions/${id}/processes/1/logs?lines=0`],
      ["GET", `/api/sessions/${id}/processes/1/logs?lines=10001`],
      ["GET", `/api/sessions/${id}/files/content`],
      ["GET", `/api/sessions/${id}/files?path=${"a".repeat(4097)}`],
      ["POST", `/api/sessions/${id}/tasks`, {}],
      ["POST", `/api/sessions/${id}/tasks`, { task: "   " }],
      ["POST", `/api/sessions/${id}/files/content`, { path: "a.txt" }],
      ["POST", `/api/sessions/${id}/files/content`, { path: "a.txt", content: 5 }],
      ["POST", `/api/sessions/${id}/search/grep`, { pattern: "" }],
      ["POST", `/api/sessions/${id}/shell`, { cmd: "ls", unexpected: true }],
      ["POST", "/api/sessions", { task: 42 }],
    ];
    for (const [method, route, body] of bad) {
      const answer = await call("alice", method, route, body);
      expect(answer.status, `${method} ${route.slice(0, 80)}: ${JSON.stringify(answer.json)}`).toBe(400);
      expect(answer.json.error.code).toBe("REQUEST_INVALID");
    }
  });
});

describe("the OpenAPI document", () => {
  it("describes every session route, signed in, with its answers", async () => {
    const document = (await call(undefined, "GET", "/docs/json")).json;
    const routes = [
      ["get", "/api/sessions"],
      ["post", "/api/sessions"],
      ["get", "/api/sessions/{session_id}"],
      ["delete", "/api/sessions/{session_id}"],
      ["post", "/api/sessions/{session_id}/tasks"],
      ["get", "/api/sessions/{session_id}/processes"],
      ["post", "/api/sessions/{session_id}/processes/{pid}/stop"],
      ["get", "/api/sessions/{session_id}/processes/{pid}/logs"],
      ["get", "/api/sessions/{session_id}/files"],
      ["get", "/api/sessions/{session_id}/files/content"],
      ["post", "/api/sessions/{session_id}/files/content"],
      ["post", "/api/sessions/{session_id}/search/files"],
      ["post", "/api/sessions/{session_id}/search/grep"],
      ["post", "/api/sessions/{session_id}/shell"],
    ];
    for (const [method, route] of routes) {
      const operation = document.paths[route as string]?.[method as string];
      expect(operation, `${method} ${route}`).toBeDefined();
      expect(operation.tags).toEqual(["Sessions"]);
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(operation.summary).toEqual(expect.any(String));
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["200", "401", "404"]));
    }
  });
});

describe("questions fail closed", () => {
  it("takes no answer in time, a closed socket, or a deleted session for a no", async () => {
    const quick = await startServer({
      agent,
      port: 0,
      sessions: (started) => createSessionApi(started, { confirmTimeoutSeconds: 0.3 }),
    });
    try {
      const token = (await quick.auth.login("alice", password)).token;
      const authorization = `Bearer ${token}`;
      const post = async (route: string, body: unknown): Promise<any> => {
        const response = await fetch(`${quick.url}${route}`, {
          method: "POST",
          headers: { authorization, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        return response.json();
      };
      const created = await post("/api/sessions", {});
      const session = { ...created, workdir: sessionFolder("alice", created.session_id) };
      const id = session.session_id as string;
      await mkdir(path.join(session.workdir, "project"));
      const listen = () => {
        const client = new WebSocket(`${quick.url.replace("http", "ws")}/ws/${id}`, { headers: { authorization } });
        const messages: Record<string, unknown>[] = [];
        client.on("message", (raw) => messages.push(JSON.parse(raw.toString()) as Record<string, unknown>));
        const seen = (type: string) => until(async () => messages.find((message) => message.type === type), type, 5_000);
        return { client, messages, seen };
      };
      const declined = () =>
        audit.entries.filter(
          (entry) =>
            entry.type === "confirmation-answered" && entry.sessionId === `session-${id}` && entry.outcome === "not confirmed",
        ).length;

      // Nobody answers: the question times out.
      const silent = listen();
      await silent.seen("connected");
      await post(`/api/sessions/${id}/tasks`, { task: "run rm -rf project" });
      await silent.seen("confirm");
      expect(await silent.seen("task_completed")).toMatchObject({ success: false });
      expect(declined()).toBe(1);

      // The only socket closes while the question waits.
      silent.messages.length = 0;
      await post(`/api/sessions/${id}/tasks`, { task: "run rm -rf project" });
      await silent.seen("confirm");
      silent.client.close();
      await until(async () => (declined() === 2 ? true : undefined), "the second question to be declined", 5_000);
      expect(existsSync(path.join(session.workdir, "project"))).toBe(true);

      // The session is deleted while a question waits: the delete does not wait for an answer.
      const waiting = listen();
      await waiting.seen("connected");
      await post(`/api/sessions/${id}/tasks`, { task: "run rm -rf project" });
      await waiting.seen("confirm");
      const before = Date.now();
      const deleted = await fetch(`${quick.url}/api/sessions/${id}`, { method: "DELETE", headers: { authorization } });
      expect(deleted.status).toBe(200);
      expect(Date.now() - before).toBeLessThan(2_000);
      expect(declined()).toBe(3);
      expect(existsSync(session.workdir)).toBe(false);
    } finally {
      await quick.close();
    }
  });
});

describe("shutdown", () => {
  it.runIf(sandbox.run)("stops every session's processes when the server closes", async () => {
    const second = await startServer({ agent, port: 0 });
    try {
      const token = (await second.auth.login("alice", password)).token;
      const post = async (route: string, body: unknown): Promise<any> => {
        const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
        const response = await fetch(`${second.url}${route}`, { method: "POST", headers, body: JSON.stringify(body) });
        return response.json();
      };
      const created = await post("/api/sessions", {});
      const started = await post(`/api/sessions/${created.session_id}/shell`, { cmd: "sleep 30", background: true });
      expect(alive(started.pid)).toBe(true);
      await second.close();
      expect(alive(started.pid)).toBe(false);
    } finally {
      await second.close();
    }
  });
});
