import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startToolAgent, type ToolAgent } from "../testing/start-tool-agent.js";
import { createSystemTools, type SystemToolsOptions } from "./system-plugin.js";

/** The system tools through the real agent, on this real machine (a Linux VM without a desktop). */

let root: string;
const agents: ToolAgent[] = [];
const savedEnvironment = { ...process.env };

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-system-tools-"));
});
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  for (const name of ["DISPLAY", "WAYLAND_DISPLAY", "PATH", "XDG_DATA_DIRS", "XDG_DATA_HOME"]) {
    if (savedEnvironment[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnvironment[name];
  }
  await rm(root, { recursive: true, force: true });
});

async function startAgent(options: SystemToolsOptions = {}) {
  const started = await startToolAgent({ root, plugins: [createSystemTools(options)] });
  agents.push(started);
  return started;
}

describe("system.info", () => {
  it("reports memory in bytes and percent, with human sizes in the message", async () => {
    const { call } = await startAgent();
    const response = await call("system.info", { topic: "memory" });
    expect(response.success).toBe(true);
    const memory = response.data?.memory as Record<string, number>;
    expect(memory.totalBytes).toBe(os.totalmem());
    expect(memory.usedBytes).toBeGreaterThan(0);
    expect(memory.availableBytes).toBeLessThanOrEqual(memory.totalBytes as number);
    expect(memory.usedPercent).toBeGreaterThan(0);
    expect(memory.usedPercent).toBeLessThanOrEqual(100);
    expect(response.message).toMatch(/^Memory: [\d.]+ [KMGT]B of [\d.]+ [KMGT]B used \([\d.]+%\)/);
  });

  it("reports the CPU's cores and load, the OS and the uptime", async () => {
    const { call } = await startAgent();
    const cpu = (await call("system.info", { topic: "cpu" })).data?.cpu as Record<string, unknown>;
    expect(cpu.cores).toBeGreaterThan(0);
    expect(cpu.cores).toBe(os.cpus().length);
    expect(cpu.loadPercent).toBeGreaterThanOrEqual(0);
    expect(cpu.loadPercentPerCore).toHaveLength(cpu.cores as number);

    const system = (await call("system.info", { topic: "os" })).data?.os as Record<string, unknown>;
    expect(system).toMatchObject({ platform: "linux", kernel: os.release(), hostname: os.hostname() });

    const uptime = (await call("system.info", { topic: "uptime" })).data?.uptime as Record<string, number>;
    expect(Math.abs((uptime.uptimeSeconds as number) - os.uptime())).toBeLessThan(5);
  });

  it("reports disks and network interfaces as lists", async () => {
    const { call } = await startAgent();
    const disk = (await call("system.info", { topic: "disk" })).data?.disk as { filesystems: Record<string, number>[] };
    expect(disk.filesystems.length).toBeGreaterThan(0);
    const [first] = disk.filesystems;
    expect(first?.sizeBytes).toBeGreaterThan(0);
    expect(first?.usedPercent).toBeGreaterThanOrEqual(0);
    const network = (await call("system.info", { topic: "network" })).data?.network as { interfaces: { name: string }[] };
    expect(network.interfaces.map((entry) => entry.name)).toContain("lo");
  });

  it("answers clearly, and successfully, when there is no battery or no GPU", async () => {
    const { call } = await startAgent();
    const battery = await call("system.info", { topic: "battery" });
    expect(battery.success).toBe(true);
    expect(battery.data?.battery).toMatchObject({ hasBattery: false });
    expect(battery.message).toBe("Battery: none (this computer has no battery)");
    const gpu = await call("system.info", { topic: "gpu" });
    expect(gpu.success).toBe(true);
    expect(gpu.data?.gpu).toMatchObject({ hasGpu: false, controllers: [] });
    expect(gpu.message).toMatch(/^GPU: none found/);
  });

  it("answers the host name alone when that is what was asked", async () => {
    const { call } = await startAgent();
    const response = await call("system.info", { topic: "hostname" });
    expect(response.success).toBe(true);
    expect(response.message).toBe(`Hostname: ${os.hostname()}`);
    expect(response.data?.hostname).toMatchObject({ hostname: os.hostname() });
  });

  it("reports every topic by default, one line each", async () => {
    const { call } = await startAgent();
    const response = await call("system.info", {});
    expect(response.success).toBe(true);
    expect(response.data?.topic).toBe("all");
    for (const topic of ["cpu", "memory", "disk", "network", "os", "uptime", "battery", "gpu"]) {
      expect(response.data?.[topic], topic).toHaveProperty("sampledAt");
    }
    expect(response.message.split("\n")).toHaveLength(8);
  });

  it("serves a topic from its cache within the time to live, and reads it afresh after", async () => {
    let now = 1_000_000;
    const { call } = await startAgent({ now: () => now });
    const first = (await call("system.info", { topic: "memory" })).data?.memory;
    now += 2_000;
    const second = (await call("system.info", { topic: "memory" })).data?.memory;
    expect(second).toEqual(first);
    now += 2_000;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const third = (await call("system.info", { topic: "memory" })).data?.memory as { sampledAt: string };
    expect(third.sampledAt).not.toBe((first as { sampledAt: string }).sampledAt);
  });

  it("refuses a topic it does not know before doing anything", async () => {
    const { call } = await startAgent();
    const response = await call("system.info", { topic: "toaster" });
    expect(response.metadata.error?.code).toBe("PLUGIN_ARGUMENTS_INVALID");
  });
});

/** A stand-in desktop program: records its arguments after a moment, so it must outlive the command that started it. */
async function installFakeProgram(name: string): Promise<string> {
  const bin = path.join(root, "bin");
  await mkdir(bin, { recursive: true });
  const record = path.join(root, `${name}.args`);
  await writeFile(path.join(bin, name), `#!/bin/sh\nsleep 0.5\nprintf '%s\\n' "$@" > '${record}'\n`);
  await chmod(path.join(bin, name), 0o755);
  process.env.PATH = `${bin}:${savedEnvironment.PATH}`;
  return record;
}

async function waitForFile(file: string, milliseconds = 3_000): Promise<string> {
  const deadline = Date.now() + milliseconds;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return readFile(file, "utf8");
}

describe("system.open", () => {
  it("says there is no desktop session to open anything in when there is no display", async () => {
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
    const { call, audit } = await startAgent();
    const response = await call("system.open", { target: "https://example.com" });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(
      /^There is no desktop session to open https:\/\/example\.com in: this session has no display/,
    );
    expect(response.suggestions.join(" ")).toContain("desktop session");
    expect(audit.entries.some((entry) => entry.type === "command-started")).toBe(false);
  });

  it("says so when there is a display but no opener installed", async () => {
    process.env.DISPLAY = ":99";
    // A PATH with no programs at all: whatever this machine has installed, no opener is on it.
    process.env.PATH = await mkdtemp(path.join(os.tmpdir(), "astros-empty-path-"));
    const { call } = await startAgent();
    const response = await call("system.open", { target: "https://example.com" });
    expect(response.success).toBe(false);
    expect(response.message).toContain("xdg-open was not found");
    expect(response.suggestions.join(" ")).toContain("xdg-utils");
  });

  it("hands a link to xdg-open in a session of its own, so it outlives the command", async () => {
    process.env.DISPLAY = ":99";
    const record = await installFakeProgram("xdg-open");
    const { call } = await startAgent();
    const response = await call("system.open", { target: "https://example.com/a?b=c&d='e'" });
    expect(response.success, response.message).toBe(true);
    expect(response.data?.command).toMatch(/^setsid -f 'xdg-open' /);
    expect(await waitForFile(record)).toBe("https://example.com/a?b=c&d='e'\n");
  });

  it("reads a bare site name as a web link when no such file is there", async () => {
    process.env.DISPLAY = ":99";
    const record = await installFakeProgram("xdg-open");
    const { call } = await startAgent();
    const response = await call("system.open", { target: "example.com" });
    expect(response.success, response.message).toBe(true);
    expect(await waitForFile(record)).toBe("https://example.com\n");
  });

  it("opens a file by its real path only inside the allowed places", async () => {
    process.env.DISPLAY = ":99";
    const record = await installFakeProgram("xdg-open");
    await writeFile(path.join(root, "report.pdf"), "%PDF");
    const { call } = await startAgent();

    const denied = await call("system.open", { target: "/etc/hostname" });
    expect(denied.metadata.error?.code).toBe("PATH_DENIED");
    const missing = await call("system.open", { target: "missing.pdf" });
    expect(missing.success).toBe(false);
    expect(missing.message).toContain("There is no file or folder at missing.pdf");
    expect(existsSync(record)).toBe(false);

    const opened = await call("system.open", { target: "report.pdf" });
    expect(opened.success, opened.message).toBe(true);
    expect(await waitForFile(record)).toBe(`${path.join(root, "report.pdf")}\n`);
  });

  it("refuses link schemes that could start arbitrary programs", async () => {
    process.env.DISPLAY = ":99";
    await installFakeProgram("xdg-open");
    const { call } = await startAgent();
    const response = await call("system.open", { target: "javascript:alert(1)" });
    expect(response.success).toBe(false);
    expect(response.message).toContain('a "javascript:" link could start any program');
  });

  it("starts an installed application from its desktop file, found by the name the menu shows", async () => {
    process.env.DISPLAY = ":99";
    await installFakeProgram("xdg-open");
    const record = await installFakeProgram("gtk-launch");
    const applications = path.join(root, "share", "applications");
    await mkdir(applications, { recursive: true });
    await writeFile(
      path.join(applications, "org.example.Calculator.desktop"),
      "[Desktop Entry]\nType=Application\nName=Calculator\nExec=true\n\n[Desktop Action new]\nName=Other\n",
    );
    process.env.XDG_DATA_HOME = path.join(root, "nothing");
    process.env.XDG_DATA_DIRS = path.join(root, "share");
    const { call } = await startAgent();
    const response = await call("system.open", { target: "calculator" });
    expect(response.success, response.message).toBe(true);
    expect(response.message).toBe("Opened application Calculator.");
    expect(await waitForFile(record)).toBe("org.example.Calculator\n");

    const unknown = await call("system.open", { target: "no-such-app" });
    expect(unknown.success).toBe(false);
    expect(unknown.message).toBe("No installed application is called no-such-app.");
  });
});
