import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { AstrOSAgent } from "../agent/astros-agent.js";
import { MemoryAuditSink } from "../agent/pipeline-seams.js";
import { createTestAgent } from "../agent/testing/test-agent.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import { type RunningServer, startServer } from "./start-server.js";

/** The user WebSocket's limits (oversized messages, silence, bad messages), and messages reach their user only. */

let root: string;
let agent: AstrOSAgent;
let server: RunningServer;
let token: string;
let userId: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-user-socket-"));
  agent = createTestAgent(root, {
    config: { server: { max_message_bytes: 4096, idle_timeout: 1 } },
    agent: { audit: new MemoryAuditSink() },
  });
  agent.registerPlugin(
    definePlugin({
      name: "slow",
      version: "1.0.0",
      handlers: {
        work: defineHandler({
          intent: "slow.work",
          readOnly: true,
          run: async () => {
            await new Promise((resolve) => setTimeout(resolve, 500));
            return { success: true, message: "finished the slow work" };
          },
        }),
      },
    }),
  );
  agent.recognizer.registerIntentHandler("slow.work", (request) =>
    request.text === "do the slow work" ? { confidence: 1 } : undefined,
  );
  await agent.start();
  server = await startServer({ agent, port: 0, host: "127.0.0.1" });
  const user = await server.auth.createUser({ username: "ada", password: "a long enough password" });
  userId = user.id;
  token = (await server.auth.login("ada", "a long enough password")).token;
});

afterAll(async () => {
  await server?.close().catch(() => {});
  await agent?.stop();
  await rm(root, { recursive: true, force: true });
});

/** A signed-in socket, with every message it got and how it closed. */
async function open(options: { answerPings?: boolean } = {}) {
  const socket = new WebSocket(`${server.url.replace("http", "ws")}/ws/${userId}`, {
    headers: { authorization: `Bearer ${token}` },
    autoPong: options.answerPings ?? true,
  });
  const messages: any[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("message", (raw: Buffer) => {
      const message = JSON.parse(raw.toString());
      messages.push(message);
      if (message.type === "status" && message.data.status === "connected") resolve();
    });
  });
  return { socket, messages, closed };
}

describe("the user WebSocket", () => {
  it("closes on a message larger than server.max_message_bytes (1009)", async () => {
    const { socket, closed } = await open();
    socket.send(JSON.stringify({ type: "request", data: { text: "x".repeat(10_000) } }));
    expect((await closed).code).toBe(1009);
  });

  it("closes a socket that answers no ping and sends nothing for server.idle_timeout", async () => {
    const { closed } = await open({ answerPings: false });
    const started = Date.now();
    expect(await closed).toEqual({ code: 4408, reason: "idle for too long" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("answers a bad message with an error and keeps the socket open", async () => {
    const { socket, messages } = await open();
    socket.send("{not json");
    socket.send(JSON.stringify({ type: "request", data: {} }));
    socket.send(JSON.stringify({ type: "launch-missiles" }));
    socket.send(JSON.stringify({ type: "ping" }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const errors = messages.filter((message) => message.type === "error");
    expect(errors.map((message) => message.data.code)).toEqual(["REQUEST_INVALID", "REQUEST_INVALID", "REQUEST_INVALID"]);
    expect(errors[1].data.message).toContain("text");
    expect(messages.at(-1)).toEqual({ type: "pong" });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it("delivers a broadcast to every signed-in socket and a user's message to that user only", async () => {
    const first = await open();
    const second = await open();
    expect(server.app.sockets.sendMessage(userId, { type: "status", data: { message: "for ada" } })).toBe(2);
    expect(server.app.sockets.sendMessage("someone-else", { type: "status", data: { message: "not for ada" } })).toBe(0);
    const reminder = {
      type: "reminder",
      requestId: "r",
      sessionId: "s",
      time: Date.now(),
      scheduleId: "x",
      dueAt: Date.now(),
      late: false,
    } as const;
    agent.events.emit({ ...reminder, userId, text: "water the plants" });
    agent.events.emit({ ...reminder, userId: "someone-else", text: "not ada's reminder" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const { messages, socket } of [first, second]) {
      expect(messages.some((message) => message.data?.message === "for ada")).toBe(true);
      expect(messages.some((message) => message.data?.message === "not for ada")).toBe(false);
      expect(messages.filter((message) => message.type === "reminder").map((message) => message.data.text)).toEqual([
        "water the plants",
      ]);
      socket.close();
    }
  });

  it("lets a request in flight finish when the server stops, then says why the socket closes", async () => {
    const { socket, messages, closed } = await open();
    socket.send(JSON.stringify({ type: "request", id: "slow", data: { text: "do the slow work" } }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await server.close();
    expect(await closed).toEqual({ code: 1001, reason: "the server is stopping" });
    expect(messages.find((message) => message.type === "response")).toMatchObject({
      id: "slow",
      data: { success: true, message: "finished the slow work" },
    });
  });
});
