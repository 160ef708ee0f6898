// Cold start of the CLI against Node's own start-up, measured in the same run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isolatedEnvironment } from "./isolated-home.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist", "cli", "main.js");

function measure(args, env, runs) {
  const times = [];
  for (let index = 0; index < runs; index++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, encoding: "utf8" });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
    times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
}

export async function run() {
  const home = mkdtempSync(path.join(os.tmpdir(), "astros-bench-"));
  const env = isolatedEnvironment(home);
  try {
    measure([cli, "hello"], env, 1); // first run creates the database; not counted
    const runs = Number(process.env.BENCH_RUNS ?? 15);
    const baseline = measure(["-e", ""], env, runs);
    const rows = [
      ["node -e ''", baseline],
      ["astros --version", measure([cli, "--version"], env, runs)],
      ['astros "hello"', measure([cli, "hello"], env, runs)],
      ["astros status --json", measure([cli, "status", "--json"], env, runs)],
    ];
    console.log(`runs per command: ${runs}`);
    console.log("command                 median ms   p90 ms   × node");
    for (const [name, timing] of rows) {
      console.log(
        `${name.padEnd(22)} ${timing.median.toFixed(1).padStart(9)} ${timing.p90.toFixed(1).padStart(8)} ${(timing.median / baseline.median).toFixed(2).padStart(8)}`,
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
