// Command guard throughput and latency on the labelled corpus, against parsing the same lines
// with the bare tree-sitter grammar (the guard's floor), measured in the same run.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function run() {
  const { CommandGuard } = await import(pathToFileURL(path.join(root, "dist/safety/command-guard/command-guard.js")).href);
  const { loadShellParser } = await import(pathToFileURL(path.join(root, "dist/safety/command-guard/shell-parser.js")).href);
  const corpus = readFileSync(path.join(root, "test/data/guard-corpus.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  const guard = await CommandGuard.create({ homeDirectory: "/home/alice" });
  const parser = await loadShellParser();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 50);

  const measure = (work) => {
    for (const entry of corpus) work(entry.command); // warm-up
    const latencies = [];
    const started = process.hrtime.bigint();
    for (let round = 0; round < rounds; round++) {
      for (const entry of corpus) {
        const begin = process.hrtime.bigint();
        work(entry.command);
        latencies.push(Number(process.hrtime.bigint() - begin) / 1e3);
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort((a, b) => a - b);
    return {
      perSecond: latencies.length / seconds,
      p50: latencies[Math.floor(latencies.length * 0.5)],
      p99: latencies[Math.floor(latencies.length * 0.99)],
    };
  };

  const parseOnly = measure((command) => parser.parse(command)?.delete());
  const guarded = measure((command) => guard.check(command));
  let caught = 0;
  let allowed = 0;
  let wrong = 0;
  for (const entry of corpus) {
    const level = guard.check(entry.command).level;
    if (level !== entry.level) wrong++;
    if ((entry.level === "FORBIDDEN" || entry.level === "DANGEROUS") && level === entry.level) caught++;
    if (entry.level === "SAFE" && level === "SAFE") allowed++;
  }
  const dangerousCount = corpus.filter((entry) => entry.level === "FORBIDDEN" || entry.level === "DANGEROUS").length;
  const safeCount = corpus.filter((entry) => entry.level === "SAFE").length;
  console.log(`corpus: ${corpus.length} commands × ${rounds} rounds`);
  console.log("                      commands/s    p50 µs    p99 µs");
  console.log(
    `tree-sitter parse  ${parseOnly.perSecond.toFixed(0).padStart(13)} ${parseOnly.p50.toFixed(1).padStart(9)} ${parseOnly.p99.toFixed(1).padStart(9)}`,
  );
  console.log(
    `command guard      ${guarded.perSecond.toFixed(0).padStart(13)} ${guarded.p50.toFixed(1).padStart(9)} ${guarded.p99.toFixed(1).padStart(9)}`,
  );
  console.log(`guard / parse time ratio: ${(parseOnly.perSecond / guarded.perSecond).toFixed(2)}×`);
  console.log(
    `forbidden+dangerous caught at their level: ${caught}/${dangerousCount}; safe look-alikes allowed: ${allowed}/${safeCount}; any level wrong: ${wrong}`,
  );
}
