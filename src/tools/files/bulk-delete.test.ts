import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startToolAgent, type ToolAgent, type ToolCallOptions } from "../testing/start-tool-agent.js";
import { createFileTools } from "./files-plugin.js";

let base: string;
let agent: ToolAgent;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-bulk-"));
  agent = await startToolAgent({ root: base, plugins: [createFileTools()], safety: { bulk_threshold: 20 } });
});
afterEach(async () => {
  await agent.stop();
  await rm(base, { recursive: true, force: true });
});

const yes = { confirm: async () => true } satisfies ToolCallOptions;
const at = (relative: string) => path.join(base, relative);

async function files(...relatives: string[]) {
  for (const relative of relatives) {
    await mkdir(path.dirname(at(relative)), { recursive: true });
    await writeFile(at(relative), relative);
  }
}

function remove(args: Record<string, unknown>, options: ToolCallOptions = yes) {
  return agent.call("files.delete", args, { ...options, cwd: base });
}

describe("bulk deletes pick what was said", () => {
  it("takes matching files from subfolders too when asked recursively, and only the top level otherwise", async () => {
    await files("Downloads/a.tmp", "Downloads/cache/b.tmp", "Downloads/keep.txt", "Downloads/tmp-notes.txt");
    const top = await remove({ path: at("Downloads"), ext: ["tmp"] });
    expect(top.success).toBe(true);
    expect(existsSync(at("Downloads/a.tmp"))).toBe(false);
    expect(existsSync(at("Downloads/cache/b.tmp"))).toBe(true);
    await files("Downloads/a.tmp");
    const all = await remove({ path: at("Downloads"), ext: ["tmp"], recursive: true });
    expect(all.success).toBe(true);
    expect(existsSync(at("Downloads/a.tmp"))).toBe(false);
    expect(existsSync(at("Downloads/cache/b.tmp"))).toBe(false);
    expect(existsSync(at("Downloads/keep.txt"))).toBe(true);
    expect(existsSync(at("Downloads/tmp-notes.txt"))).toBe(true);
  });

  it("finds a hidden name said whole, at every level, and not the visible names that contain it", async () => {
    await files("Pictures/.DS_Store", "Pictures/2022/.DS_Store", "Pictures/DS_Store-notes.txt", "Pictures/2022/a.jpg");
    const response = await remove({ path: at("Pictures"), name: ".DS_Store", recursive: true });
    expect(response.success).toBe(true);
    expect(existsSync(at("Pictures/.DS_Store"))).toBe(false);
    expect(existsSync(at("Pictures/2022/.DS_Store"))).toBe(false);
    expect(existsSync(at("Pictures/DS_Store-notes.txt"))).toBe(true);
    expect(existsSync(at("Pictures/2022/a.jpg"))).toBe(true);
  });

  it("trashes folders by name whole, wherever they are, and leaves files with that name in theirs", async () => {
    await files(
      "projects/shop/node_modules/react/index.js",
      "projects/blog/node_modules/left-pad/index.js",
      "projects/shop/src/app.js",
      "projects/notes/node_modules.md",
    );
    const response = await remove({ path: at("projects"), folderNames: ["node_modules"], recursive: true });
    expect(response.success).toBe(true);
    expect(response.data?.trashed).toHaveLength(2);
    expect(existsSync(at("projects/shop/node_modules"))).toBe(false);
    expect(existsSync(at("projects/blog/node_modules"))).toBe(false);
    expect(existsSync(at("projects/shop/src/app.js"))).toBe(true);
    expect(existsSync(at("projects/notes/node_modules.md"))).toBe(true);
  });

  it("takes bytecode files and __pycache__ folders in one go", async () => {
    await files("tool/__pycache__/m.pyc", "tool/pkg/__pycache__/u.pyc", "tool/legacy.pyc", "tool/main.py");
    const response = await remove({ path: at("tool"), ext: ["pyc"], folderNames: ["__pycache__"], recursive: true });
    expect(response.success).toBe(true);
    expect(await readdir(at("tool"))).toEqual(["main.py", "pkg"]);
    expect(await readdir(at("tool/pkg"))).toEqual([]);
  });

  it("takes the outermost empty folders, never one holding a file (a hidden one too), and undo brings them back", async () => {
    await mkdir(at("Documents/empty1"), { recursive: true });
    await mkdir(at("Documents/e2/inner"), { recursive: true });
    await mkdir(at("Documents/New Folder"), { recursive: true });
    await files("Documents/keep/a.txt", "Documents/top.txt", "Documents/hidden/.keep");
    const response = await remove({ path: at("Documents"), emptyFolders: true, recursive: true });
    expect(response.success).toBe(true);
    expect((await readdir(at("Documents"))).sort()).toEqual(["hidden", "keep", "top.txt"]);
    expect((await agent.call("files.undo", {}, yes)).success).toBe(true);
    expect(existsSync(at("Documents/e2/inner"))).toBe(true);
    expect(existsSync(at("Documents/New Folder"))).toBe(true);
  });

  it("a dry run names what would go and changes nothing", async () => {
    await files("Downloads/a.tmp", "Downloads/sub/b.tmp");
    const response = await remove({ path: at("Downloads"), ext: ["tmp"], recursive: true, dryRun: true });
    expect(response.success).toBe(true);
    expect(response.message).toMatch(/nothing changed/i);
    expect(response.message).toContain("a.tmp");
    expect(response.message).toContain("sub/b.tmp");
    expect(existsSync(at("Downloads/a.tmp"))).toBe(true);
    expect(existsSync(at("Downloads/sub/b.tmp"))).toBe(true);
    const move = await agent.call(
      "files.move",
      { source: at("Downloads"), ext: ["tmp"], destination: at("Elsewhere"), dryRun: true },
      { ...yes, cwd: base },
    );
    expect(move.success).toBe(true);
    expect(existsSync(at("Elsewhere"))).toBe(false);
    expect(existsSync(at("Downloads/a.tmp"))).toBe(true);
  });

  it("a recursive move gathers matching files from subfolders and leaves those already in the destination", async () => {
    await files("Downloads/a.pdf", "Downloads/sub/b.pdf", "Downloads/pdfs/c.pdf", "Downloads/keep.txt");
    const response = await agent.call(
      "files.move",
      { source: at("Downloads"), ext: ["pdf"], recursive: true, destination: at("Downloads/pdfs") },
      { ...yes, cwd: base },
    );
    expect(response.success).toBe(true);
    expect((await readdir(at("Downloads/pdfs"))).sort()).toEqual(["a.pdf", "b.pdf", "c.pdf"]);
    expect(existsSync(at("Downloads/keep.txt"))).toBe(true);
  });
});
