// files.duplicates over a generated tree of small files, a few hundred large ones and known copies, against
// `jdupes -r` and `rdfind -dryrun true` on the same tree in the same run; each tool's groups are checked against the
// copies the generator made. AstrOS's finder is called in-process (no agent, no Node start-up).
// BENCH_SCAN_FILES sets the number of small files (default 200,000; the large ones scale with it),
// BENCH_DUPLICATES_RUNS the rounds (default 5; each tool runs once a round; every run is printed, the median counts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateDuplicateTree } from "./generate-tree.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function installed(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function timeCommand(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 30, ...options });
  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return { milliseconds, output: result.stdout };
}

/** Groups as comparable text: each group's sorted paths, the groups sorted. */
function signature(groups) {
  return groups
    .map((group) => [...group].sort().join("\n"))
    .sort()
    .join("\n\n");
}

/** jdupes prints each group's paths on consecutive lines, groups separated by a blank line. */
function jdupesGroups(output) {
  return output
    .split(/\n\s*\n/)
    .map((block) => block.split("\n").filter((line) => line !== ""))
    .filter((group) => group.length > 1);
}

/** rdfind's results file: "duptype id depth size device inode priority name", a group's members share |id|. */
function rdfindGroups(text) {
  const groups = new Map();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const fields = line.split(" ");
    const id = Math.abs(Number(fields[1]));
    const name = fields.slice(7).join(" ");
    groups.set(id, [...(groups.get(id) ?? []), name]);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/** Runs every tool once per round, round after round (so a busy moment on the machine hits all of them), and gives
 * each tool's median run with every run's time (the machine is shared: the spread shows the noise). */
async function medianInRounds(rounds, tools) {
  const runs = new Map(tools.map(([label]) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [label, work] of tools) runs.get(label).push(await work());
  }
  return tools.map(([label]) => {
    const sorted = [...runs.get(label)].sort((a, b) => a.milliseconds - b.milliseconds);
    return [label, { ...sorted[Math.floor(sorted.length / 2)], all: runs.get(label) }];
  });
}

export async function run() {
  const { findDuplicates } = await import(pathToFileURL(path.join(root, "dist/tools/file-scan/find-duplicates.js")).href);
  const smallFiles = Number(process.env.BENCH_SCAN_FILES ?? 200_000);
  const largeFiles = Math.max(20, Math.round((300 * smallFiles) / 200_000));
  const runs = Number(process.env.BENCH_DUPLICATES_RUNS ?? 5);
  const generating = performance.now();
  const tree = generateDuplicateTree({ smallFiles, largeFiles });
  const expected = signature(tree.groups);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "astros-bench-rdfind-"));
  console.log(
    `tree: ${tree.files.toLocaleString("en-US")} files, ${(tree.bytes / 2 ** 30).toFixed(2)} GiB, ${tree.groups.length} groups of copies, hard links (made in ${((performance.now() - generating) / 1000).toFixed(1)} s); warm cache; median of ${runs} interleaved runs`,
  );
  try {
    const tools = [
      [
        "astros files.duplicates",
        async () => {
          const started = performance.now();
          const result = await findDuplicates({ root: tree.root });
          return {
            milliseconds: performance.now() - started,
            groups: result.groups.map((group) => group.files.map((file) => file.path)),
            reclaimable: result.reclaimable,
          };
        },
      ],
    ];
    if (installed("jdupes")) {
      tools.push([
        "jdupes -r",
        () => {
          const { milliseconds, output } = timeCommand("jdupes", ["-r", "-q", tree.root]);
          return { milliseconds, groups: jdupesGroups(output) };
        },
      ]);
    } else {
      console.log("jdupes: not installed: apt install jdupes");
    }
    if (installed("rdfind")) {
      const results = path.join(scratch, "results.txt");
      tools.push([
        "rdfind -dryrun true",
        () => {
          const { milliseconds } = timeCommand("rdfind", ["-dryrun", "true", "-outputname", results, tree.root], {
            cwd: scratch,
          });
          return { milliseconds, groups: rdfindGroups(readFileSync(results, "utf8")) };
        },
      ]);
    } else {
      console.log("rdfind: not installed: apt install rdfind");
    }
    // One untimed round: every file read once by every tool, so the page cache is warm and the first read's
    // access-time updates (AstrOS reads with O_NOATIME, the others do not) are behind every tool before any is timed.
    for (const [, work] of tools) await work();
    const rows = await medianInRounds(runs, tools);

    const ours = rows[0][1].milliseconds;
    console.log("tool                       median ms   groups   same groups as planted (every run)   × astros   every run (ms)");
    for (const [label, timing] of rows) {
      const same = timing.all.every((each) => signature(each.groups) === expected) ? "yes" : "NO";
      console.log(
        `${label.padEnd(26)} ${timing.milliseconds.toFixed(0).padStart(9)} ${String(timing.groups.length).padStart(8)} ${same.padStart(36)} ${(timing.milliseconds / ours).toFixed(2).padStart(10)}   ${timing.all.map((each) => each.milliseconds.toFixed(0)).join(" ")}`,
      );
    }
    const reclaimable = rows[0][1].reclaimable;
    console.log(
      `astros reclaimable bytes: ${reclaimable} (planted: ${tree.reclaimable}) ${reclaimable === tree.reclaimable ? "exact" : "WRONG"}`,
    );
    const slower = rows.slice(1).filter(([, timing]) => timing.milliseconds <= ours);
    console.log(
      `target: faster than ${rows
        .slice(1)
        .map(([label]) => label.split(" ")[0])
        .join(" and ")}: ${rows.length > 1 && slower.length === 0 ? "yes" : "NO"}`,
    );
  } finally {
    tree.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}
