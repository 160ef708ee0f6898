import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** One line of scripts/run-tasks.mjs --out. */
export interface TaskRow {
  id: string;
  category: string;
  pass: boolean;
  wrong_change: boolean;
  answer: string;
  changed: string[];
  unexpected_changes: string[];
  check_output: string;
  error?: string;
}

interface TaskLine {
  id: string;
  category: string;
}

/**
 * A small, fixed sample of the task files in `folder`: per category the first task and the one in the middle
 * (when there are three or more), so every kind of request is tried and the run stays under a minute.
 */
export function sampleOfOwnTasks(folder: string, perCategory = 2): TaskLine[] {
  const byCategory = new Map<string, TaskLine[]>();
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()) {
    for (const line of readFileSync(path.join(folder, file), "utf8").split("\n")) {
      if (!line.trim()) continue;
      const task = JSON.parse(line) as TaskLine;
      byCategory.set(task.category, [...(byCategory.get(task.category) ?? []), task]);
    }
  }
  const sample: TaskLine[] = [];
  for (const tasks of byCategory.values()) {
    const picks = new Set([0, Math.floor(tasks.length / 2)].slice(0, perCategory));
    for (const index of picks) {
      const task = tasks[index];
      if (task) sample.push(task);
    }
  }
  return sample;
}

/** Why no task sandbox can be made here (bubblewrap missing or not allowed), or undefined when one can. */
export function taskSandboxProblem(repositoryRoot: string): string | undefined {
  const probe = spawnSync(process.execPath, ["scripts/run-tasks.mjs", "--check-sandbox"], {
    cwd: repositoryRoot,
    encoding: "utf8",
  });
  if (probe.status === 0) return undefined;
  return (probe.stderr || probe.error?.message || `exit ${probe.status}`).replace(/^run-tasks: /, "").trim();
}
