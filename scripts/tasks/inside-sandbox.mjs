// One task, inside its bubblewrap sandbox (started by scripts/run-tasks.mjs, which sends the task as JSON on
// stdin): set-up, snapshot, AstrOS (or the task's reference), second snapshot, check. Prints one JSON line.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { capture } from "./capture.mjs";
import { ASTROS_OWN, changesBetween, impliedAllowedChanges, snapshot, TRASH, unexpectedChanges } from "./snapshot.mjs";

const USER = "alex";
const STANDARD_FOLDERS = ["Desktop", "Documents", "Downloads", "Music", "Pictures", "Videos"];

const spec = JSON.parse(readFileSync(0, "utf8"));
const { task, home, work } = spec;

const baseEnv = {
  HOME: home,
  USER,
  LOGNAME: USER,
  SHELL: "/bin/bash",
  PATH: spec.path,
  LANG: "C.UTF-8",
  LC_ALL: "C.UTF-8",
  TZ: "UTC",
  TERM: "dumb",
  NO_COLOR: "1",
  TMPDIR: "/tmp",
  XDG_CONFIG_HOME: `${home}/.config`,
  XDG_DATA_HOME: `${home}/.local/share`,
  XDG_STATE_HOME: `${home}/.local/state`,
  XDG_CACHE_HOME: `${home}/.cache`,
  XDG_RUNTIME_DIR: `/tmp/runtime-${USER}`,
};
/** What set-up, checks and references see besides: where the helpers are and, for astros_do and probe, AstrOS. */
const helperEnv = { ...baseEnv, TASK_DIR: spec.libDir, TASK_ID: task.id, PYTHONDONTWRITEBYTECODE: "1" };
const withAstros = { TASK_NODE: spec.node, TASK_APP_MAIN: spec.main };

function script(name, body) {
  const file = path.join(work, name);
  writeFileSync(file, `. "$TASK_DIR/lib.sh"\nset -e -o pipefail\n${body ?? ""}\n`);
  return file;
}

async function step(name, body, env) {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  const run = await capture(["bash", script(`${name}.sh`, body)], {
    cwd: home,
    env,
    timeoutSeconds: spec.timeout,
    dir,
  });
  return { ...run, text: readFileSync(run.files.output, "utf8") };
}

async function main() {
  mkdirSync(baseEnv.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  for (const folder of [".config", ".local/share", ".local/state", ".cache", ...STANDARD_FOLDERS]) {
    mkdirSync(path.join(home, folder), { recursive: true });
  }

  const setup = await step("setup", task.setup, { ...helperEnv, ...withAstros });
  if (setup.exit !== 0) return { error: `setup failed (${setup.exit}): ${setup.text.slice(-2000)}` };

  const cwd = task.cwd ? path.join(home, task.cwd) : home;
  mkdirSync(cwd, { recursive: true });
  const excluded = [...ASTROS_OWN, ...(spec.includeTrash ? [] : [TRASH])];
  const before = snapshot(home, excluded);
  const snapshotFile = path.join(work, "snapshot.json");
  writeFileSync(snapshotFile, JSON.stringify({ entries: before, excluded }));

  let argv;
  let stdin;
  let env = { ...baseEnv, ...(task.env ?? {}) };
  if (spec.reference) {
    argv = ["bash", script("reference.sh", task.reference)];
    env = { ...helperEnv, ...(task.env ?? {}) };
  } else if (task.turns.length === 1) {
    argv = [spec.node, spec.main, ...(task.yes === false ? [] : ["--yes"]), task.turns[0]];
  } else {
    argv = [spec.node, spec.main];
    stdin = `${task.turns.join("\n")}\n`;
  }
  const astrosDir = path.join(work, "astros");
  mkdirSync(astrosDir, { recursive: true });
  const run = await capture(argv, { cwd, env, stdin, timeoutSeconds: spec.timeout, dir: astrosDir });

  const after = snapshot(home, excluded);
  const changes = changesBetween(before, after);
  const changesFile = path.join(work, "changes.json");
  writeFileSync(changesFile, JSON.stringify(changes));

  const check = await step("check", task.check, {
    ...helperEnv,
    ...(spec.reference ? {} : withAstros),
    ASTROS_STDOUT_FILE: run.files.stdout,
    ASTROS_STDERR_FILE: run.files.stderr,
    ASTROS_OUTPUT_FILE: run.files.output,
    ASTROS_EXIT: String(run.exit),
    ASTROS_SNAPSHOT_FILE: snapshotFile,
    ASTROS_CHANGES_FILE: changesFile,
  });

  let unexpected;
  if (task.expect !== "change") unexpected = changes.map((c) => c.path);
  else unexpected = unexpectedChanges(changes, task.allowed_changes ?? impliedAllowedChanges(task.check, before, after));
  return {
    exit: run.exit,
    seconds: run.seconds,
    output: readFileSync(run.files.output, "utf8").slice(0, 65536),
    pass: check.exit === 0,
    check_output: check.timedOut ? "the check timed out" : check.text.slice(-4000),
    changes,
    unexpected,
  };
}

let result;
try {
  result = await main();
} catch (error) {
  result = { error: `the runner failed inside the sandbox: ${error?.stack ?? error}` };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
