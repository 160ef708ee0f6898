import { mkdir, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Response } from "../../core/types/response.js";
import { startToolAgent, type ToolAgent } from "../testing/start-tool-agent.js";
import { createFileScanTools } from "./file-scan-plugin.js";

let root: string;
let scan: ToolAgent;

async function put(relative: string, content = "", size?: number) {
  const target = path.join(root, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
  if (size !== undefined) await truncate(target, size);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-search-names-"));
  await put("Music/Daft Punk - One More Time.mp3", "mp3");
  await put("Music/Discovery/daft_punk-digital love.flac", "flac");
  await put("Music/punk rock mix.m3u", "#EXTM3U");
  await put("Music/Daftness - Unrelated.mp3", "mp3");
  await put("Menus/café menu.pdf", "%PDF");
  await put("Menus/cafe\u0301 receipts.txt", "12.50");
  await put("Menus/menu-ideas.txt", "soup");
  await put("Docs/invoice-march.pdf", "%PDF");
  await put("Docs/Invoice_April.PDF", "%PDF");
  await put("Docs/invoice-notes.txt", "notes");
  await put("Notes/notes.txt", "a");
  await put("Notes/deep/notes.txt", "a");
  await put("Notes/notes.txt.bak", "b");
  await put("Notes/Notes.txt", "c");
  await put("Notes/old-notes.txt", "d");
  await put("Sizes/huge.img", "", 300 * 1024 * 1024);
  await put("Sizes/medium.bin", "", 3 * 1024 * 1024);
  await put("Sizes/small.bin", "", 1024 * 1024);
  await put("Sizes/deep/mid.bin", "", 2 * 1024 * 1024);
  await put("Sizes/.hidden.bin", "", 5 * 1024 * 1024);
  await put("Sizes/empty.txt");
  await put("Sizes/deep/empty.md");
  scan = await startToolAgent({ root, plugins: [createFileScanTools()], pluginTimeout: 60 });
});

afterAll(async () => {
  await scan.stop();
  await rm(root, { recursive: true, force: true });
});

function found(response: Response): string[] {
  expect(response.success, response.message).toBe(true);
  return ((response.data?.matches ?? []) as { path: string }[]).map((match) => path.relative(root, match.path)).sort();
}

const search = (args: Record<string, unknown>) => scan.call("files.search", args);

describe("files.search names", () => {
  it("matches a phrase as a phrase, whatever the case, accents and separators", async () => {
    expect(found(await search({ name: "daft punk", path: "Music" }))).toEqual([
      "Music/Daft Punk - One More Time.mp3",
      "Music/Discovery/daft_punk-digital love.flac",
    ]);
    expect(found(await search({ name: "cafe menu", path: "Menus" }))).toEqual(["Menus/café menu.pdf"]);
  });

  it("matches every word anywhere in the name when asked for words, a plural's s optional", async () => {
    expect(found(await search({ name: "menu CAFÉ", nameMatch: "words", path: "Menus" }))).toEqual(["Menus/café menu.pdf"]);
    // A name written with a combining accent is the same name.
    expect(found(await search({ name: "café receipt", nameMatch: "words", path: "Menus" }))).toEqual([
      "Menus/cafe\u0301 receipts.txt",
    ]);
    expect(found(await search({ name: "invoices", nameMatch: "words", ext: ["pdf"] }))).toEqual([
      "Docs/Invoice_April.PDF",
      "Docs/invoice-march.pdf",
    ]);
  });

  it("matches the exact name, case and all, when asked", async () => {
    expect(found(await search({ name: "notes.txt", nameMatch: "exact" }))).toEqual(["Notes/deep/notes.txt", "Notes/notes.txt"]);
    expect(found(await search({ name: "notes.txt", nameMatch: "exact" })).length).toBe(2);
  });
});

describe("files.search sizes", () => {
  it("finds empty files with a size of at most 0", async () => {
    const response = await search({ maxSize: 0, path: "Sizes" });
    expect(found(response)).toEqual(["Sizes/deep/empty.md", "Sizes/empty.txt"]);
    expect(response.message).toContain("(empty)");
  });

  it("lists the N biggest files, biggest first, a sparse file by its length, with no size floor", async () => {
    const response = await search({ path: "Sizes", largest: 3 });
    const matches = response.data?.matches as { path: string }[];
    expect(matches.map((match) => path.relative(root, match.path))).toEqual([
      "Sizes/huge.img",
      "Sizes/medium.bin",
      "Sizes/deep/mid.bin",
    ]);
    expect(response.data).toMatchObject({ total: 6 });
    expect(response.message).toContain("The 3 biggest are listed, biggest first.");
    expect(response.message).not.toContain("small.bin");
    const withHidden = await search({ path: "Sizes", largest: 2, hidden: true });
    expect(((withHidden.data?.matches ?? []) as { path: string }[]).map((match) => path.basename(match.path))).toEqual([
      "huge.img",
      ".hidden.bin",
    ]);
    const one = await search({ path: "Sizes", largest: 1, ext: ["bin"] });
    expect(found(one)).toEqual(["Sizes/medium.bin"]);
    expect(one.message).toContain("The biggest is listed.");
  });
});

describe("files.search empty folders", () => {
  it("finds folders with nothing inside, not those holding only hidden files, and no hidden ones unless asked", async () => {
    await mkdir(path.join(root, "Empty/one"), { recursive: true });
    await mkdir(path.join(root, "Empty/deep/two"), { recursive: true });
    await mkdir(path.join(root, "Empty/.cache/three"), { recursive: true });
    await put("Empty/kept/.keep", "");
    await put("Empty/full/file.txt", "x");
    const response = await search({ path: "Empty", emptyFolders: true });
    expect(found(response)).toEqual(["Empty/deep/two", "Empty/one"]);
    expect(response.message).toContain("(empty folders)");
    expect(found(await search({ path: "Empty", emptyFolders: true, hidden: true }))).toEqual([
      "Empty/.cache/three",
      "Empty/deep/two",
      "Empty/one",
    ]);
  });
});
