// Runs one program for a task and keeps what it wrote: stdout, stderr, and both together in the order written.
import { spawn } from "node:child_process";
import { closeSync, openSync, writeSync } from "node:fs";
import path from "node:path";

const KEEP_BYTES = 1 << 20; // of each stream

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * Runs argv in cwd with exactly env, feeding stdin (a string, or nothing), and writes stdout.txt, stderr.txt and
 * output.txt into dir. Resolves { exit, timedOut, seconds, files }. Something the program started that keeps
 * its pipes open is not waited for more than 2 s after the program itself ends.
 */
export function capture(argv, { cwd, env, stdin, timeoutSeconds, dir }) {
  const files = {
    stdout: path.join(dir, "stdout.txt"),
    stderr: path.join(dir, "stderr.txt"),
    output: path.join(dir, "output.txt"),
  };
  const fds = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, openSync(file, "w")]));
  const written = { stdout: 0, stderr: 0 };
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env,
      stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      detached: true,
    });
    let timedOut = false;
    let exit = null;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      for (const fd of Object.values(fds)) closeSync(fd);
      resolve({ exit: timedOut ? "timeout" : exit, timedOut, seconds: (Date.now() - started) / 1000, files });
    };
    const keep = (name) => (chunk) => {
      if (finished) return;
      const room = KEEP_BYTES - written[name];
      if (room <= 0) return;
      const part = chunk.subarray(0, room);
      written[name] += part.length;
      writeSync(fds[name], part);
      writeSync(fds.output, part);
    };
    child.stdout.on("data", keep("stdout"));
    child.stderr.on("data", keep("stderr"));
    if (child.stdin) {
      child.stdin.on("error", () => {});
      child.stdin.end(stdin);
    }
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutSeconds * 1000);
    child.on("error", (error) => {
      writeSync(fds.stderr, `could not start ${argv[0]}: ${error.message}\n`);
      exit = 127;
      finish();
    });
    child.on("exit", (code, signal) => {
      exit = code ?? (signal ? `signal ${signal}` : null);
      setTimeout(finish, 2000).unref();
    });
    child.on("close", finish);
  });
}
