// The bubblewrap sandbox a task runs in: the whole system read-only, a private /tmp, the task's HOME the only
// other writable place, the app and the helpers read-only, no network (loopback only), its own PID namespace
// (nothing it starts outlives it), hostname astros-eval, a clean environment.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const USER = "alex";
export const SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The task folders in use (removed when the runner is interrupted). */
const inUse = new Set();

function removeFolder(folder) {
  spawnSync("chmod", ["-R", "u+rwX", folder]); // a task may leave read-only folders behind
  rmSync(folder, { recursive: true, force: true });
}

/** Removes the folders of the tasks still running: for an interrupted run (the sandboxes die with the runner). */
export function removeFoldersInUse() {
  for (const folder of inUse) removeFolder(folder);
  inUse.clear();
}

/** Why tasks cannot run here (bwrap missing, or unable to make a sandbox), or undefined when they can. */
export function sandboxProblem() {
  const probe = spawnSync(
    "bwrap",
    ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net", "--unshare-pid", "--tmpfs", "/tmp", "true"],
    { encoding: "utf8" },
  );
  if (probe.error?.code === "ENOENT") {
    return (
      "bubblewrap (bwrap) is not installed, and every task runs inside it (no network, its own PID namespace, " +
      "only its HOME and /tmp writable). Install it: apt-get install bubblewrap (or dnf/pacman install bubblewrap)."
    );
  }
  if (probe.error || probe.status !== 0) {
    return (
      "bwrap is installed but cannot make a sandbox here (it needs root or unprivileged user namespaces): " +
      `${(probe.stderr || probe.error?.message || "").trim()}`
    );
  }
  return undefined;
}

/** A HOME path inside the sandbox that none of the bound folders lies in or above. */
function homeInside(bound) {
  const parent = existsSync("/home") ? "/home" : "/tmp/home";
  for (const name of [USER, `${USER}-eval`, `${USER}-eval-2`]) {
    const home = `${parent}/${name}`;
    const clashes = bound.some((p) => p === home || p.startsWith(`${home}/`) || home.startsWith(`${p}/`));
    if (!clashes) return home;
  }
  throw new Error("no free place for the sandbox's HOME");
}

/**
 * Runs one task in a fresh sandbox. `options`: node, main (dist/cli/main.js), appDir, libDir, path,
 * reference, timeout, tmpdir, keep, extraBinds. Resolves the result of inside-sandbox.mjs plus wall seconds and,
 * with keep, the folder kept.
 */
export function runInSandbox(task, options) {
  const folder = mkdtempSync(path.join(options.tmpdir ?? os.tmpdir(), `astros-task-${task.id}-`));
  inUse.add(folder);
  const hostHome = path.join(folder, "home");
  const hostWork = path.join(folder, "work");
  mkdirSync(hostHome);
  mkdirSync(hostWork);
  const bound = [...new Set([options.appDir, options.libDir, HERE, ...options.extraBinds])];
  const home = homeInside(bound);
  const work = "/tmp/.task";
  const argv = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
  if (home.startsWith("/home/")) argv.push("--tmpfs", "/home");
  argv.push("--bind", hostHome, home, "--bind", hostWork, work);
  for (const p of bound) argv.push("--ro-bind", p, p);
  argv.push(
    ...["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", "astros-eval"],
    ...["--die-with-parent", "--new-session", "--chdir", home, "--clearenv", "--setenv", "PATH", options.path],
    options.node,
    path.join(HERE, "inside-sandbox.mjs"),
  );
  const mentionsTrash = [task.setup ?? "", task.check, ...(task.allowed_changes ?? [])].join(" ").includes("Trash");
  const spec = {
    task,
    home,
    work,
    libDir: options.libDir,
    node: options.node,
    main: options.main,
    reference: options.reference,
    includeTrash: mentionsTrash,
    path: options.path,
    timeout: task.timeout ?? options.timeout,
  };
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("bwrap", argv, { stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => err.push(c));
    const limit = setTimeout(() => child.kill("SIGKILL"), (3 * spec.timeout + 60) * 1000);
    child.stdin.end(JSON.stringify(spec));
    child.on("close", () => {
      clearTimeout(limit);
      const lines = Buffer.concat(out).toString("utf8").trim().split("\n");
      let result;
      try {
        result = JSON.parse(lines.at(-1));
      } catch {
        const said = `${Buffer.concat(out).toString("utf8")}${Buffer.concat(err).toString("utf8")}`.slice(-2000);
        result = { error: `the sandbox did not report a result: ${said || "(nothing)"}` };
      }
      result.wall = Math.round((Date.now() - started) / 10) / 100;
      inUse.delete(folder);
      if (options.keep) {
        writeFileSync(path.join(folder, "result.json"), `${JSON.stringify(result, null, 1)}\n`);
        result.kept = folder;
      } else {
        removeFolder(folder);
      }
      resolve(result);
    });
  });
}
