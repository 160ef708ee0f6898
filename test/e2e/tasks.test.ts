import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, repositoryRoot } from "./run-cli.js";
import { sampleOfOwnTasks, type TaskRow, taskSandboxProblem } from "./task-sample.js";

/**
 * A fast sample of our execution-checked tasks (test/tasks/*.jsonl, a few per category): each runs for real in
 * its own bubblewrap sandbox through scripts/run-tasks.mjs and is judged by what happened on disk and in the
 * answer. `npm run eval` runs all of them (and the shared set when it is beside the repository).
 */
const sample = sampleOfOwnTasks(path.join(repositoryRoot, "test", "tasks"));
const problem = taskSandboxProblem(repositoryRoot);
const required = process.env.ASTROS_REQUIRE_SERVICES === "1";
if (problem && !required) console.warn(`SKIPPED: the execution-checked task sample needs bubblewrap. ${problem}`);

describe.runIf(!problem || required)("the execution-checked task sample (test/tasks)", () => {
  const rows = new Map<string, TaskRow>();
  let scratch = "";
  let runnerOutput = "";

  beforeAll(async () => {
    if (problem) return;
    scratch = await mkdtemp(path.join(os.tmpdir(), "astros-tasks-test-"));
    const out = path.join(scratch, "results.jsonl");
    const args = ["scripts/run-tasks.mjs", "--only", sample.map((t) => t.id).join(","), "--jobs", "2"];
    const run = await promisify(execFile)(process.execPath, [...args, "--out", out, "--tmpdir", scratch], {
      cwd: repositoryRoot,
      timeout: 170_000,
    }).catch((failure: { stdout?: string; stderr?: string }) => failure);
    runnerOutput = `${run.stdout ?? ""}${run.stderr ?? ""}`;
    const lines = await readFile(out, "utf8").catch(() => "");
    for (const line of lines.split("\n").filter(Boolean)) {
      const row = JSON.parse(line) as TaskRow;
      rows.set(row.id, row);
    }
  }, 180_000);

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("can make a sandbox here (bubblewrap, required by ASTROS_REQUIRE_SERVICES=1)", () => {
    expect(problem, "bubblewrap is needed for the task sample").toBeUndefined();
  });

  it("has a built AstrOS and a sample covering every category", () => {
    expect(cliPath).toMatch(/dist\/cli\/main\.js$/);
    expect(sample.length).toBeGreaterThan(0);
  });

  it.each(sample.map((t) => [t.id, t.category] as const))("%s (%s) does what was asked", (id) => {
    const row = rows.get(id);
    expect(row, `no result for ${id}; the runner said:\n${runnerOutput.slice(-3000)}`).toBeDefined();
    if (!row) return;
    const story = [
      `task ${id}: ${row.error ? `ERROR ${row.error}` : row.pass ? "passed" : "FAILED"}`,
      `check output: ${row.check_output.trim() || "(none)"}`,
      `answer: ${row.answer.trim()}`,
      `changed: ${row.changed.join(", ") || "(nothing)"}`,
      `changes not allowed: ${row.unexpected_changes.join(", ") || "(none)"}`,
    ].join("\n");
    expect(row.error ?? "", story).toBe("");
    expect(row.pass, story).toBe(true);
    expect(row.wrong_change, story).toBe(false);
  });
});
