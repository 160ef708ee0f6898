import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import { MemoryAuditSink } from "../agent/pipeline-seams.js";
import { createTestAgent } from "../agent/testing/test-agent.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import type { SessionApi } from "../server/http-server.js";
import { type RunningServer, startServer } from "../server/start-server.js";
import { AstrOSClientError, HTTPClient } from "./http-client.js";
import { AstrOSWebSocketClient, type ConfirmQuestion, type SocketMessage } from "./websocket-client.js";

// A real server on 127.0.0.1 (in this process) with two ordinary users: each is confined to
// <workspaces>/<user id>/home. The agent-session API is a stand-in that answers the seed's shapes and
// records what the client sent (the real one has its own tests in src/server/sessions/).

const password = "correct horse battery staple";
let root: string;
let agent: AstrOSAgent;
let server: RunningServer;
let ada: { id: string };
let bob: { id: string };
const sessionCalls: { method: string; url: string; body: unknown }[] = [];
const sessionAnswers: { id: string; approve: boolean }[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-client-"));
  agent = createTestAgent(root, { agent: { audit: new MemoryAuditSink() } });
  agent.registerPlugin(
    definePlugin({
      name: "greeter",
      version: "1.0.0",
      handlers: { greet: defineHandler({ intent: "greeting", run: () => ({ success: true, message: "Hi!" }) }) },
    }),
  );
  await agent.start();
  server = await startServer({ agent, port: 0, host: "127.0.0.1", sessions: () => seedSessions() });
  ada = await server.auth.createUser({ username: "ada", password, role: "user" });
  bob = await server.auth.createUser({ username: "bob", password, role: "user" });
});

afterAll(async () => {
  await server?.close();
  await agent?.stop();
  await rm(root, { recursive: true, force: true });
});

async function signedIn(username = "ada"): Promise<HTTPClient> {
  const client = new HTTPClient(`${server.url}/`);
  await client.login(username, password);
  return client;
}

/** `http://127.0.0.1:<port>` where nothing listens (a port just freed). */
async function closedPort(): Promise<string> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const { port } = listener.address() as AddressInfo;
  await new Promise((resolve) => listener.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function home(user: { id: string }, ...parts: string[]): string {
  return path.join(root, "workspaces", user.id, "home", ...parts);
}

describe("HTTPClient", () => {
  it("signs in, then carries out a request and reads plugins and status", async () => {
    const client = new HTTPClient(server.url);
    const login = await client.login("ada", password);
    expect(login).toMatchObject({ user_id: ada.id, token: expect.any(String), expires_at: expect.any(String) });
    expect(client.token).toBe(login.token);

    const hello = await client.processRequest("hello");
    expect(hello).toMatchObject({ success: true, message: "Hi!" });
    expect(hello.requires_followup).toBe(false);

    expect(Array.isArray(await client.getPlugins())).toBe(true);
    const status = await client.getSystemStatus();
    expect(status.status).toBe("running");
    expect(status.uptime).toBeGreaterThanOrEqual(0);
    expect(status.plugins_loaded).toBeGreaterThan(0);
  });

  it("completes a dangerous request with the confirmation token it answered with, once", async () => {
    const client = await signedIn();
    const made = await client.processRequest("make a folder called doomed");
    expect(made.success).toBe(true);
    expect(existsSync(home(ada, "doomed"))).toBe(true);

    const asked = await client.processRequest(`run rm -rf ${home(ada, "doomed")}`);
    expect(asked.success).toBe(false);
    expect(asked.confirmation).toMatchObject({ token: expect.any(String), kind: "action", risk: "DANGEROUS" });
    expect(existsSync(home(ada, "doomed"))).toBe(true);

    const done = await client.confirm(asked.confirmation?.token ?? "");
    expect(done.success).toBe(true);
    expect(existsSync(home(ada, "doomed"))).toBe(false);

    const again = await client.confirm(asked.confirmation?.token ?? "").catch((error: unknown) => error);
    expect(again).toBeInstanceOf(AstrOSClientError);
    expect(again).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("declines with approve false: nothing runs", async () => {
    const client = await signedIn();
    await client.processRequest("make a folder called kept");
    const asked = await client.processRequest(`run rm -rf ${home(ada, "kept")}`);
    const declined = await client.confirm(asked.confirmation?.token ?? "", false);
    expect(declined).toMatchObject({ success: false, message: "Not done: you declined it." });
    expect(existsSync(home(ada, "kept"))).toBe(true);
  });

  it("turns a wrong password into an AstrOSClientError with the server's code, status and message", async () => {
    const client = new HTTPClient(server.url);
    const failure = await client.login("ada", "not the password at all").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AstrOSClientError);
    const error = failure as AstrOSClientError;
    expect(error).toMatchObject({ code: "AUTHENTICATION_FAILED", serverCode: "AUTHENTICATION_FAILED", status: 401 });
    expect(error.httpStatus).toBe(401);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.url).toBe(`${server.url}/api/v1/auth/login`);
    expect(client.token).toBeUndefined();
  });

  it("carries the server's recovery hint and the field at fault in a bad request", async () => {
    const unsigned = await new HTTPClient(server.url).getPlugins().catch((error: unknown) => error);
    expect(unsigned).toMatchObject({ code: "AUTHENTICATION_FAILED", status: 401, recovery: expect.stringContaining("login") });
    const empty = await (await signedIn()).processRequest("   ").catch((error: unknown) => error);
    expect(empty).toMatchObject({ code: "REQUEST_INVALID", status: 400, message: expect.stringContaining("body.text") });
  });

  it("names the URL it could not reach", async () => {
    const nobody = await closedPort();
    const failure = await new HTTPClient(nobody).getSystemStatus().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AstrOSClientError);
    expect(failure).toMatchObject({ code: "AGENT_NOT_RUNNING", status: undefined });
    expect((failure as Error).message).toContain(`Could not reach the AstrOS server at ${nobody}/api/v1/status`);
    expect((failure as Error).message).toContain("ECONNREFUSED");
  });

  it("signs out (the token stops working) and creates an API key that works on its own", async () => {
    const client = await signedIn();
    const key = await client.createApiKey("a script");
    expect(key.key).toMatch(/^astros_/);
    const token = client.token ?? "";
    await client.logout();
    expect(client.token).toBeUndefined();
    const revoked = await new HTTPClient(server.url, token).getPlugins().catch((error: unknown) => error);
    expect(revoked).toMatchObject({ code: "AUTHENTICATION_FAILED", status: 401 });
    expect((await new HTTPClient(server.url, key.key).processRequest("hello")).success).toBe(true);
  });

  it("drives agent sessions with the seed's paths and bodies", async () => {
    const client = await signedIn();
    const created = await client.createSession("build a site");
    expect(created).toMatchObject({ session_id: "s1", last_task: "build a site", status: "active" });
    expect(await client.listSessions()).toEqual([created]);
    expect(await client.getSession("s1")).toEqual(created);
    expect(await client.runTask("s1", "add a page")).toEqual({ message: "Task started in session s1", task: "add a page" });
    expect(await client.writeFile("s1", "app/index.html", "<h1>hi</h1>")).toEqual({
      message: "File app/index.html written successfully",
    });
    expect(await client.readFile("s1", "app/index.html")).toEqual({ path: "app/index.html", content: "<h1>hi</h1>" });
    expect((await client.listFiles("s1")).path).toBe(".");
    expect((await client.listFiles("s1", "app")).items.map((item) => item.name)).toEqual(["index.html"]);
    expect(await client.shell("s1", "ls -la")).toMatchObject({ command: "ls -la", output: "index.html\n" });
    expect(await client.deleteSession("s1")).toEqual({ message: "Session s1 deleted successfully" });
    const gone = await client.getSession("s1").catch((error: unknown) => error);
    expect(gone).toMatchObject({ code: "NOT_FOUND", status: 404, message: "Session s1 not found" });
    expect(sessionCalls.map((call) => `${call.method} ${call.url}`)).toEqual([
      "POST /api/sessions",
      "GET /api/sessions",
      "GET /api/sessions/s1",
      "POST /api/sessions/s1/tasks",
      "POST /api/sessions/s1/files/content",
      "GET /api/sessions/s1/files/content?path=app%2Findex.html",
      "GET /api/sessions/s1/files",
      "GET /api/sessions/s1/files?path=app",
      "POST /api/sessions/s1/shell",
      "DELETE /api/sessions/s1",
      "GET /api/sessions/s1",
    ]);
    expect(sessionCalls[0]?.body).toEqual({ task: "build a site" });
    expect(sessionCalls[8]?.body).toEqual({ cmd: "ls -la" });
  });
});

describe("AstrOSWebSocketClient", () => {
  it("streams a request's status events and resolves with its response", async () => {
    const { user_id, token } = await (await signedIn()).login("ada", password);
    const socket = await AstrOSWebSocketClient.connect(server.url, user_id, token);
    try {
      const heard: SocketMessage[] = [];
      const stop = socket.on("status", (message) => heard.push(message));
      const events: SocketMessage[] = [];
      const response = await socket.request("hello", undefined, { onEvent: (message) => events.push(message) });
      expect(response).toMatchObject({ success: true, requires_followup: false });
      expect(events.length).toBeGreaterThan(0);
      expect(events.some((event) => event.type === "status")).toBe(true);
      expect(new Set(events.map((event) => event.id)).size).toBe(1);
      expect(heard.length).toBe(events.filter((event) => event.type === "status").length);
      stop();
      await socket.request("hello");
      expect(heard.length).toBe(events.filter((event) => event.type === "status").length);
    } finally {
      await socket.close();
    }
  });

  it("answers a dangerous step through onConfirm, and declines it when there is no onConfirm", async () => {
    const client = await signedIn();
    const socket = await AstrOSWebSocketClient.connect(server.url, ada.id, client.token ?? "");
    try {
      await socket.request("make a folder called doomed-ws");
      const declined = await socket.request(`run rm -rf ${home(ada, "doomed-ws")}`);
      expect(declined.success).toBe(false);
      expect(existsSync(home(ada, "doomed-ws"))).toBe(true);

      const questions: ConfirmQuestion[] = [];
      const done = await socket.request(`run rm -rf ${home(ada, "doomed-ws")}`, undefined, {
        onConfirm: async (question) => {
          questions.push(question);
          return true;
        },
      });
      expect(done.success).toBe(true);
      expect(questions).toMatchObject([{ kind: "action", risk: "DANGEROUS", request_id: expect.any(String) }]);
      expect(existsSync(home(ada, "doomed-ws"))).toBe(false);
    } finally {
      await socket.close();
    }
  });

  it("declines when onConfirm throws (fail closed)", async () => {
    const client = await signedIn();
    await client.processRequest("make a folder called stays");
    const socket = await AstrOSWebSocketClient.connect(server.url, ada.id, client.token ?? "");
    try {
      const answer = await socket.request(`run rm -rf ${home(ada, "stays")}`, undefined, {
        onConfirm: () => {
          throw new Error("the dialog crashed");
        },
      });
      expect(answer.success).toBe(false);
      expect(existsSync(home(ada, "stays"))).toBe(true);
    } finally {
      await socket.close();
    }
  });

  it("rejects a socket to another user's id with a clear PERMISSION_DENIED", async () => {
    const client = await signedIn();
    const failure = await AstrOSWebSocketClient.connect(server.url, bob.id, client.token ?? "").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AstrOSClientError);
    expect(failure).toMatchObject({ code: "PERMISSION_DENIED", details: { closeCode: 4403 } });
    expect((failure as Error).message).toContain("Not yours");
    expect((failure as Error).message).toContain(`${bob.id} is neither you nor one of your sessions`);
  });

  it("rejects a bad token with a clear AUTHENTICATION_FAILED", async () => {
    const failure = await AstrOSWebSocketClient.connect(server.url, ada.id, "not-a-token").catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "AUTHENTICATION_FAILED", details: { closeCode: 4401 } });
    expect((failure as Error).message).toMatch(/^Not signed in: /);
  });

  it("rejects requests still waiting when the socket closes, and new ones after", async () => {
    const client = await signedIn();
    const socket = await AstrOSWebSocketClient.connect(server.url, ada.id, client.token ?? "");
    await socket.request("make a folder called waits");
    const waiting = socket.request(`run rm -rf ${home(ada, "waits")}`, undefined, {
      onConfirm: () => new Promise<boolean>(() => undefined),
    });
    setTimeout(() => void socket.close(), 200);
    await expect(waiting).rejects.toMatchObject({ code: "REQUEST_CANCELLED" });
    await expect(socket.request("hello")).rejects.toBeInstanceOf(AstrOSClientError);
    expect(existsSync(home(ada, "waits"))).toBe(true);
  });

  it("leaves a session's questions (no request of its own) to on('confirm') and answer()", async () => {
    const client = await signedIn();
    const heard: SocketMessage[] = [];
    const socket = await AstrOSWebSocketClient.connect(server.url, "s-ws", client.token ?? "", {
      on: { confirm: (message) => heard.push(message) },
    });
    try {
      // The server answers pings in order: once the pong is back, anything the client sent before it has arrived.
      expect(await socket.ping()).toBeGreaterThanOrEqual(0);
      expect(heard.map((message) => message.data)).toMatchObject([{ id: "q1", tool: "shell.run" }]);
      expect(sessionAnswers).toEqual([]);
      socket.answer("q1", true);
      await socket.ping();
      expect(sessionAnswers).toEqual([{ id: "q1", approve: true }]);
    } finally {
      await socket.close();
    }
  });

  it("names the URL it could not reach", async () => {
    const nobody = await closedPort();
    const failure = await AstrOSWebSocketClient.connect(nobody, ada.id, "t").catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "AGENT_NOT_RUNNING" });
    expect((failure as Error).message).toContain(
      `Could not reach the AstrOS server at ${nobody.replace("http", "ws")}/ws/${ada.id}`,
    );
    expect((failure as Error).message).toContain("ECONNREFUSED");
  });
});

/** The seed's agent-session API as a stand-in: in memory, recording each call. */
function seedSessions(): SessionApi {
  const sessions = new Map<string, Record<string, unknown>>();
  const files = new Map<string, string>();
  let next = 1;
  return {
    async routes(app: FastifyInstance, hooks) {
      app.addHook("onRequest", async (request) => {
        if (request.url.startsWith("/api/sessions"))
          sessionCalls.push({ method: request.method, url: request.url, body: undefined });
      });
      app.addHook("preHandler", async (request) => {
        const last = sessionCalls.at(-1);
        if (last !== undefined && request.url.startsWith("/api/sessions")) last.body = request.body;
      });
      const find = (id: string) => {
        const session = sessions.get(id);
        if (session === undefined) throw Object.assign(new Error(`Session ${id} not found`), { statusCode: 404 });
        return session;
      };
      const auth = { onRequest: hooks.authenticated };
      app.post("/api/sessions", auth, async (request) => {
        const id = `s${next++}`;
        const task = (request.body as { task?: string }).task ?? null;
        const session = {
          session_id: id,
          container_id: null,
          workdir: `/w/${id}`,
          created: new Date(0).toISOString(),
          last_task: task,
          status: "active",
          container_status: null,
        };
        sessions.set(id, session);
        return session;
      });
      app.get("/api/sessions", auth, async () => [...sessions.values()]);
      app.get<{ Params: { id: string } }>("/api/sessions/:id", auth, async (request) => find(request.params.id));
      app.delete<{ Params: { id: string } }>("/api/sessions/:id", auth, async (request) => {
        find(request.params.id);
        sessions.delete(request.params.id);
        return { message: `Session ${request.params.id} deleted successfully` };
      });
      app.post<{ Params: { id: string }; Body: { task: string } }>("/api/sessions/:id/tasks", auth, async (request) => {
        find(request.params.id);
        return { message: `Task started in session ${request.params.id}`, task: request.body.task };
      });
      app.get<{ Params: { id: string }; Querystring: { path?: string } }>("/api/sessions/:id/files", auth, async (request) => {
        const folder = request.query.path ?? ".";
        const items = [...files.keys()]
          .filter((file) => path.dirname(file) === folder)
          .map((file) => ({ name: path.basename(file), type: "file", size: 1, modified: new Date(0).toISOString() }));
        return { path: folder, items };
      });
      app.get<{ Params: { id: string }; Querystring: { path: string } }>(
        "/api/sessions/:id/files/content",
        auth,
        async (request) => ({
          path: request.query.path,
          content: files.get(request.query.path) ?? "",
        }),
      );
      app.post<{ Params: { id: string }; Body: { path: string; content: string } }>(
        "/api/sessions/:id/files/content",
        auth,
        async (request) => {
          files.set(request.body.path, request.body.content);
          return { message: `File ${request.body.path} written successfully` };
        },
      );
      app.post<{ Params: { id: string }; Body: { cmd: string } }>("/api/sessions/:id/shell", auth, async (request) => ({
        command: request.body.cmd,
        output: "index.html\n",
        timestamp: new Date(0).toISOString(),
      }));
    },
    // Session "s-ws" has a socket: it greets, asks one question at once, and answers pings.
    serveSocket: async (socket, _principal, id) => {
      if (id !== "s-ws") return false;
      socket.on("message", (raw: Buffer) => {
        const message = JSON.parse(raw.toString()) as { type: string; data?: { id: string; approve: boolean } };
        if (message.type === "ping") socket.send(JSON.stringify({ type: "pong" }));
        if (message.type === "confirm" && message.data !== undefined) sessionAnswers.push(message.data);
      });
      socket.send(JSON.stringify({ type: "connected", session_id: id }));
      socket.send(
        JSON.stringify({ type: "confirm", data: { id: "q1", kind: "action", tool: "shell.run", args: {}, reasons: [] } }),
      );
      return true;
    },
    activeCount: () => sessions.size,
    close: async () => undefined,
  };
}
