#!/usr/bin/env node
// Everyday tasks, checked by execution: runs JSON-lines task files (test/tasks/*.jsonl by default) against a
// built AstrOS, each task in its own bubblewrap sandbox, and reports what passed and what changed that should not
// have. The format is the one of the shared development set (its README); the check helpers are ours
// (test/tasks/lib.sh, test/tasks/checklib.py).
//
//   node scripts/run-tasks.mjs [APPDIR] [--tasks FILE]... [--only ID,ID] [--category C,C] [--jobs N]
//                              [--out FILE] [--keep] [--reference] [--timeout S] [--tmpdir DIR]
//   node scripts/run-tasks.mjs --check-sandbox    (exit 0 when tasks can run here, else 3 saying why)
//
// stderr: one line a task (pass, FAIL with the check's reason, ERROR when the task's own set-up failed, and
// wrong_change). stdout: one summary line per category and, last,
// `tasks=N passed=P failed=F wrong_changes=W pass_rate=X`. Exit 0 when every task passed with no wrong change,
// 1 otherwise, 2 on a usage error, 3 when no sandbox can be made here.
import { appendFileSync, existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { removeFoldersInUse, runInSandbox, SANDBOX_PATH, sandboxProblem } from "./tasks/sandbox.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LIB_DIR = path.join(REPO, "test", "tasks");
const EXPECTS = ["change", "answer", "no_change", "refuse"];

function die(message, code = 2) {
  process.stderr.write(`run-tasks: ${message}\n`);
  process.exit(code);
}

/** The tasks of one JSON-lines file, each checked for the fields a task must have. */
export function loadTasks(file, seen = new Set()) {
  const tasks = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, index) => {
      if (!line.trim()) return;
      const where = `${file}:${index + 1}`;
      let task;
      try {
        task = JSON.parse(line);
      } catch (error) {
        die(`${where}: not JSON: ${error.message}`);
      }
      for (const field of ["id", "category", "turns", "check", "expect"]) {
        if (!(field in task)) die(`${where}: no "${field}"`);
      }
      if (seen.has(task.id)) die(`${where}: id ${task.id} is used twice`);
      if (!EXPECTS.includes(task.expect)) die(`${where}: expect must be one of ${EXPECTS.join(", ")}`);
      if (!Array.isArray(task.turns) || task.turns.length === 0) die(`${where}: turns must be a non-empty list`);
      seen.add(task.id);
      tasks.push(task);
    });
  return tasks;
}

export function summaryLine(rows) {
  const passed = rows.filter((r) => r.pass).length;
  const wrong = rows.filter((r) => r.wrong_change).length;
  const rate = rows.length ? passed / rows.length : 0;
  return `tasks=${rows.length} passed=${passed} failed=${rows.length - passed} wrong_changes=${wrong} pass_rate=${rate.toFixed(3)}`;
}

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tasks: { type: "string", multiple: true },
      only: { type: "string" },
      category: { type: "string" },
      jobs: { type: "string", default: "1" },
      out: { type: "string" },
      keep: { type: "boolean", default: false },
      reference: { type: "boolean", default: false },
      timeout: { type: "string", default: "60" },
      tmpdir: { type: "string" },
      "check-sandbox": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      `${readFileSync(fileURLToPath(import.meta.url), "utf8")
        .split("\n")
        .filter((line) => line.startsWith("// "))
        .join("\n")}\n`,
    );
    process.exit(0);
  }
  if (values["check-sandbox"]) {
    const problem = sandboxProblem();
    if (problem) die(problem, 3);
    process.exit(0);
  }
  if (positionals.length > 1) die("one APPDIR at most");
  return { ...values, appDir: realpathSync(positionals[0] ?? REPO) };
}

function pickTasks(o) {
  const files =
    o.tasks ??
    readdirSync(LIB_DIR)
      .filter((f) => f.endsWith(".jsonl"))
      .sort()
      .map((f) => path.join(LIB_DIR, f));
  const seen = new Set();
  let tasks = files.flatMap((file) => loadTasks(file, seen));
  if (o.only) {
    const wanted = o.only
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = wanted.filter((id) => !seen.has(id));
    if (unknown.length) die(`no such task: ${unknown.join(", ")}`);
    tasks = tasks.filter((t) => wanted.includes(t.id));
  }
  if (o.category) {
    const categories = new Set(o.category.split(","));
    tasks = tasks.filter((t) => categories.has(t.category));
  }
  if (o.reference) tasks = tasks.filter((t) => t.reference);
  if (!tasks.length) die("no tasks to run");
  return tasks;
}

function reasonOf(row) {
  if (row.error) return `: ${row.error.trim().split("\n")[0].slice(0, 160)}`;
  if (row.pass) return "";
  const fails = row.check_output.split("\n").filter((l) => l.startsWith("FAIL"));
  return `: ${(fails.at(-1) ?? row.check_output.trim().slice(-160)).slice(0, 200)}`;
}

async function main() {
  const o = options();
  const main = path.join(o.appDir, "dist", "cli", "main.js");
  if (!existsSync(main)) die(`${main} does not exist: build AstrOS first (npm install, or npm run build)`);
  const tasks = pickTasks(o);
  const problem = sandboxProblem();
  if (problem) die(problem, 3);
  const node = realpathSync(process.execPath);
  // node or python installed under /home or /tmp would be hidden by the sandbox's own: bind their prefix too
  const python = ["/usr/bin/python3", "/usr/local/bin/python3"].find(existsSync);
  const extraBinds = [node, python && realpathSync(python)]
    .filter((p) => p && /^\/(home|tmp)\//.test(p))
    .map((p) => path.dirname(path.dirname(p)));
  const searchPath = [...new Set([path.dirname(node), ...SANDBOX_PATH.split(":")])].join(":");
  const run = {
    node,
    main,
    appDir: o.appDir,
    libDir: LIB_DIR,
    path: searchPath,
    reference: o.reference,
    timeout: Number(o.timeout),
    tmpdir: o.tmpdir,
    keep: o.keep,
    extraBinds,
  };

  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      removeFoldersInUse();
      process.exit(130);
    });
  }
  const started = Date.now();
  const rows = [];
  if (o.out) writeFileSync(o.out, "");
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      const result = await runInSandbox(task, run);
      const row = {
        id: task.id,
        category: task.category,
        expect: task.expect,
        pass: Boolean(result.pass) && !result.error,
        wrong_change: (result.unexpected ?? []).length > 0,
        exit: result.exit ?? null,
        answer: (result.output ?? "").slice(0, 300),
        changed: (result.changes ?? []).map((c) => `${c.change} ${c.path}`),
        unexpected_changes: result.unexpected ?? [],
        check_output: (result.check_output ?? "").slice(-1000),
        seconds: result.wall,
        ...(result.error ? { error: result.error } : {}),
        ...(result.kept ? { kept: result.kept } : {}),
      };
      rows.push(row);
      if (o.out) appendFileSync(o.out, `${JSON.stringify(row)}\n`);
      const verdict = row.error ? "ERROR" : row.pass ? "pass " : "FAIL ";
      const flag = row.wrong_change ? " wrong_change" : "";
      const kept = row.kept ? `  [${row.kept}]` : "";
      const count = String(rows.length).padStart(3);
      process.stderr.write(
        `[${count}/${tasks.length}] ${verdict} ${task.id.padEnd(24)}${flag} (${row.seconds}s)${reasonOf(row)}${kept}\n`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Number(o.jobs) || 1) }, worker));

  const categories = [...new Set(tasks.map((t) => t.category))];
  for (const category of categories) {
    process.stdout.write(`${category.padEnd(14)} ${summaryLine(rows.filter((r) => r.category === category))}\n`);
  }
  process.stderr.write(`run time: ${Math.round((Date.now() - started) / 1000)} s (${o.jobs} job(s))\n`);
  process.stdout.write(`${summaryLine(rows)}\n`);
  process.exitCode = rows.every((r) => r.pass && !r.wrong_change) ? 0 : 1;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
