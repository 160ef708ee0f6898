import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../core/events/agent-event.js";
import { startToolAgent, type ToolAgent, type ToolCallOptions } from "../testing/start-tool-agent.js";
import { createFileTools } from "./files-plugin.js";

let base: string;
let root: string;
let agent: ToolAgent;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-files-"));
  root = path.join(base, "Downloads");
  await mkdir(root);
  agent = await startToolAgent({ root: base, plugins: [createFileTools()], safety: { bulk_threshold: 20 } });
});
afterEach(async () => {
  await agent.stop();
  await rm(base, { recursive: true, force: true });
});

const yes = { confirm: async () => true } satisfies ToolCallOptions;

function tool(name: string, args: Record<string, unknown>, options: ToolCallOptions = {}) {
  return agent.call(name, args, { ...options, cwd: root });
}

/** The names of the entries a files.list response lists. */
function names(response: { data?: Record<string, unknown> }): string[] {
  return ((response.data?.entries ?? []) as Array<{ name: string }>).map((entry) => entry.name);
}

function undo(options: ToolCallOptions = yes) {
  return agent.call("files.undo", {}, options);
}

/** Every file under a folder: relative path → sha256, mode and mtime (a symbolic link: where it points). */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        result[`${path.relative(folder, full)}/`] = "dir";
        await walk(full);
      } else if (entry.isSymbolicLink()) {
        result[path.relative(folder, full)] = `link to ${await readlink(full)}`;
      } else {
        const info = await lstat(full);
        result[path.relative(folder, full)] = `${createHash("sha256")
          .update(await readFile(full))
          .digest("hex")} ${info.mode} ${info.mtimeMs}`;
      }
    }
  };
  await walk(folder);
  return result;
}

const hashes = async (folder: string) =>
  Object.values(await snapshot(folder))
    .filter((value) => value !== "dir")
    .map((value) => value.split(" ")[0])
    .sort();

/** A minimal JPEG whose EXIF says when the photo was taken (DateTimeOriginal, "YYYY:MM:DD HH:MM:SS"). */
function jpegTakenOn(date: string): Buffer {
  const tiff = Buffer.alloc(64);
  tiff.write("II", 0, "ascii");
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  // IFD0: one entry, the pointer to the Exif IFD at offset 26.
  tiff.writeUInt16LE(1, 8);
  tiff.writeUInt16LE(0x8769, 10);
  tiff.writeUInt16LE(4, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt32LE(26, 18);
  // Exif IFD: DateTimeOriginal, 20 ASCII bytes at offset 44.
  tiff.writeUInt16LE(1, 26);
  tiff.writeUInt16LE(0x9003, 28);
  tiff.writeUInt16LE(2, 30);
  tiff.writeUInt32LE(20, 32);
  tiff.writeUInt32LE(44, 36);
  tiff.write(`${date}\0`, 44, "ascii");
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "binary"), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(payload.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), length, payload, Buffer.from([0xff, 0xd9])]);
}

/** A Downloads folder full of name collisions with what earlier organizing left in place. */
async function messyDownloads(count: number): Promise<void> {
  const extensions = ["jpg", "pdf", "mp3", "zip", "txt", "unknownext", "py"];
  for (let index = 0; index < count; index += 1) {
    const extension = extensions[index % extensions.length];
    const name = `file ${index % 6}.${extension}`;
    const target = path.join(root, name);
    if (existsSync(target)) {
      // Same name again: put it in the folder organizing will use, so the move collides.
      const folder = {
        jpg: "Images",
        pdf: "Documents",
        mp3: "Audio",
        zip: "Archives",
        txt: "Text",
        unknownext: "Other",
        py: "Code",
      }[extension as "jpg"];
      await mkdir(path.join(root, folder), { recursive: true });
      await writeFile(path.join(root, folder, name), `already organized ${index}`);
    }
    await writeFile(path.join(root, `${index}-${name}`), `download ${index}`);
    await writeFile(target, `latest ${name} ${index}`);
    await utimes(target, new Date(2024, index % 12, 3), new Date(2024, index % 12, 3));
  }
  await writeFile(path.join(root, ".hidden-config"), "hidden");
}

describe("files.organize", () => {
  it("sorts a folder full of name collisions without losing a byte, and undo restores it exactly", async () => {
    await messyDownloads(60);
    const before = await snapshot(root);
    const beforeHashes = await hashes(root);

    const response = await tool("files.organize", { path: root, method: "type" }, yes);
    expect(response.success, response.message).toBe(true);
    expect(response.message).toMatch(/got new names because theirs were taken/);
    expect(Number(response.data?.renamed)).toBeGreaterThan(0);
    expect(await hashes(root)).toEqual(beforeHashes);
    const loose = (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
    expect(loose).toEqual([".hidden-config"]);
    expect(await readdir(path.join(root, "Images"))).toContain("file 0 (1).jpg");

    const undone = await undo();
    expect(undone.success, undone.message).toBe(true);
    expect(await snapshot(root)).toEqual(before);
  });

  it("shows the exact plan on a dry run, new names included, changes nothing, and the run then does just that", async () => {
    await messyDownloads(60);
    const before = await snapshot(root);
    const response = await tool("files.organize", { path: root, dryRun: true });
    expect(response.success).toBe(true);
    expect(response.message).toContain("nothing moved yet");
    expect(response.message).toMatch(/\d+ would get new names because theirs are taken/);
    const plan = response.data?.plan as Array<{ from: string; folder: string; to: string; collision: boolean }>;
    expect(plan.find((move) => move.from === path.join(root, "file 0.jpg"))).toMatchObject({
      to: path.join(root, "Images", "file 0 (1).jpg"),
      collision: true,
    });
    expect(plan.find((move) => move.from.endsWith("0-file 0.jpg"))?.folder).toBe("Images");
    expect(plan.find((move) => move.from.endsWith(".unknownext"))?.folder).toBe("Other");
    expect(await snapshot(root)).toEqual(before);

    const done = await tool("files.organize", { path: root }, yes);
    const moved = done.data?.moved as Array<{ from: string; to: string; collision: boolean }>;
    expect(moved.map(({ from, to, collision }) => ({ from, to, collision }))).toEqual(
      plan.map(({ from, to, collision }) => ({ from, to, collision })),
    );
  });

  it("gives its folder another name where a file already holds the name, and moves that file too", async () => {
    await writeFile(path.join(root, "a.jpg"), "photo");
    await writeFile(path.join(root, "Images"), "a file called Images");
    await writeFile(path.join(root, "Other"), "a file called Other");
    const before = await hashes(root);
    const response = await tool("files.organize", { path: root });
    expect(response.success, response.message).toBe(true);
    expect(await readFile(path.join(root, "Images (1)", "a.jpg"), "utf8")).toBe("photo");
    expect(await readFile(path.join(root, "Other (1)", "Images"), "utf8")).toBe("a file called Images");
    expect(await readFile(path.join(root, "Other (1)", "Other"), "utf8")).toBe("a file called Other");
    expect(await hashes(root)).toEqual(before);
  });

  it("sorts by size bands and by extension, and reports progress on a long run", async () => {
    await writeFile(path.join(root, "small.bin"), Buffer.alloc(10));
    await writeFile(path.join(root, "bigger.bin"), Buffer.alloc(200 * 1024));
    await writeFile(path.join(root, "Notes.TXT"), "n");
    await writeFile(path.join(root, "Makefile"), "all:");
    expect((await tool("files.organize", { path: root, method: "size" })).success).toBe(true);
    expect(existsSync(path.join(root, "Tiny (under 100 KB)", "small.bin"))).toBe(true);
    expect(existsSync(path.join(root, "Small (100 KB to 1 MB)", "bigger.bin"))).toBe(true);
    await undo();
    expect((await tool("files.organize", { path: root, method: "extension" })).success).toBe(true);
    expect(existsSync(path.join(root, "txt", "Notes.TXT"))).toBe(true);
    expect(existsSync(path.join(root, "no extension", "Makefile"))).toBe(true);
    await undo();

    for (let index = 0; index < 120; index += 1) await writeFile(path.join(root, `f${index}.txt`), `${index}`);
    const events: AgentEvent[] = [];
    expect((await tool("files.organize", { path: root }, { ...yes, events })).success).toBe(true);
    const progress = events.flatMap((event) =>
      event.type === "status" && event.message.startsWith("organized") ? [`${event.progress} ${event.message}`] : [],
    );
    expect(progress.at(-1)).toBe("100 organized 124 of 124 files");
  });

  it("asks before organizing more files than the bulk threshold, and does nothing without a yes", async () => {
    await messyDownloads(30);
    const before = await snapshot(root);
    const asked: string[] = [];
    const refused = await tool(
      "files.organize",
      { path: root },
      {
        confirm: async (request) => {
          asked.push(`${request.kind} ${request.count} ${request.summary}`);
          return false;
        },
      },
    );
    expect(refused.success).toBe(false);
    expect(asked[0]).toMatch(/^bulk 60 organize .* by type: 60 files into \w+ \(\d+\), /);
    expect(await snapshot(root)).toEqual(before);
    expect((await tool("files.organize", { path: root })).success).toBe(false);
    expect(await snapshot(root)).toEqual(before);
  });

  it("sorts by date into YYYY/MM or YYYY-MM folders from the modification time", async () => {
    await writeFile(path.join(root, "a.txt"), "a");
    await utimes(path.join(root, "a.txt"), new Date(2023, 6, 14), new Date(2023, 6, 14));
    await writeFile(path.join(root, "b.txt"), "b");
    await utimes(path.join(root, "b.txt"), new Date(2024, 0, 2), new Date(2024, 0, 2));
    expect((await tool("files.organize", { path: root, method: "date" })).success).toBe(true);
    expect(existsSync(path.join(root, "2023", "07", "a.txt"))).toBe(true);
    expect(existsSync(path.join(root, "2024", "01", "b.txt"))).toBe(true);
    await undo();
    expect((await tool("files.organize", { path: root, method: "date", dateFormat: "YYYY-MM" })).success).toBe(true);
    expect(existsSync(path.join(root, "2023-07", "a.txt"))).toBe(true);
  });

  it("sorts photos by the date they were taken (EXIF), not the file's modification time", async () => {
    await writeFile(path.join(root, "holiday.jpg"), jpegTakenOn("2019:05:17 14:30:00"));
    await utimes(path.join(root, "holiday.jpg"), new Date(2024, 2, 3), new Date(2024, 2, 3));
    await writeFile(path.join(root, "notes.txt"), "n");
    await utimes(path.join(root, "notes.txt"), new Date(2024, 2, 3), new Date(2024, 2, 3));
    expect((await tool("files.organize", { path: root, method: "date" })).success).toBe(true);
    expect(existsSync(path.join(root, "2019", "05", "holiday.jpg"))).toBe(true);
    expect(existsSync(path.join(root, "2024", "03", "notes.txt"))).toBe(true);
  });

  it("refuses a folder outside the allowed roots", async () => {
    const response = await tool("files.organize", { path: "/etc" });
    expect(response.metadata.error?.code).toBe("PATH_DENIED");
  });
});

describe("files.list", () => {
  it("lists the request's folder, hiding dot files unless asked, and filters by kind", async () => {
    await writeFile(path.join(root, "a.jpg"), "a");
    await writeFile(path.join(root, "b.pdf"), "b");
    await writeFile(path.join(root, ".secret"), "c");
    await mkdir(path.join(root, "sub"));
    const all = await tool("files.list", {});
    expect(names(all)).toEqual(["a.jpg", "b.pdf", "sub"]);
    expect(all.message).toContain("sub/");
    const images = await tool("files.list", { kind: "image" });
    expect(names(images)).toEqual(["a.jpg"]);
    const hidden = await tool("files.list", { hidden: true });
    expect(names(hidden)).toContain(".secret");
  });
});

describe("files.move, copy, rename, delete, write, read", () => {
  it("moves a filtered set, never overwriting, and reports the new names", async () => {
    const documents = path.join(base, "Documents");
    await mkdir(documents);
    await writeFile(path.join(root, "a.pdf"), "new a");
    await writeFile(path.join(root, "b.pdf"), "b");
    await writeFile(path.join(root, "c.txt"), "c");
    await writeFile(path.join(documents, "a.pdf"), "old a");
    const response = await tool("files.move", { source: root, destination: documents, ext: ["pdf"] });
    expect(response.success, response.message).toBe(true);
    expect(response.message).toContain("1 got new names");
    expect(await readFile(path.join(documents, "a.pdf"), "utf8")).toBe("old a");
    expect(await readFile(path.join(documents, "a (1).pdf"), "utf8")).toBe("new a");
    expect(existsSync(path.join(root, "c.txt"))).toBe(true);
    await undo();
    expect(await readFile(path.join(root, "a.pdf"), "utf8")).toBe("new a");
    expect(await readdir(documents)).toEqual(["a.pdf"]);
  });

  it("undoes a chosen earlier operation by its id from the history, leaving the later ones as they are", async () => {
    await writeFile(path.join(root, "first.txt"), "1");
    await writeFile(path.join(root, "second.txt"), "2");
    const first = await tool("files.move", { source: "first.txt", destination: path.join(base, "first.txt") });
    const second = await tool("files.move", { source: "second.txt", destination: path.join(base, "second.txt") });
    expect(first.success && second.success).toBe(true);
    const [latest, earlier] = await agent.agent.journal.list();
    expect(earlier?.description).toContain("first.txt");
    const undone = await agent.call("files.undo", { operation: earlier?.id.slice(0, 20) }, yes);
    expect(undone.success, undone.message).toBe(true);
    expect(await readFile(path.join(root, "first.txt"), "utf8")).toBe("1");
    expect(existsSync(path.join(base, "second.txt"))).toBe(true);
    const again = await agent.call("files.undo", { operation: earlier?.id }, yes);
    expect(again.success).toBe(false);
    expect(again.message).toContain("it is undone");
    // The plain undo now means the later one.
    expect((await undo()).message).toContain(latest?.description ?? "?");
    expect(await readFile(path.join(root, "second.txt"), "utf8")).toBe("2");
  });

  it("copies with the original timestamps", async () => {
    await writeFile(path.join(root, "photo.jpg"), "pixels");
    await utimes(path.join(root, "photo.jpg"), new Date(2020, 1, 2), new Date(2020, 1, 2));
    const response = await tool("files.copy", {
      source: path.join(root, "photo.jpg"),
      destination: path.join(base, "backup.jpg"),
    });
    expect(response.success, response.message).toBe(true);
    expect((await lstat(path.join(base, "backup.jpg"))).mtime.getTime()).toBe(new Date(2020, 1, 2).getTime());
  });

  it("copies a folder with everything in it, keeping timestamps, under a free name, and undo takes the copy away", async () => {
    const project = path.join(root, "project");
    await mkdir(path.join(project, "src", "deep"), { recursive: true });
    await mkdir(path.join(project, "empty"));
    await writeFile(path.join(project, "README.md"), "read me");
    await writeFile(path.join(project, "src", "main.py"), "print(1)");
    await writeFile(path.join(project, "src", "deep", "data.bin"), Buffer.from([0, 1, 2, 255]));
    // Times to the millisecond, as far as Node can set them.
    for (const [index, file] of ["README.md", "src/main.py", "src/deep/data.bin"].entries()) {
      await utimes(path.join(project, file), new Date(2021, 4, 5 + index), new Date(2021, 4, 5 + index));
    }
    await symlink("/etc/passwd", path.join(project, "outside"));
    const backup = path.join(base, "backup");
    await mkdir(path.join(backup, "project"), { recursive: true });
    await writeFile(path.join(backup, "project", "other.txt"), "already there");
    const sourceBefore = await snapshot(project);
    const backupBefore = await snapshot(backup);

    const response = await tool("files.copy", { source: project, destination: backup });
    expect(response.success, response.message).toBe(true);
    const copy = path.join(backup, "project (1)");
    expect(response.message).toBe(
      `Copied ${project} (3 files) to ${copy} (the name was taken, so it got a new one).\nLeft out 1 symbolic link or special file: ${path.join(project, "outside")}`,
    );
    const { outside: _link, ...copied } = sourceBefore;
    expect(await snapshot(copy)).toEqual(copied);
    expect(await snapshot(project)).toEqual(sourceBefore);

    const undone = await undo();
    expect(undone.success, undone.message).toBe(true);
    expect(await snapshot(backup)).toEqual(backupBefore);
    expect(await snapshot(project)).toEqual(sourceBefore);
  });

  it("asks before copying a folder of more files than the bulk threshold, and never copies a folder into itself", async () => {
    const photos = path.join(root, "photos");
    await mkdir(photos);
    for (let index = 0; index < 30; index += 1) await writeFile(path.join(photos, `${index}.jpg`), `${index}`);
    const refused = await tool("files.copy", { source: photos, destination: path.join(base, "copy") });
    expect(refused.success).toBe(false);
    expect(refused.message).toBe(`Not done: copy of the folder ${photos} (30 files) was not confirmed.`);
    expect(existsSync(path.join(base, "copy"))).toBe(false);
    expect((await tool("files.copy", { source: photos, destination: path.join(base, "copy") }, yes)).success).toBe(true);
    expect(await readdir(path.join(base, "copy"))).toHaveLength(30);

    const inside = await tool("files.copy", { source: photos, destination: path.join(photos, "again") }, yes);
    expect(inside.success).toBe(false);
    expect(inside.message).toBe(`Cannot copy ${photos} into itself`);
    expect(await readdir(photos)).toHaveLength(30);
  });

  it("deletes into the trash (asking for several files) and undo brings them back", async () => {
    await writeFile(path.join(root, "a.log"), "a");
    await writeFile(path.join(root, "b.log"), "b");
    const before = await snapshot(root);
    expect((await tool("files.delete", { path: root, ext: "log" })).success).toBe(false);
    expect(await snapshot(root)).toEqual(before);
    const asked: string[] = [];
    const confirm = async (request: { summary?: string }) => {
      asked.push(request.summary ?? "");
      return true;
    };
    const response = await tool("files.delete", { path: root, ext: "log" }, { confirm });
    // Which files go is shown before the yes.
    expect(asked).toEqual([`move 2 files to the trash:\n  ${path.join(root, "a.log")}\n  ${path.join(root, "b.log")}`]);
    expect(response.message).toBe("Moved 2 files to the trash.");
    expect(await readdir(path.join(agent.trashDirectory, "files"))).toEqual(["a.log", "b.log"]);
    await undo();
    expect(await snapshot(root)).toEqual(before);
  });

  it("empties a folder (everything in it, folders too, dot files kept) without trashing the folder itself, and moves a folder's contents", async () => {
    await mkdir(path.join(root, "old"));
    await writeFile(path.join(root, "old", "x.txt"), "x");
    await writeFile(path.join(root, "a.log"), "a");
    await writeFile(path.join(root, ".keep"), "k");
    const before = await snapshot(root);
    const asked: string[] = [];
    const confirm = async (request: { summary?: string }) => {
      asked.push(request.summary ?? "");
      return true;
    };
    const emptied = await tool("files.delete", { path: root, contents: true }, { confirm });
    expect(asked[0]).toContain(`move 2 items from ${root} to the trash:`);
    expect(asked[0]).toContain(`${path.join(root, "old")}/ (and everything in it)`);
    expect(emptied.message).toBe("Moved 2 items to the trash. Kept 1 hidden item (.keep).");
    expect(await readdir(root)).toEqual([".keep"]);
    await undo();
    expect(await snapshot(root)).toEqual(before);

    const archive = path.join(base, "Archive");
    const moved = await tool("files.move", { source: root, destination: archive, contents: true }, yes);
    expect(moved.message).toBe(`Moved 2 items to ${archive}.`);
    expect((await readdir(archive)).sort()).toEqual(["a.log", "old"]);
    expect(await readFile(path.join(archive, "old", "x.txt"), "utf8")).toBe("x");
    expect(await readdir(root)).toEqual([".keep"]);
    await undo();
    expect(await snapshot(root)).toEqual(before);
  });

  it("deletes, renames and moves a symbolic link itself, never what it points to, and undo puts the link back", async () => {
    const documents = path.join(base, "Documents");
    await mkdir(path.join(documents, "project"), { recursive: true });
    await writeFile(path.join(documents, "report.pdf"), "the report");
    await writeFile(path.join(documents, "project", "main.py"), "print(1)");
    await symlink(path.join(documents, "report.pdf"), path.join(root, "latest.pdf"));
    await symlink(path.join(documents, "project"), path.join(root, "project"));
    const documentsBefore = await snapshot(documents);
    const rootBefore = await snapshot(root);

    const deleted = await tool("files.delete", { path: "latest.pdf" });
    expect(deleted.message).toBe(`Moved ${path.join(root, "latest.pdf")} to the trash.`);
    expect((await lstat(path.join(agent.trashDirectory, "files", "latest.pdf"))).isSymbolicLink()).toBe(true);
    const folderLink = await tool("files.delete", { path: "project" });
    expect(folderLink.message).toBe(`Moved ${path.join(root, "project")} to the trash.`);
    await symlink(path.join(documents, "gone.txt"), path.join(root, "dangling"));
    expect((await tool("files.delete", { path: "dangling" })).success).toBe(true);
    expect(await readdir(root)).toEqual([]);
    expect(await snapshot(documents)).toEqual(documentsBefore);
    await undo();
    await rm(path.join(root, "dangling"));
    await undo();
    await undo();
    expect(await snapshot(root)).toEqual(rootBefore);

    const renamed = await tool("files.rename", { path: "latest.pdf", newName: "newest.pdf" });
    expect(renamed.message).toBe(`Renamed to ${path.join(root, "newest.pdf")}.`);
    const moved = await tool("files.move", { source: "newest.pdf", destination: base });
    expect(moved.message).toBe(`Moved ${path.join(root, "newest.pdf")} to ${path.join(base, "newest.pdf")}.`);
    expect((await lstat(path.join(base, "newest.pdf"))).isSymbolicLink()).toBe(true);
    expect(await snapshot(documents)).toEqual(documentsBefore);
    await undo();
    await undo();
    expect(await snapshot(root)).toEqual(rootBefore);
  });

  it("reports progress while trashing many files", async () => {
    for (let index = 0; index < 60; index += 1) await writeFile(path.join(root, `old-${index}.log`), `${index}`);
    const events: AgentEvent[] = [];
    const response = await tool("files.delete", { path: root, ext: "log" }, { ...yes, events });
    expect(response.message).toBe("Moved 60 files to the trash.");
    const progress = events.flatMap((event) =>
      event.type === "status" && event.message.startsWith("trashed") ? [`${event.progress} ${event.message}`] : [],
    );
    expect(progress.at(-1)).toBe("100 trashed 60 of 60 files");
  });

  it("writes keeping what it replaced, renames, and reads text but not binaries", async () => {
    await writeFile(path.join(root, "notes.txt"), "v1");
    expect((await tool("files.write", { path: path.join(root, "notes.txt"), content: "v2" })).success).toBe(true);
    expect((await tool("files.read", { path: "notes.txt" })).message).toBe("v2");
    await undo();
    expect(await readFile(path.join(root, "notes.txt"), "utf8")).toBe("v1");
    const renamed = await tool("files.rename", { path: "notes.txt", newName: "final.txt" });
    expect(renamed.message).toBe(`Renamed to ${path.join(root, "final.txt")}.`);
    await writeFile(path.join(root, "blob.bin"), Buffer.from([1, 0, 2, 3]));
    const binary = await tool("files.read", { path: "blob.bin" });
    expect(binary.success).toBe(false);
    expect(binary.message).toContain("binary");
  });

  it("appends to a text file or starts a new one, and refuses a binary file instead of replacing it", async () => {
    await writeFile(path.join(root, "log.txt"), "one\n");
    const appended = await tool("files.write", { path: "log.txt", content: "two\n", append: true });
    expect(appended.message).toBe(`Appended 4 B to ${path.join(root, "log.txt")}.`);
    expect(await readFile(path.join(root, "log.txt"), "utf8")).toBe("one\ntwo\n");
    expect((await tool("files.write", { path: "new.txt", content: "first", append: true })).success).toBe(true);
    expect(await readFile(path.join(root, "new.txt"), "utf8")).toBe("first");

    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]);
    await writeFile(path.join(root, "photo.jpg"), photo);
    const refused = await tool("files.write", { path: "photo.jpg", content: "hello", append: true });
    expect(refused.success).toBe(false);
    expect(refused.message).toBe("Nothing appended: photo.jpg is a binary file; only text files can be read");
    expect(await readFile(path.join(root, "photo.jpg"))).toEqual(photo);
  });

  it("refuses to read a file over the size limit, saying how big it is and what the limit is", async () => {
    await writeFile(path.join(root, "long.txt"), "x".repeat(5000));
    const refused = await tool("files.read", { path: "long.txt", maxBytes: 1024 });
    expect(refused.success).toBe(false);
    expect(refused.message).toBe("long.txt is 5000 bytes; the limit for reading it is 1024");
    expect((await tool("files.read", { path: "long.txt" })).message).toHaveLength(5000);
  });
});
