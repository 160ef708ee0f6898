import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../run-process.js";
import { sandboxForTests } from "../testing/sandbox-for-tests.js";

/**
 * The confined users' sandbox, with real bubblewrap: built from the system's programs and the workspace
 * only, so a program that computes a path or opens it by itself finds nothing of the machine's.
 */

const sandbox = await sandboxForTests("the confined sandbox tests");

let root: string;
let workspace: string;
let operatorHome: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-confined-sandbox-"));
  operatorHome = path.join(root, "operator");
  workspace = path.join(root, "data", "workspaces", "alice", "home");
  await mkdir(path.join(operatorHome, ".ssh"), { recursive: true });
  await writeFile(path.join(operatorHome, ".ssh", "id_rsa"), "OPERATOR PRIVATE KEY");
  await mkdir(path.join(root, "data", "workspaces", "bob", "home"), { recursive: true });
  await writeFile(path.join(root, "data", "workspaces", "bob", "home", "secret.txt"), "bob's secret");
  await writeFile(path.join(root, "data", "token.key"), "SIGNING KEY");
  await mkdir(workspace, { recursive: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function confined(command: string) {
  return runProcess({
    command,
    cwd: workspace,
    timeoutMilliseconds: 20_000,
    outputLimit: 1_000_000,
    isolation: { confinedTo: workspace },
  });
}

describe.runIf(sandbox.run)("a confined user's sandbox", () => {
  it("never shows the machine's homes, other workspaces, AstrOS's data or /etc secrets, however a program looks", async () => {
    const files = [
      path.join(operatorHome, ".ssh", "id_rsa"),
      path.join(root, "data", "workspaces", "bob", "home", "secret.txt"),
      path.join(root, "data", "token.key"),
      "/etc/shadow",
      "/root/.bashrc",
    ];
    for (const file of files) {
      const cat = await confined(`cat ${file}`);
      expect(cat.exitCode, file).not.toBe(0);
      const python = await confined(`python3 -c "print(open('${file}').read())"`);
      expect(python.exitCode, file).not.toBe(0);
      expect(`${cat.stdout}${python.stdout}`).toBe("");
    }
    const found = await confined(
      "find / -xdev \\( -name id_rsa -o -name secret.txt -o -name token.key -o -name shadow \\) 2>/dev/null; ls -A / /home /root 2>&1",
    );
    expect(found.stdout).not.toMatch(/id_rsa|secret\.txt|token\.key|shadow/);
    expect(found.stdout).toMatch(/\/home': No such file or directory/);
    expect(found.stdout).toMatch(/\/root': No such file or directory/);
  });

  it("runs programs in the workspace, its HOME, which alone is writable; /tmp is its own", async () => {
    const result = await confined(
      'echo made > made.txt && echo "home=$HOME" && echo "path=$PATH" && python3 -c "print(2 + 2)" && touch /tmp/scratch && ls /tmp; touch /usr/x /etc/x 2>&1; true',
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(path.join(workspace, "made.txt"), "utf8")).toBe("made\n");
    expect(result.stdout).toContain(`home=${workspace}`);
    expect(result.stdout).toContain("4\n");
    expect(result.stdout).not.toMatch(/path=.*(\/root|\/home)/);
    expect(result.stdout.match(/Read-only file system/g)).toHaveLength(2);
    expect(existsSync(path.join(os.tmpdir(), "scratch"))).toBe(false);
  });

  it("names one user whose home is the workspace: the machine's accounts and the operator's home are not there", async () => {
    const result = await confined(
      "cat /etc/passwd /etc/group; echo; id -un; python3 -c \"import pwd, os; print('pw', pwd.getpwuid(os.getuid()).pw_dir)\"",
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`pw ${workspace}`);
    expect(result.stdout).not.toContain(`:${os.homedir()}:`);
    const machine = await runProcess({
      command: "cut -d: -f1 /etc/passwd",
      cwd: workspace,
      timeoutMilliseconds: 5_000,
      outputLimit: 100_000,
    });
    const inside = result.stdout
      .split("\n")
      .filter((line) => line.includes(":x:"))
      .map((line) => line.split(":")[0]);
    const machineAccounts = machine.stdout.trim().split("\n");
    expect(inside.filter((name) => !["root", "user", "nobody", "nogroup"].includes(name ?? ""))).toEqual([]);
    expect(inside.length).toBeLessThan(machineAccounts.length);
  });

  it("has no network and no view of the server's processes", async () => {
    const result = await confined("tail -n +3 /proc/net/dev | wc -l; ls /proc | grep -c '^[0-9]'");
    const [interfaces, processes] = result.stdout.trim().split("\n").map(Number);
    expect(interfaces).toBe(1);
    expect(processes).toBeLessThan(6);
  });

  it("has the machine's network only when configured (safety.confined_network)", async () => {
    const shared = await runProcess({
      command: "tail -n +3 /proc/net/dev | wc -l",
      cwd: workspace,
      timeoutMilliseconds: 20_000,
      outputLimit: 1000,
      isolation: { confinedTo: workspace, network: true },
    });
    const host = await runProcess({
      command: "tail -n +3 /proc/net/dev | wc -l",
      cwd: workspace,
      timeoutMilliseconds: 5_000,
      outputLimit: 1000,
    });
    expect(Number(shared.stdout.trim())).toBe(Number(host.stdout.trim()));
  });

  it("is refused when the command would start outside the workspace", async () => {
    await expect(
      runProcess({
        command: "true",
        cwd: root,
        timeoutMilliseconds: 5_000,
        outputLimit: 100,
        isolation: { confinedTo: workspace },
      }),
    ).rejects.toThrow(/must start inside its workspace/);
  });
});
