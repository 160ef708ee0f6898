import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfirmationRequest } from "../../agent/pipeline-seams.js";
import type { AgentEvent } from "../../core/events/agent-event.js";
import { startToolAgent, type ToolAgent } from "../testing/start-tool-agent.js";
import { readProcessStat } from "./proc-process-table.js";
import { createProcessTools } from "./process-plugin.js";

/**
 * The process tools against real processes and real ports: children listen on ephemeral ports on
 * 127.0.0.1, and the tools find them, list them, and stop them only after a yes.
 */

let root: string;
const agents: ToolAgent[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-process-tools-"));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const agent of agents.splice(0)) await agent.stop();
  await rm(root, { recursive: true, force: true });
});

async function startAgent(safety: Record<string, unknown> = {}) {
  const started = await startToolAgent({
    root,
    plugins: [createProcessTools({ killTiming: { graceMilliseconds: 1_500, killWaitMilliseconds: 2_000 } })],
    safety,
  });
  agents.push(started);
  return started;
}

function channel(answer: boolean) {
  const asked: ConfirmationRequest[] = [];
  const confirm = async (request: ConfirmationRequest) => {
    asked.push(request);
    return answer;
  };
  return { asked, confirm };
}

/** A node child with a unique marker on its command line, listening on an ephemeral TCP (or UDP) port of 127.0.0.1. */
async function startListener(options: { ignoreTerm?: boolean; udp?: boolean } = {}) {
  const marker = `astros-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const listen = options.udp
    ? `const socket = require("node:dgram").createSocket("udp4"); socket.bind(0, "127.0.0.1", () => console.log(socket.address().port));`
    : `const server = require("node:net").createServer(); server.listen(0, "127.0.0.1", () => console.log(server.address().port));`;
  const script = `${options.ignoreTerm ? `process.on("SIGTERM", () => {});` : ""}${listen}`;
  const child = spawn(process.execPath, ["-e", script, marker], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once("exit", () => reject(new Error("the listener exited before it listened")));
  });
  return { child, pid: child.pid as number, port, marker, exited: exitOf(child) };
}

function exitOf(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
}

function isRunning(pid: number): boolean {
  const stat = readProcessStat(pid);
  return stat !== undefined && stat.state !== "Z";
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("process.find_port", () => {
  it("finds the process listening on a TCP port: pid, name, command line, user, protocol and address", async () => {
    const { call } = await startAgent();
    const listener = await startListener();
    const response = await call("process.find_port", { port: listener.port });
    expect(response.success).toBe(true);
    expect(response.data?.listeners).toEqual([
      expect.objectContaining({
        protocol: "tcp",
        address: "127.0.0.1",
        port: listener.port,
        pid: listener.pid,
        name: "node",
        user: os.userInfo().username,
        visible: true,
        command: expect.stringContaining(listener.marker),
      }),
    ]);
    expect(response.message).toContain(`pid ${listener.pid}`);
  });

  it("finds a UDP socket too, and accepts the port as text", async () => {
    const { call } = await startAgent();
    const listener = await startListener({ udp: true });
    const response = await call("process.find_port", { port: String(listener.port) });
    expect(response.data?.listeners).toEqual([expect.objectContaining({ protocol: "udp", pid: listener.pid })]);
  });

  it("says plainly when nothing listens on the port", async () => {
    const { call } = await startAgent();
    const port = await freePort();
    const response = await call("process.find_port", { port });
    expect(response.success).toBe(true);
    expect(response.message).toBe(`Nothing is listening on port ${port}.`);
    expect(response.data?.listeners).toEqual([]);
  });

  it("rejects a port that cannot exist before looking", async () => {
    const { call } = await startAgent();
    for (const port of [70_000, 0, "http"]) {
      const response = await call("process.find_port", { port });
      expect(response.success).toBe(false);
      expect(response.metadata.error?.code).toBe("PLUGIN_ARGUMENTS_INVALID");
      expect(response.message).toMatch(/port: a port is a whole number from 1 to 65535$/);
    }
  });
});

describe("process.kill", () => {
  it("stops the process on a port after a yes that showed exactly which process, and proves it is gone", async () => {
    const { call, audit } = await startAgent();
    const listener = await startListener();
    const yes = channel(true);
    const events: AgentEvent[] = [];
    const response = await call("process.kill", { port: listener.port }, { confirm: yes.confirm, events });
    expect(response.success, response.message).toBe(true);
    expect(yes.asked).toHaveLength(1);
    expect(yes.asked[0]).toMatchObject({ kind: "action", risk: "DANGEROUS" });
    expect(yes.asked[0]?.summary).toContain(`${listener.pid} node`);
    expect(yes.asked[0]?.summary).toContain(listener.marker);
    expect(yes.asked[0]?.summary).toContain(`port ${listener.port}`);
    expect(await listener.exited).toBe("SIGTERM");
    expect(isRunning(listener.pid)).toBe(false);
    expect(response.data?.stopped).toEqual([expect.objectContaining({ pid: listener.pid, by: "SIGTERM" })]);
    // The signal went through the guarded exec, where the guard judged it and the audit log recorded it.
    expect(audit.entries.find((entry) => entry.type === "command-started")?.detail.command).toBe(`kill -TERM ${listener.pid}`);
    expect(response.metadata.risk?.level).toBe("MODERATE");
    expect(events.some((event) => event.type === "status" && event.message.includes("SIGTERM"))).toBe(true);
    expect((await call("process.find_port", { port: listener.port })).data?.listeners).toEqual([]);
  });

  it("stops it even when asked from a folder outside the allowed roots (kill runs from the home folder instead)", async () => {
    const { call, audit } = await startAgent({ allowed_roots: [] });
    const listener = await startListener();
    const response = await call("process.kill", { port: listener.port }, { confirm: channel(true).confirm, cwd: "/etc" });
    expect(response.success, response.message).toBe(true);
    expect(await listener.exited).toBe("SIGTERM");
    expect(audit.entries.find((entry) => entry.type === "command-started")?.detail.cwd).toBe(os.homedir());
  });

  it("leaves the process running when the user says no", async () => {
    const { call, audit } = await startAgent();
    const listener = await startListener();
    const no = channel(false);
    const response = await call("process.kill", { port: listener.port }, { confirm: no.confirm });
    expect(response.success).toBe(false);
    expect(response.message).toContain("Nothing was stopped");
    expect(response.data?.outcome).toBe("not-confirmed");
    expect(no.asked).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isRunning(listener.pid)).toBe(true);
    expect(audit.entries.some((entry) => entry.type === "command-started")).toBe(false);
  });

  it("leaves the process running when nobody can be asked (non-interactive)", async () => {
    const { call, audit } = await startAgent();
    const listener = await startListener();
    const response = await call("process.kill", { pid: listener.pid });
    expect(response.success).toBe(false);
    expect(response.data?.outcome).toBe("not-confirmed");
    expect(audit.entries.find((entry) => entry.type === "confirmation-answered")?.outcome).toBe("not confirmed");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isRunning(listener.pid)).toBe(true);
  });

  it("refuses pid 1, AstrOS itself and its parent without even asking", async () => {
    const { call } = await startAgent();
    for (const [pid, why] of [
      [1, /init process/],
      [process.pid, /AstrOS itself/],
      [process.ppid, /started AstrOS/],
    ] as const) {
      const yes = channel(true);
      const response = await call("process.kill", { pid }, { confirm: yes.confirm });
      expect(response.success, String(pid)).toBe(false);
      expect(response.message).toMatch(why);
      expect(response.data?.outcome).toBe("protected");
      expect(yes.asked).toEqual([]);
    }
    expect(isRunning(1)).toBe(true);
  });

  it("sends SIGKILL to a process that ignores SIGTERM once the grace period has passed", async () => {
    const { call } = await startAgent();
    const listener = await startListener({ ignoreTerm: true });
    const started = Date.now();
    const response = await call("process.kill", { port: listener.port }, channel(true));
    expect(response.success, response.message).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(await listener.exited).toBe("SIGKILL");
    expect(response.data?.stopped).toEqual([expect.objectContaining({ pid: listener.pid, by: "SIGKILL" })]);
    expect(response.message).toContain("with SIGKILL");
  });

  it("sends SIGKILL at once when forced, and says so when asking", async () => {
    const { call, audit } = await startAgent();
    const listener = await startListener({ ignoreTerm: true });
    const yes = channel(true);
    const started = Date.now();
    const response = await call("process.kill", { pid: listener.pid, force: true }, { confirm: yes.confirm });
    expect(response.success, response.message).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_400);
    expect(await listener.exited).toBe("SIGKILL");
    expect(yes.asked[0]?.reasons.join(" ")).toMatch(/SIGKILL at once/);
    expect(audit.entries.find((entry) => entry.type === "command-started")?.detail.command).toBe(`kill -KILL ${listener.pid}`);
  });

  it("stops processes by their exact name, and never one whose name only contains it", async () => {
    const { call } = await startAgent();
    const name = `astros-name-${Math.random().toString(36).slice(2, 8)}`;
    const child = spawn("bash", ["-c", `exec -a ${name} sleep 300`], { stdio: "ignore" });
    children.push(child);
    const exited = exitOf(child);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const partial = await call("process.kill", { name: name.slice(0, -2) }, channel(true));
    expect(partial.success).toBe(false);
    expect(partial.data?.outcome).toBe("not-found");
    expect(isRunning(child.pid as number)).toBe(true);

    const yes = channel(true);
    const response = await call("process.kill", { name }, { confirm: yes.confirm });
    expect(response.success, response.message).toBe(true);
    expect(yes.asked[0]?.summary).toContain(`processes named "${name}"`);
    expect(await exited).toBe("SIGTERM");
  });

  it("stops nothing when a name given with a port does not match the process there", async () => {
    const { call } = await startAgent();
    const listener = await startListener();
    const yes = channel(true);
    const response = await call("process.kill", { port: listener.port, name: "python3" }, { confirm: yes.confirm });
    expect(response.success).toBe(false);
    expect(response.message).toContain(`port ${listener.port} named "python3"`);
    expect(yes.asked).toEqual([]);
    expect(isRunning(listener.pid)).toBe(true);
  });

  it("stops exactly the processes given by pid (those an earlier answer found), and asks once about all of them", async () => {
    const { call } = await startAgent();
    const first = await startListener();
    const second = await startListener();
    const bystander = await startListener();
    const yes = channel(true);
    const response = await call("process.kill", { pids: [first.pid, second.pid] }, { confirm: yes.confirm });
    expect(response.success, response.message).toBe(true);
    expect(yes.asked).toHaveLength(1);
    expect(yes.asked[0]?.summary).toContain(`pids ${first.pid}, ${second.pid}`);
    expect(await first.exited).toBe("SIGTERM");
    expect(await second.exited).toBe("SIGTERM");
    expect(isRunning(bystander.pid)).toBe(true);
  });

  it("refuses to stop every process, without asking, and stops nothing", async () => {
    const { call } = await startAgent();
    const listener = await startListener();
    const yes = channel(true);
    const response = await call("process.kill", { everything: true }, { confirm: yes.confirm });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/^Not stopping every process: .* Nothing was stopped\.$/);
    expect(yes.asked).toEqual([]);
    expect(isRunning(listener.pid)).toBe(true);
  });

  it("asks for a pid, a name or a port when given none", async () => {
    const { call } = await startAgent();
    const response = await call("process.kill", { force: true }, channel(true));
    expect(response.metadata.error?.code).toBe("PLUGIN_ARGUMENTS_INVALID");
    expect(response.message).toContain("a pid, a name or a port");
  });

  it("answers plainly for a pid that does not exist", async () => {
    const { call } = await startAgent();
    const child = spawn("true");
    await exitOf(child);
    const response = await call("process.kill", { pid: child.pid }, channel(true));
    expect(response.success).toBe(false);
    expect(response.message).toBe(`No running process matches: pid ${child.pid}.`);
  });
});

describe("process.list", () => {
  it("finds processes by a word of their name or command line", async () => {
    const { call } = await startAgent();
    const listener = await startListener();
    const response = await call("process.list", { name: listener.marker });
    expect(response.success).toBe(true);
    expect(response.data?.processes).toEqual([
      expect.objectContaining({
        pid: listener.pid,
        name: "node",
        cpuPercent: expect.any(Number),
        memoryBytes: expect.any(Number),
      }),
    ]);
    expect(response.message).toContain(`pid ${listener.pid}`);
  });

  it("puts a busy process at the top by CPU, measured over a short window", async () => {
    const { call } = await startAgent();
    const marker = `astros-busy-${Math.random().toString(36).slice(2)}`;
    const busy = spawn(process.execPath, ["-e", "for (;;) {}", marker], { stdio: "ignore" });
    children.push(busy);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const response = await call("process.list", { name: marker, sort: "cpu" });
    const [top] = (response.data?.processes ?? []) as { pid: number; cpuPercent: number }[];
    expect(top?.pid).toBe(busy.pid);
    expect(top?.cpuPercent).toBeGreaterThan(20);
    expect(response.data?.sampleMilliseconds).toBe(500);
  });

  it("lists the top processes by memory, largest first, as many as asked", async () => {
    const { call } = await startAgent();
    const response = await call("process.list", { sort: "memory", limit: 5 });
    const processes = response.data?.processes as { memoryBytes: number; cpuPercent?: number }[];
    expect(processes).toHaveLength(5);
    expect(processes.map((entry) => entry.memoryBytes)).toEqual(
      processes.map((entry) => entry.memoryBytes).sort((a, b) => b - a),
    );
    expect(processes[0]?.memoryBytes).toBeGreaterThan(0);
    expect(processes[0]?.cpuPercent).toBeUndefined();
    expect(response.data?.matched).toBeGreaterThan(5);
    expect(response.message).toMatch(/^Top 5 of \d+ by memory:/);
  });

  it("says so when nothing matches the name", async () => {
    const { call } = await startAgent();
    const response = await call("process.list", { name: "no-such-process-astros-xyz" });
    expect(response.success).toBe(true);
    expect(response.data?.processes).toEqual([]);
    expect(response.message).toContain("No running process mentions");
  });
});
