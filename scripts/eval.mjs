#!/usr/bin/env node
// `npm run eval` (after the build): every execution-checked task of ours (test/tasks/*.jsonl) with
// scripts/run-tasks.mjs and, when the shared development set is beside the repository (../shared/eval/tasks, or
// /work/shared/eval/tasks), that set with its own runner. Prints each run's per-category lines and, last, the
// figures of both. Options: --jobs N (tasks side by side, default 2), --out-dir DIR (one JSON line per task,
// own.jsonl and shared.jsonl). Exit 1 when one of our own tasks fails or changes what it should not.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHARED_PLACES = [path.resolve(REPO, "..", "shared", "eval", "tasks"), "/work/shared/eval/tasks"];

const { values } = parseArgs({
  options: { jobs: { type: "string", default: "2" }, "out-dir": { type: "string" } },
});

let current;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    current?.kill(signal); // the runner stops its sandboxes; then we go too
    process.exit(130);
  });
}

/** Runs a task runner with its progress on our stderr; resolves its exit code and the summary lines it printed. */
function runner(title, argv) {
  process.stdout.write(`\n== ${title}\n`);
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
    current = child;
    let said = "";
    child.stdout.on("data", (chunk) => {
      said += chunk;
      process.stdout.write(chunk);
    });
    child.on("error", (error) => resolve({ code: 127, last: `could not start: ${error.message}` }));
    child.on("close", (code) => {
      const last = said.trim().split("\n").at(-1) ?? "";
      resolve({ code, last: last.startsWith("tasks=") ? last : `no figures (exit ${code})` });
    });
  });
}

const out = (name) => (values["out-dir"] ? ["--out", path.join(values["out-dir"], name)] : []);
const own = await runner("our tasks (test/tasks/*.jsonl)", [
  process.execPath,
  path.join(REPO, "scripts", "run-tasks.mjs"),
  REPO,
  "--jobs",
  values.jobs,
  ...out("own.jsonl"),
]);

const sharedDir = SHARED_PLACES.find((dir) => existsSync(path.join(dir, "run-tasks")));
let shared;
if (sharedDir) {
  shared = await runner(`the shared development set (${sharedDir})`, [
    path.join(sharedDir, "run-tasks"),
    REPO,
    "--jobs",
    values.jobs,
    ...out("shared.jsonl"),
  ]);
}

process.stdout.write("\n== figures\n");
process.stdout.write(`own     ${own.last}\n`);
process.stdout.write(`shared  ${shared ? shared.last : `not run: no shared set at ${SHARED_PLACES.join(" or ")}`}\n`);
process.exitCode = own.code === 0 ? 0 : 1;
