import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import { MemoryAuditSink } from "../agent/pipeline-seams.js";
import { createTestAgent } from "../agent/testing/test-agent.js";
import { type RunningServer, startServer } from "./start-server.js";

/**
 * Every status the API answers is in its OpenAPI document, and nothing a client sends makes it fail
 * (5xx): a walk over the document sending each route malformed requests (no sign-in, bad JSON, wrong
 * types, a body that is not JSON, over-long URLs and parameters), over real HTTP on 127.0.0.1. And
 * the Host header: only the server's own names are answered.
 */

let root: string;
let agent: AstrOSAgent;
let server: RunningServer;
let userToken: string;
let adminToken: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-openapi-"));
  agent = createTestAgent(root, { agent: { audit: new MemoryAuditSink() } });
  await agent.start();
  server = await startServer({ agent, port: 0, host: "127.0.0.1" });
  await server.auth.createUser({ username: "ada", password: "a long enough password" });
  await server.auth.createUser({ username: "root-admin", password: "a long enough password", role: "admin" });
  userToken = (await server.auth.login("ada", "a long enough password")).token;
  adminToken = (await server.auth.login("root-admin", "a long enough password")).token;
});

afterAll(async () => {
  await server?.close().catch(() => {});
  await agent?.stop();
  await rm(root, { recursive: true, force: true });
});

interface Operation {
  responses: Record<string, unknown>;
  requestBody?: unknown;
}

/** A route's path with its parameters filled in. */
function fill(route: string, value: string): string {
  return route.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

/** Malformed requests for one operation: what a fuzzer sends first. */
function malformed(method: string, route: string, operation: Operation) {
  const hasBody = ["POST", "PUT", "PATCH"].includes(method);
  const url = fill(route, "abc");
  const requests: Array<{ name: string; url: string; token?: string; body?: string; type?: string }> = [
    { name: "no sign-in", url },
    { name: "a bad token", url, token: "not-a-token" },
    { name: "an over-long parameter", url: fill(route, "x".repeat(5000)), token: userToken },
    { name: "an over-long query", url: `${url}?${"q".repeat(20_000)}=1`, token: userToken },
    { name: "a wrong-typed query", url: `${url}?lines=-5&path=&limit=abc`, token: userToken },
    { name: "a number where an id goes", url: fill(route, "-1"), token: adminToken },
  ];
  if (hasBody || operation.requestBody !== undefined) {
    requests.push(
      { name: "bad JSON", url, token: userToken, body: '{"text": "unterminated', type: "application/json" },
      {
        name: "wrong types",
        url,
        token: userToken,
        body: JSON.stringify({ text: 5, task: [], path: {} }),
        type: "application/json",
      },
      { name: "an array", url, token: adminToken, body: "[1,2,3]", type: "application/json" },
      { name: "not JSON at all", url, token: userToken, body: "hello", type: "text/plain" },
      { name: "an empty JSON body", url, token: adminToken, body: "", type: "application/json" },
      {
        name: "a body over the limit",
        url,
        token: userToken,
        body: JSON.stringify({ text: "x".repeat(1_100_000) }),
        type: "application/json",
      },
      {
        name: "deeply nested JSON",
        url,
        token: userToken,
        body: `${"[".repeat(5000)}${"]".repeat(5000)}`,
        type: "application/json",
      },
      {
        name: "a huge number",
        url,
        token: adminToken,
        body: '{"text": 1e999999, "task": -0, "path": null}',
        type: "application/json",
      },
    );
  }
  return requests;
}

describe("the OpenAPI document", () => {
  it("lists every status a route answers to malformed requests, and none of them is a 5xx", async () => {
    const document = (await (await fetch(`${server.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const routes = Object.entries(document.paths);
    expect(routes.length).toBeGreaterThan(20);
    const undocumented: string[] = [];
    let sent = 0;
    for (const [route, operations] of routes) {
      for (const [lowerMethod, operation] of Object.entries(operations)) {
        const method = lowerMethod.toUpperCase();
        for (const request of malformed(method, route, operation)) {
          const response = await fetch(`${server.url}${request.url}`, {
            method,
            headers: {
              ...(request.token === undefined ? {} : { authorization: `Bearer ${request.token}` }),
              ...(request.type === undefined ? {} : { "content-type": request.type }),
            },
            ...(request.body === undefined ? {} : { body: request.body }),
          });
          await response.arrayBuffer();
          sent += 1;
          const status = String(response.status);
          if (response.status >= 500 || !(status in operation.responses)) {
            undocumented.push(`${method} ${route} (${request.name}): ${status}`);
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(100);
    expect(undocumented).toEqual([]);
  });

  it("documents the shared error answers on every route, from one place", async () => {
    const document = (await (await fetch(`${server.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    for (const [route, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses), `${method} ${route}`).toEqual(
          expect.arrayContaining(["400", "401", "403", "404", "413", "414", "421", "429", "500"]),
        );
      }
    }
  });
});

describe("the Host header", () => {
  it("answers only the server's own names: another Host (DNS rebinding) gets 421 before anything else, a socket too", async () => {
    const port = new URL(server.url).port;
    const asked = (host: string) =>
      new Promise<number>((resolve, reject) => {
        // fetch will not send a Host of our choosing; a raw request does.
        import("node:http").then(({ request }) => {
          const sent = request({ host: "127.0.0.1", port, path: "/api/health", headers: { host }, agent: false }, (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          });
          sent.on("error", reject);
          sent.end();
        }, reject);
      });
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${os.hostname()}:${port}`]) {
      expect(await asked(host), host).toBe(200);
    }
    for (const host of [`evil.example.com:${port}`, "attacker.test", `127.0.0.1.evil.example:${port}`, "a b"]) {
      expect(`${host} → ${await asked(host)}`).toBe(`${host} → 421`);
    }
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/ws/anyone`, {
      headers: { host: `rebound.example.com:${port}`, authorization: `Bearer ${userToken}` },
    });
    const refused = await new Promise<number>((resolve) => {
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => resolve(101));
      socket.on("error", () => resolve(-1));
    });
    socket.terminate();
    expect(refused).toBe(421);
  });
});
