// The file boundary's cost: reading, writing (temp file, sync, rename) and renaming through folders opened
// without following links (PinnedFolder: /proc/self/fd/<fd>/<name>), against the same operations by plain path
// in the same run, on the same files. Reported as ratios: what "no check-then-use" costs per operation.
import { lstat, mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.env.ASTROS_BENCH_BOUNDARY_ROUNDS ?? 5_000);

async function timed(work) {
  for (let index = 0; index < Math.min(500, rounds); index++) await work(index);
  const started = process.hrtime.bigint();
  for (let index = 0; index < rounds; index++) await work(index);
  return Number(process.hrtime.bigint() - started) / 1e3 / rounds;
}

/** `count` stats of one file inside one bulk operation (the bench times them as `count` rounds). */
async function bulkStats(boundary, file, count) {
  for (let index = 0; index < count; index++) await boundary.lstatEntry(file);
}

export async function run() {
  const boundary = await import(pathToFileURL(path.join(root, "dist/exec/boundary/file-boundary.js")).href);
  const base = await mkdtemp(path.join(os.tmpdir(), "astros-bench-boundary-"));
  try {
    // A path as deep as a typical one under HOME: /tmp/x/home/user/Documents/projects/site/notes.txt
    const folder = path.join(base, "home", "user", "Documents", "projects", "site");
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, "notes.txt");
    await writeFile(file, "x".repeat(4096));
    const depth = folder.split("/").length - 1;
    const rows = [];
    const compare = async (what, plain, bounded) => {
      const plainMicros = await timed(plain);
      const boundedMicros = await timed(bounded);
      rows.push({ what, plainMicros, boundedMicros });
    };
    await compare(
      "read 4 KiB",
      () => readFile(file),
      async () => {
        const { handle } = await boundary.openForReading(file);
        try {
          await handle.readFile();
        } finally {
          await handle.close();
        }
      },
    );
    await compare(
      "stat",
      () => lstat(file),
      () => boundary.lstatEntry(file),
    );
    const { withFolderCache } = await import(pathToFileURL(path.join(root, "dist/exec/boundary/folder-cache.js")).href);
    await compare(
      "stat in a bulk operation (its folders opened once)",
      () => lstat(file),
      (index) => (index % 1000 === 0 ? withFolderCache(() => bulkStats(boundary, file, 1000)) : undefined),
    );
    await compare(
      "rename there and back",
      async () => {
        await rename(file, `${file}.moved`);
        await rename(`${file}.moved`, file);
      },
      async () => {
        await boundary.renameEntry(file, `${file}.moved`);
        await boundary.renameEntry(`${file}.moved`, file);
      },
    );
    const bytes = Buffer.from("y".repeat(4096));
    await compare(
      "write whole 4 KiB (temp, sync, rename)",
      async (index) => {
        const partial = path.join(folder, `.plain-${index}`);
        const handle = await open(partial, "wx");
        await handle.writeFile(bytes);
        await handle.sync();
        await handle.close();
        await rename(partial, path.join(folder, "written.txt"));
      },
      (index) => boundary.writeWholeFile(path.join(folder, "written.txt"), bytes, `.bounded-${index}`),
    );
    for (const { what, plainMicros, boundedMicros } of rows) {
      console.log(
        `boundary ${what}: ${boundedMicros.toFixed(1)} µs through pinned folders vs ${plainMicros.toFixed(1)} µs by path, ` +
          `×${(boundedMicros / plainMicros).toFixed(2)} (path ${depth} folders deep, ${rounds} rounds)`,
      );
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
