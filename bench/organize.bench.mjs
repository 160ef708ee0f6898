// Organize 100,000 files by type through the real agent (path guard, journal written and synced before
// each change), then undo it, against a bare baseline in the same run: plain fs.rename of the same files
// into the same folders, no journal. Checks that the tree after undo is byte-identical to before.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const count = Number(process.env.ASTROS_BENCH_ORGANIZE_FILES ?? 100_000);
const extensions = ["jpg", "png", "pdf", "docx", "mp3", "mp4", "zip", "txt", "py", "csv", "bin"];

async function makeTree(root) {
  await mkdir(root, { recursive: true });
  const writes = [];
  for (let index = 0; index < count; index += 1) {
    writes.push(writeFile(path.join(root, `file-${index}.${extensions[index % extensions.length]}`), `content ${index}\n`));
    if (writes.length >= 512) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  // On disk before anything is timed: the tree's writeback does not land in the timed runs.
  execFileSync("sync");
}

async function fingerprint(root) {
  const hash = createHash("sha256");
  const walk = async (folder) => {
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      hash.update(path.relative(root, full));
      if (entry.isDirectory()) await walk(full);
      else hash.update(await readFile(full));
    }
  };
  await walk(root);
  return hash.digest("hex");
}

export async function run() {
  const { AstrOSAgent } = await import("../dist/index.js");
  const base = await mkdtemp(path.join(os.tmpdir(), "astros-bench-organize-"));
  try {
    const root = path.join(base, "Downloads");
    console.log(`files: ${count}`);
    await makeTree(root);

    // Baseline: the same moves, bare.
    const bareRoot = path.join(base, "Bare");
    await makeTree(bareRoot);
    let started = performance.now();
    const folders = new Set();
    for (const name of await readdir(bareRoot)) {
      const folder = path.join(bareRoot, `by-${path.extname(name).slice(1)}`);
      if (!folders.has(folder)) {
        await mkdir(folder);
        folders.add(folder);
      }
      await rename(path.join(bareRoot, name), path.join(folder, name));
    }
    const bare = performance.now() - started;
    await rm(bareRoot, { recursive: true, force: true });

    const before = await fingerprint(root);
    const agent = new AstrOSAgent({
      configOverrides: {
        log_level: "silent",
        database: { url: "sqlite::memory:" },
        plugins: { auto_load: false },
        safety: { allowed_roots: [base], non_interactive: "allow" },
      },
      includeBundledPlugins: false,
      journalDirectory: path.join(base, ".journal"),
      trashDirectory: path.join(base, ".Trash"),
      audit: { record: async () => {} },
    });
    await agent.start();
    const request = { text: "organize", userId: "bench", context: { cwd: root } };
    started = performance.now();
    const organized = await agent.processRequest(request, { tool: { name: "files.organize", args: { path: root } } });
    const organizeMs = performance.now() - started;
    if (!organized.success) throw new Error(organized.message);
    started = performance.now();
    const undone = await agent.processRequest({ ...request, text: "undo" }, { tool: { name: "files.undo", args: {} } });
    const undoMs = performance.now() - started;
    await agent.stop();
    const identical = (await fingerprint(root)) === before;
    console.log("step                 ms      files/s   × bare rename");
    console.log(
      `bare fs.rename   ${bare.toFixed(0).padStart(7)}  ${Math.round(count / (bare / 1000))
        .toString()
        .padStart(9)}     1.00`,
    );
    for (const [label, ms] of [
      ["astros organize", organizeMs],
      ["astros undo    ", undoMs],
    ]) {
      console.log(
        `${label}  ${ms.toFixed(0).padStart(7)}  ${Math.round(count / (ms / 1000))
          .toString()
          .padStart(9)}  ${(ms / bare).toFixed(2).padStart(7)}`,
      );
    }
    console.log(`tree after undo byte-identical to before: ${identical ? "yes" : "NO"}; undo: ${undone.message.split("\n")[0]}`);
    if (!identical) process.exitCode = 1;
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
