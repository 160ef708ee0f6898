// files.search by extension over a generated tree, against `fdfind -e` and `find -name` on the same tree in the
// same run. AstrOS's search is called in-process (no agent, no Node start-up); the baselines are spawned.
// BENCH_SCAN_FILES sets the tree's size (default 200,000 files), BENCH_SCAN_RUNS the runs per tool (default 5).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateSearchTree } from "./generate-tree.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Whether a command is on the PATH. */
function installed(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Lines a command prints, and how long it took, in milliseconds. */
function timeCommand(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 30 });
  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return { milliseconds, output: result.stdout };
}

/** Runs every tool once per round, round after round (so a busy moment on the machine hits all of them), and gives
 * each tool's median run. */
async function medianInRounds(rounds, tools) {
  const timings = new Map(tools.map(([label]) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [label, work] of tools) timings.get(label).push(await work());
  }
  return tools.map(([label]) => {
    const sorted = timings.get(label).sort((a, b) => a.milliseconds - b.milliseconds);
    return [label, sorted[Math.floor(sorted.length / 2)]];
  });
}

export async function run() {
  const { searchFiles } = await import(pathToFileURL(path.join(root, "dist/tools/file-scan/search-files.js")).href);
  const files = Number(process.env.BENCH_SCAN_FILES ?? 200_000);
  const runs = Number(process.env.BENCH_SCAN_RUNS ?? 5);
  const generating = performance.now();
  const tree = generateSearchTree({ files });
  console.log(
    `tree: ${files.toLocaleString("en-US")} files, ${tree.pdfs.toLocaleString("en-US")} .pdf (made in ${((performance.now() - generating) / 1000).toFixed(1)} s); warm cache; median of ${runs} interleaved runs`,
  );
  try {
    const lines = (output) => output.split("\n").filter((line) => line !== "").length;
    timeCommand("find", [tree.root, "-name", "*.pdf"]); // warms the cache for everyone
    const astros = async (limit) => {
      const started = performance.now();
      const result = await searchFiles({ root: tree.root, filters: { ext: ["pdf"] }, limit });
      return { milliseconds: performance.now() - started, count: result.total };
    };
    const command = (program, args) => () => {
      const { milliseconds, output } = timeCommand(program, args);
      return { milliseconds, count: lines(output) };
    };
    const tools = [
      ["astros files.search (limit 100)", () => astros(100)],
      ["astros files.search (all described)", () => astros(Number.MAX_SAFE_INTEGER)],
      ["find -name '*.pdf'", command("find", [tree.root, "-name", "*.pdf"])],
    ];
    if (installed("fdfind")) tools.push(["fdfind -e pdf", command("fdfind", ["-e", "pdf", ".", tree.root])]);
    else console.log("fdfind: not installed: apt install fd-find");
    await astros(100); // compiles the search code before it is timed
    const rows = await medianInRounds(runs, tools);

    const timeOf = (name) => rows.find(([label]) => label.startsWith(name))?.[1].milliseconds;
    const find = timeOf("find");
    const fd = timeOf("fdfind");
    console.log("tool                                  median ms   matches   × find     × fd");
    for (const [label, timing] of rows) {
      const versus = (baseline) => (baseline === undefined ? "-" : (timing.milliseconds / baseline).toFixed(2));
      console.log(
        `${label.padEnd(36)} ${timing.milliseconds.toFixed(1).padStart(10)} ${String(timing.count).padStart(9)} ${versus(find).padStart(8)} ${versus(fd).padStart(8)}`,
      );
      if (timing.count !== tree.pdfs) console.log(`  ${label} found ${timing.count}, expected ${tree.pdfs}`);
    }
    const ours = timeOf("astros files.search (limit");
    const verdicts = [`no slower than find: ${ours <= find ? "yes" : "NO"}`];
    if (fd !== undefined) verdicts.push(`within 1.5× of fd: ${ours <= 1.5 * fd ? "yes" : "NO"}`);
    console.log(`targets: ${verdicts.join("; ")}`);
  } finally {
    tree.cleanup();
  }
}
