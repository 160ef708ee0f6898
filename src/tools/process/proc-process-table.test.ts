import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseProcessStat, readProcess, readProcessTable } from "./proc-process-table.js";
import { parseSystemCpuTicks } from "./system-cpu-ticks.js";

describe("parseProcessStat", () => {
  it("counts fields from the last parenthesis, so a name with spaces and parentheses cannot shift them", () => {
    const rest = "S 41 42 42 0 -1 4194560 1 0 0 0 150 25 0 0 20 0 1 0 98765 100 200";
    expect(parseProcessStat(`4242 (evil) (name ) ${rest}`)).toEqual({
      pid: 4242,
      name: "evil) (name ",
      state: "S",
      ppid: 41,
      cpuTicks: 175,
      startTicks: 98765,
    });
  });

  it("gives nothing for text that is not a stat line", () => {
    expect(parseProcessStat("")).toBeUndefined();
    expect(parseProcessStat("12 (x")).toBeUndefined();
  });
});

describe("reading /proc", () => {
  it("reads a process: its name, command line, program, parent, owner and memory", async () => {
    const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(readProcess(sleeper.pid as number, (uid) => `user ${uid}`)).toMatchObject({
        pid: sleeper.pid,
        ppid: process.pid,
        name: "sleep",
        command: "sleep 30",
        program: "sleep",
        uid: process.getuid?.(),
        user: `user ${process.getuid?.()}`,
        kernelThread: false,
      });
      expect(readProcess(process.pid, String)?.memoryBytes).toBeGreaterThan(1024 * 1024);
    } finally {
      sleeper.kill("SIGKILL");
    }
  });

  it("lists every process, init included, and nothing for a pid that does not exist", async () => {
    const table = await readProcessTable();
    expect(table.find((entry) => entry.pid === 1)).toMatchObject({ pid: 1, user: "root" });
    expect(table.some((entry) => entry.pid === process.pid)).toBe(true);
    expect(readProcess(2 ** 30, String)).toBeUndefined();
  });
});

describe("parseSystemCpuTicks", () => {
  it("sums the machine's CPU time without counting guests twice, and counts the cores", () => {
    const text = "cpu  100 1 50 800 10 0 5 0 7 0\ncpu0 50 0 25 400 5 0 3 0 0 0\ncpu1 50 1 25 400 5 0 2 0 0 0\nintr 1 2 3\n";
    expect(parseSystemCpuTicks(text)).toEqual({ totalTicks: 966, cores: 2 });
  });
});
