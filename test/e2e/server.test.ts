import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type CliSandbox, createCliSandbox, type RunningServer, startServer } from "./run-cli.js";

/**
 * `astros serve` as a user and a program meet it: the real server process on 127.0.0.1, a real
 * HTTP client (fetch) and a real WebSocket client (ws). Sign-in, requests, confirmations, and the
 * access-control matrix over every endpoint the OpenAPI document lists.
 */

let sandbox: CliSandbox;
let server: RunningServer;
let base: string;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

async function call(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (the docs page, metrics).
  }
  return { status: response.status, body };
}

async function login(username: string, password: string): Promise<string> {
  const { status, body } = await call("POST", "/api/v1/auth/login", { body: { username, password } });
  expect(status, JSON.stringify(body)).toBe(200);
  ids[username] = body.data.user_id;
  return body.data.token;
}

beforeAll(async () => {
  sandbox = await createCliSandbox();
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
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await sandbox?.dispose();
});

describe("astros serve", () => {
  it("prints the administrator's one-time password once, and serves health and the API docs", async () => {
    expect(server.stderr().match(/administrator: admin/g)).toHaveLength(1);
    const health = await call("GET", "/api/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "healthy", active_sessions: expect.any(Number), docker_available: false });
    const docs = await call("GET", "/docs/");
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain("swagger");
    const document = await call("GET", "/docs/json");
    expect(document.body.openapi).toBe("3.1.0");
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(["/api/v1/auth/login", "/api/v1/process", "/api/v1/plugins", "/api/v1/status", "/api/health"]),
    );
  });

  it("signs in with the seed's shape and answers requests the seed's way", async () => {
    const wrong = await call("POST", "/api/v1/auth/login", { body: { username: "alice", password: "not her password" } });
    const nobody = await call("POST", "/api/v1/auth/login", {
      body: { username: "nobody-at-all", password: "whatever-password" },
    });
    expect(wrong.status).toBe(401);
    expect(nobody.status).toBe(401);
    expect(wrong.body.error.message).toBe(nobody.body.error.message);

    const hello = await call("POST", "/api/v1/process", { token: tokens.alice, body: { text: "hello" } });
    expect(hello.status).toBe(200);
    expect(hello.body).toMatchObject({ success: true, message: expect.any(String), requires_followup: false });
    const plugins = await call("GET", "/api/v1/plugins", { token: tokens.alice });
    expect(plugins.body.data.plugins.map((plugin: { name: string }) => plugin.name)).toContain("files");
    const status = await call("GET", "/api/v1/status", { token: tokens.alice });
    expect(status.body.data).toMatchObject({
      status: "running",
      plugins_loaded: expect.any(Number),
      memory_usage: expect.any(Number),
    });
  });

  it("keeps each user in their own folder", async () => {
    const written = await call("POST", "/api/v1/process", {
      token: tokens.alice,
      body: { text: "create a file called diary.txt containing dear diary" },
    });
    expect(written.body.success, JSON.stringify(written.body)).toBe(true);
    // Her answer names the file in her own terms (~ is her workspace), never where it is on the server.
    expect(written.body.data.path).toBe("~/diary.txt");
    expect(JSON.stringify(written.body)).not.toContain(sandbox.home);
    const diary = path.join(sandbox.dataDirectory, "workspaces", ids.alice ?? "", "home", "diary.txt");
    expect(await readFile(diary, "utf8")).toBe("dear diary");

    const peek = await call("POST", "/api/v1/process", { token: tokens.bob, body: { text: `read ${diary}` } });
    expect(peek.body.success).toBe(false);
    expect(peek.body.metadata.error.code).toBe("PATH_DENIED");
    const shell = await call("POST", "/api/v1/process", { token: tokens.bob, body: { text: `run cat ${diary}` } });
    expect(shell.body.success).toBe(false);
    expect(JSON.stringify(shell.body)).not.toContain("dear diary");
  });

  it("answers a dangerous action with a confirmation bound to exactly that action, once, for that user", async () => {
    await call("POST", "/api/v1/process", { token: tokens.alice, body: { text: "make a folder called doomed" } });
    await call("POST", "/api/v1/process", { token: tokens.alice, body: { text: "make a folder called spared" } });
    const home = path.join(sandbox.dataDirectory, "workspaces", ids.alice ?? "", "home");
    const asked = await call("POST", "/api/v1/process", { token: tokens.alice, body: { text: "run rm -rf doomed" } });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ success: false, requires_followup: true });
    expect(asked.body.confirmation).toMatchObject({
      kind: "action",
      tool: "shell.run",
      risk: "DANGEROUS",
      command: "rm -rf doomed",
    });
    expect(existsSync(path.join(home, "doomed"))).toBe(true);

    const stolen = await call("POST", "/api/v1/confirm", { token: tokens.bob, body: { token: asked.body.confirmation.token } });
    expect(stolen.status).toBe(404);
    expect(existsSync(path.join(home, "doomed"))).toBe(true);

    // Bob's failed try used the token up: ask again, then confirm.
    const again = await call("POST", "/api/v1/process", { token: tokens.alice, body: { text: "run rm -rf doomed" } });
    const confirmed = await call("POST", "/api/v1/confirm", {
      token: tokens.alice,
      body: { token: again.body.confirmation.token },
    });
    expect(confirmed.body.success, JSON.stringify(confirmed.body)).toBe(true);
    expect(existsSync(path.join(home, "doomed"))).toBe(false);
    expect(existsSync(path.join(home, "spared"))).toBe(true);
    const reused = await call("POST", "/api/v1/confirm", { token: tokens.alice, body: { token: again.body.confirmation.token } });
    expect(reused.status).toBe(404);
  });

  it("asks and answers confirmations live on the WebSocket, and streams progress", async () => {
    await call("POST", "/api/v1/process", { token: tokens.alice, body: { text: "make a folder called old-logs" } });
    const home = path.join(sandbox.dataDirectory, "workspaces", ids.alice ?? "", "home");
    const socket = new WebSocket(`${base.replace("http", "ws")}/ws/${ids.alice}`);
    const messages: any[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on("error", reject);
      socket.on("open", () => socket.send(JSON.stringify({ type: "auth", data: { token: tokens.alice } })));
      socket.on("message", (raw: Buffer) => {
        const message = JSON.parse(raw.toString());
        messages.push(message);
        if (message.type === "status" && message.data.status === "connected") {
          socket.send(JSON.stringify({ type: "request", id: "r1", data: { text: "run rm -rf old-logs" } }));
        }
        if (message.type === "confirm")
          socket.send(JSON.stringify({ type: "confirm", data: { id: message.data.id, approve: true } }));
        if (message.type === "response") resolve();
      });
    });
    socket.close();
    const types = messages.map((message) => message.type);
    expect(types).toEqual(expect.arrayContaining(["status", "confirm", "tool_call", "tool_complete", "response"]));
    expect(messages.find((message) => message.type === "confirm").data).toMatchObject({
      command: "rm -rf old-logs",
      risk: "DANGEROUS",
    });
    expect(messages.find((message) => message.type === "response")).toMatchObject({ id: "r1", data: { success: true } });
    expect(existsSync(path.join(home, "old-logs"))).toBe(false);
  });

  it("runs a session task in its own workspace and streams it on the session's socket, to its owner only", async () => {
    const created = await call("POST", "/api/sessions", { token: tokens.alice, body: {} });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.session_id as string;
    const socket = new WebSocket(`${base.replace("http", "ws")}/ws/${id}`, {
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    const events: any[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on("error", reject);
      socket.on("message", (raw: Buffer) => {
        const event = JSON.parse(raw.toString());
        events.push(event);
        if (event.type === "connected") {
          void call("POST", `/api/sessions/${id}/tasks`, {
            token: tokens.alice,
            body: { task: "create a file called notes.txt containing hello" },
          });
        }
        if (event.type === "task_completed") resolve();
      });
    });
    socket.close();
    const types = events.map((event) => event.type).filter((type) => type !== "connected" && type !== "status");
    expect(types[0]).toBe("task_started");
    expect(types.at(-1)).toBe("task_completed");
    expect(types).toContain("tool_call");
    expect(events.find((event) => event.type === "task_started")).toMatchObject({ session_id: id, task: expect.any(String) });
    expect(created.body.workdir).toBe("~");
    const workdir = path.join(sandbox.dataDirectory, "workspaces", ids.alice ?? "", "sessions", id);
    expect(await readFile(path.join(workdir, "notes.txt"), "utf8")).toBe("hello");

    for (const [method, url] of [
      ["GET", `/api/sessions/${id}`],
      ["GET", `/api/sessions/${id}/files`],
      ["GET", `/api/sessions/${id}/files/content?path=notes.txt`],
      ["GET", `/api/sessions/${id}/processes`],
      ["DELETE", `/api/sessions/${id}`],
    ] as const) {
      expect((await call(method, url, { token: tokens.bob })).status, `${method} ${url}`).toBe(404);
    }
    expect((await call("GET", "/api/sessions", { token: tokens.bob })).body).toEqual([]);
    const deleted = await call("DELETE", `/api/sessions/${id}`, { token: tokens.alice });
    expect(deleted.body.message).toContain(id);
    expect(existsSync(workdir)).toBe(false);
  });

  it("refuses a socket to someone else, one without sign-in, and one opened from another site", async () => {
    const closeCode = (url: string, token: string | undefined, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url, { headers });
        socket.on("open", () => {
          if (token !== undefined) socket.send(JSON.stringify({ type: "auth", data: { token } }));
          else socket.send(JSON.stringify({ type: "request", data: { text: "hello" } }));
        });
        socket.on("close", (code) => resolve(code));
        socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.on("error", () => {});
      });
    const ws = base.replace("http", "ws");
    expect(await closeCode(`${ws}/ws/${ids.alice}`, tokens.bob)).toBe(4403);
    expect(await closeCode(`${ws}/ws/${ids.alice}`, undefined)).toBe(4401);
    expect(await closeCode(`${ws}/ws/${ids.alice}`, tokens.alice, { origin: "https://evil.example" })).toBe(403);
  });

  it("rejects every protected endpoint without a valid token: none, expired, tampered, alg none, another key", async () => {
    const document = (await call("GET", "/docs/json")).body as { paths: Record<string, Record<string, unknown>> };
    const secret = Buffer.from((await readFile(path.join(sandbox.configDirectory, "server-token.key"), "utf8")).trim(), "base64");
    const me = (await call("GET", "/api/v1/auth/me", { token: tokens.alice })).body.data;
    const claims = { sid: me.session_id, role: "user" };
    const sign = (key: Uint8Array, expiresIn: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(me.user_id)
        .setIssuer("astros")
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
        .sign(key);
    const valid = await sign(secret, 600);
    expect((await call("GET", "/api/v1/auth/me", { token: valid })).status).toBe(200);
    const [header, payload, signature] = tokens.alice?.split(".") ?? [];
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const forged = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const bad: Record<string, string | undefined> = {
      none: undefined,
      expired: await sign(secret, -60),
      tampered: `${header}.${encode({ ...forged, sub: ids.bob })}.${signature}`,
      "alg none": `${encode({ alg: "none", typ: "JWT" })}.${encode({ ...forged, exp: forged.exp + 3600 })}.`,
      "another key": await sign(new Uint8Array(32).fill(7), 600),
      garbage: "not-a-token",
    };
    const open = new Set(["/api/health", "/api/v1/auth/login"]);
    let checked = 0;
    for (const [route, operations] of Object.entries(document.paths)) {
      if (open.has(route) || route.startsWith("/docs")) continue;
      const url = route.replace(/\{[^}]+\}/g, "x1");
      for (const method of Object.keys(operations)) {
        for (const [what, token] of Object.entries(bad)) {
          const response = await call(method.toUpperCase(), url, {
            ...(token === undefined ? {} : { token }),
            ...(method === "get" || method === "delete" ? {} : { body: {} }),
          });
          expect(response.status, `${method} ${route} with ${what}`).toBe(401);
          expect(response.body.error?.code, `${method} ${route} with ${what}`).toBe("AUTHENTICATION_FAILED");
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);

    // Administrators' endpoints refuse a user's valid token.
    for (const [method, url] of [
      ["GET", "/api/v1/users"],
      ["POST", "/api/v1/broadcast"],
      ["GET", "/metrics"],
      ["GET", `/api/v1/users/${ids.bob}/permissions`],
    ] as const) {
      const response = await call(method, url, {
        token: tokens.alice,
        ...(method === "POST" ? { body: { message: "hi" } } : {}),
      });
      expect(response.status, `${method} ${url}`).toBe(403);
    }
    const metrics = await call("GET", "/metrics", { token: tokens.admin });
    expect(String(metrics.body)).toContain("astros_http_requests_total");
  });

  it("signs out at once: the token stops working", async () => {
    const token = await login("bob", "bob-long-password-1");
    expect((await call("POST", "/api/v1/auth/logout", { token })).status).toBe(200);
    const after = await call("GET", "/api/v1/auth/me", { token });
    expect(after.status).toBe(401);
    expect(after.body.error.details.reason).toBe("revoked");
  });

  it("answers bad input with a 4xx, a stable code and a message, never a 500", async () => {
    const cases: [string, string, unknown, number, string][] = [
      ["POST", "/api/v1/process", "{not json", 400, "REQUEST_INVALID"],
      ["POST", "/api/v1/process", {}, 400, "REQUEST_INVALID"],
      ["POST", "/api/v1/process", { text: 42 }, 400, "REQUEST_INVALID"],
      ["POST", "/api/v1/process", { text: "hi", surprise: true }, 400, "REQUEST_INVALID"],
      ["POST", "/api/v1/process", { text: "x".repeat(2_000_000) }, 413, "REQUEST_TOO_LARGE"],
      ["GET", "/api/v1/nowhere", undefined, 404, "NOT_FOUND"],
      ["POST", "/api/v1/confirm", { token: "confirm_nope" }, 404, "NOT_FOUND"],
    ];
    for (const [method, url, body, status, code] of cases) {
      const response = await call(method, url, { token: tokens.alice, ...(body === undefined ? {} : { body }) });
      expect(response.status, `${method} ${url} ${String(JSON.stringify(body)).slice(0, 40)}`).toBe(status);
      expect(response.body.error.code).toBe(code);
      expect(response.body.detail).toEqual(expect.any(String));
      expect(JSON.stringify(response.body)).not.toMatch(/\s+at\s+\S+\.(?:js|ts):\d+/);
    }
    const missing = await call("POST", "/api/v1/process", { token: tokens.alice, body: {} });
    expect(missing.body.error.message).toContain("text");
  });

  it("lets a program use an API key like a token, until it is revoked", async () => {
    const created = await call("POST", "/api/v1/auth/api-keys", { token: tokens.alice, body: { name: "backup script" } });
    expect(created.status).toBe(201);
    const key = created.body.data.key as string;
    expect(key).toMatch(/^astros_/);
    const listed = await call("GET", "/api/v1/auth/api-keys", { token: tokens.alice });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.data.api_keys).toEqual([
      expect.objectContaining({ name: "backup script", prefix: created.body.data.prefix }),
    ]);
    const used = await call("POST", "/api/v1/process", { token: key, body: { text: "hello" } });
    expect(used.body.success).toBe(true);
    expect((await call("GET", "/api/v1/auth/me", { token: key })).body.data).toMatchObject({
      user_id: ids.alice,
      via: "api-key",
    });
    expect((await call("DELETE", `/api/v1/auth/api-keys/${created.body.data.id}`, { token: tokens.bob })).status).toBe(404);
    expect((await call("DELETE", `/api/v1/auth/api-keys/${created.body.data.id}`, { token: tokens.alice })).status).toBe(200);
    expect((await call("POST", "/api/v1/process", { token: key, body: { text: "hello" } })).status).toBe(401);
  });

  it("slows down guessing: failed sign-ins are limited, and the answer says when to try again", async () => {
    const statuses: number[] = [];
    let last: { status: number; body: any } | undefined;
    for (let attempt = 0; attempt < 12; attempt++) {
      last = await call("POST", "/api/v1/auth/login", { body: { username: "carol", password: `guess number ${attempt}` } });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 8).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(last?.body.error.code).toBe("RATE_LIMITED");
  });

  it("stops gracefully on SIGTERM", async () => {
    expect(await server.stop()).toBe(0);
    expect(server.stderr()).toContain("SIGTERM: stopping");
  });
});
