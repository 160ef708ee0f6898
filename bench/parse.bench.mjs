// The builtin intent engine: parses per second and latency on the labelled sets (one core), and
// `astros parse --jsonl` over 10,000 lines end to end, against Node's own start-up in the same run.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function texts() {
  const files = [path.join(root, "test/data/intents-varied.jsonl"), path.join(root, "../shared/eval/intents-dev.jsonl")];
  return files
    .filter((file) => existsSync(file))
    .flatMap((file) => readFileSync(file, "utf8").trim().split("\n"))
    .map((line) => JSON.parse(line).text);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function run() {
  const { parseRequest } = await import(pathToFileURL(path.join(root, "dist/intent/parse-request.js")).href);
  const context = { now: new Date("2026-03-18T10:00:00Z"), home: "/home/alice", cwd: "/home/alice/projects/site" };
  const lines = texts();
  // Warm up until the JIT has settled (about two seconds), then measure.
  const warmUntil = performance.now() + 2_000;
  while (performance.now() < warmUntil) for (const text of lines) parseRequest(text, { context });
  const latencies = [];
  const started = process.hrtime.bigint();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 50);
  for (let round = 0; round < rounds; round++) {
    for (const text of lines) {
      const begin = process.hrtime.bigint();
      parseRequest(text, { context });
      latencies.push(Number(process.hrtime.bigint() - begin) / 1e6);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  console.log(
    `parse: ${Math.round(latencies.length / seconds).toLocaleString("en")} parses/s on one core, p50 ${latencies[Math.floor(latencies.length * 0.5)].toFixed(3)} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)].toFixed(3)} ms (${lines.length} phrasings × ${rounds})`,
  );

  const input = Array.from({ length: 10_000 }, (_, index) =>
    JSON.stringify({ id: index, text: lines[index % lines.length] }),
  ).join("\n");
  const cli = path.join(root, "dist/cli/main.js");
  const args = [cli, "parse", "--jsonl", "--now", "2026-03-18T10:00:00Z", "--cwd", "/home/alice/projects/site"];
  const nodeTimes = [];
  const parseTimes = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    let begin = process.hrtime.bigint();
    execFileSync(process.execPath, ["-e", ""]);
    nodeTimes.push(Number(process.hrtime.bigint() - begin) / 1e6);
    begin = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, {
      input,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, HOME: "/home/alice", TZ: "UTC" },
    });
    parseTimes.push(Number(process.hrtime.bigint() - begin) / 1e6);
    if (result.status !== 0) throw new Error(`astros parse failed: ${result.stderr}`);
  }
  const nodeMedian = median(nodeTimes);
  const parseMedian = median(parseTimes);
  console.log(
    `astros parse --jsonl, 10,000 lines: ${parseMedian.toFixed(0)} ms wall (median of 5, start-up included); node -e '' ${nodeMedian.toFixed(0)} ms; ratio ${(parseMedian / nodeMedian).toFixed(1)}×`,
  );
}
