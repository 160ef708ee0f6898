import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { readProcess } from "./proc-process-table.js";
import { resolveKillTargets, type Stopper } from "./resolve-kill-targets.js";
import { refusedPids } from "./stop-processes.js";

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

const me: Stopper = { pid: process.pid, parentPid: process.ppid, uid: process.geteuid?.() ?? -1 };

describe("resolveKillTargets", () => {
  it("sets another user's process apart when AstrOS is not root, instead of trying to signal it", async () => {
    const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
    children.push(sleeper);
    const nobody: Stopper = { ...me, uid: 65_534 };
    const found = await resolveKillTargets({ pid: sleeper.pid as number }, nobody);
    expect(found.targets).toEqual([]);
    expect(found.notPermitted.map((entry) => entry.pid)).toEqual([sleeper.pid]);
    expect((await resolveKillTargets({ pid: sleeper.pid as number }, me)).targets).toHaveLength(1);
  });

  it("spares init, AstrOS and its parent, and kernel threads, saying why", async () => {
    const spared = async (pid: number) => (await resolveKillTargets({ pid }, me)).spared[0]?.reason;
    expect(await spared(1)).toMatch(/init process/);
    expect(await spared(process.pid)).toMatch(/AstrOS itself/);
    expect(await spared(process.ppid)).toMatch(/started AstrOS/);
    if (readProcess(2, String)?.kernelThread) expect(await spared(2)).toMatch(/kernel thread/);
  });
});

describe("refusedPids", () => {
  it.runIf(process.geteuid?.() === 0 && existsSync("/usr/sbin/runuser"))(
    "reads which pids kill was not allowed to signal from its real error output",
    () => {
      const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
      children.push(sleeper);
      const result = spawnSync("runuser", ["-u", "nobody", "--", "bash", "-c", `kill -TERM ${sleeper.pid}`], {
        encoding: "utf8",
      });
      expect(result.status).not.toBe(0);
      expect(refusedPids(result.stderr)).toEqual(new Set([sleeper.pid]));
    },
  );

  it("finds each refused pid in bash's messages", () => {
    const stderr = "bash: line 1: kill: (12) - Operation not permitted\nbash: line 1: kill: (34) - No such process\n";
    expect(refusedPids(stderr)).toEqual(new Set([12]));
  });
});
