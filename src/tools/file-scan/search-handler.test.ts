import { mkdir, mkdtemp, rm, symlink, truncate, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../core/events/agent-event.js";
import type { Response } from "../../core/types/response.js";
import { startToolAgent, type ToolAgent, type ToolCallOptions } from "../testing/start-tool-agent.js";
import { createFileScanTools } from "./file-scan-plugin.js";
import { searchFiles } from "./search-files.js";

let root: string;
let outside: string;
let scan: ToolAgent;

/** Writes a file (making its folder), optionally with a size (sparse) and a modification time. */
async function put(relative: string, content: string | Buffer = "", options: { size?: number; modified?: Date } = {}) {
  const target = path.join(root, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
  if (options.size !== undefined) await truncate(target, options.size);
  if (options.modified !== undefined) await utimes(target, options.modified, options.modified);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-search-"));
  outside = await mkdtemp(path.join(os.tmpdir(), "astros-search-outside-"));
  const recent = new Date(2026, 2, 17, 12, 0); // 2026-03-17 noon, local
  await put("Downloads/report.pdf", "%PDF", { size: 6 * 1024 * 1024, modified: recent });
  await put("Downloads/small.pdf", "%PDF", { size: 1024, modified: recent });
  await put("Downloads/Photo.JPG", "jpeg", { size: 2048, modified: recent });
  await put("Downloads/notes.txt", "remember the TODO list\n", { modified: recent });
  const binary = Buffer.concat([Buffer.from("TODO"), Buffer.alloc(16), Buffer.from("TODO")]);
  await put("Downloads/blob.dat", binary, { modified: recent });
  await put("Downloads/backup.tar.gz", "gz", { modified: recent });
  await put("docs/invoice-2025.pdf", "%PDF", { modified: new Date(2025, 5, 1, 9, 0) });
  await put("docs/invoice-2026.PDF", "%PDF", { modified: recent });
  await put("docs/readme.md", "# Read me\nnothing to do here\n", { modified: new Date(2025, 0, 10) });
  await put("docs/invoices/.keep", "");
  await put(".hidden/secret.pdf", "%PDF");
  await put(".dotfile.pdf", "%PDF");
  await put("project/.gitignore", "build/\n*.log\n");
  await put("project/build/out.js", "compiled");
  await put("project/app.log", "log");
  await put("project/src/main.js", "// TODO: write it");
  await put("project/src/.gitignore", "!keep.log\n");
  await put("project/src/keep.log", "kept");
  await put("keys/id_ed25519", "todo: not for your eyes");
  await writeFile(path.join(outside, "elsewhere.pdf"), "%PDF");
  await symlink(outside, path.join(root, "door"));
  scan = await startToolAgent({ root, plugins: [createFileScanTools()], pluginTimeout: 60 });
});

afterAll(async () => {
  await scan.stop();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

/** The matched paths relative to the root, sorted. */
function found(response: Response): string[] {
  expect(response.success, response.message).toBe(true);
  const matches = response.data?.matches as { path: string }[];
  return matches.map((match) => path.relative(root, match.path)).sort();
}

const search = (args: Record<string, unknown>, options?: ToolCallOptions) => scan.call("files.search", args, options);

describe("files.search", () => {
  it("finds files by extension, case aside, leaving hidden ones out", async () => {
    expect(found(await search({ ext: ["pdf"] }))).toEqual([
      "Downloads/report.pdf",
      "Downloads/small.pdf",
      "docs/invoice-2025.pdf",
      "docs/invoice-2026.PDF",
    ]);
    expect(found(await search({ ext: ".tar.gz" }))).toEqual(["Downloads/backup.tar.gz"]);
  });

  it("includes hidden files and folders only when asked", async () => {
    expect(found(await search({ ext: ["pdf"], hidden: true }))).toEqual([
      ".dotfile.pdf",
      ".hidden/secret.pdf",
      "Downloads/report.pdf",
      "Downloads/small.pdf",
      "docs/invoice-2025.pdf",
      "docs/invoice-2026.PDF",
    ]);
  });

  it("finds files by kind", async () => {
    expect(found(await search({ kind: "image" }))).toEqual(["Downloads/Photo.JPG"]);
    expect(found(await search({ kind: "archive" }))).toEqual(["Downloads/backup.tar.gz"]);
    expect(found(await search({ kind: "document", path: "docs" }))).toEqual(["docs/invoice-2025.pdf", "docs/invoice-2026.PDF"]);
  });

  it("filters by size, bounds included, in bytes", async () => {
    expect(found(await search({ minSize: 5 * 1024 * 1024 }))).toEqual(["Downloads/report.pdf"]);
    expect(found(await search({ ext: ["pdf", "jpg"], minSize: 1024, maxSize: 2048 }))).toEqual([
      "Downloads/Photo.JPG",
      "Downloads/small.pdf",
    ]);
    const response = await search({ minSize: 5 * 1024 * 1024 });
    expect(response.data?.matches).toEqual([
      expect.objectContaining({ type: "file", size: 6 * 1024 * 1024, kind: "document", modified: expect.any(String) }),
    ]);
  });

  it("filters by modification date: after a day means from its start, before a day means before it began", async () => {
    expect(found(await search({ modifiedBefore: "2025-12-18" }))).toEqual(["docs/invoice-2025.pdf", "docs/readme.md"]);
    expect(found(await search({ modifiedAfter: "2026-03-17", modifiedBefore: "2026-03-18", ext: ["pdf"] }))).toEqual([
      "Downloads/report.pdf",
      "Downloads/small.pdf",
      "docs/invoice-2026.PDF",
    ]);
    expect(found(await search({ modifiedAfter: "2025-01-01", modifiedBefore: "2026-01-01" }))).toEqual([
      "docs/invoice-2025.pdf",
      "docs/readme.md",
    ]);
  });

  it("matches names by substring or glob, case aside, and folders by name alone", async () => {
    expect(found(await search({ name: "INVOICE" }))).toEqual(["docs/invoice-2025.pdf", "docs/invoice-2026.PDF", "docs/invoices"]);
    expect(found(await search({ name: "invoice-202?.pdf" }))).toEqual(["docs/invoice-2025.pdf", "docs/invoice-2026.PDF"]);
    expect(found(await search({ name: "*.md" }))).toEqual(["docs/readme.md"]);
    const folder = (await search({ name: "invoices" })).data?.matches as { type: string }[];
    expect(folder).toEqual([expect.objectContaining({ type: "directory" })]);
  });

  it("combines filters: every one must hold", async () => {
    expect(found(await search({ name: "invoice", ext: ["pdf"], modifiedAfter: "2026-01-01" }))).toEqual([
      "docs/invoice-2026.PDF",
    ]);
    expect(found(await search({ kind: "document", maxSize: 100, path: "Downloads" }))).toEqual([]);
  });

  it("finds text inside files, case aside, skipping binary files and files the path guard protects", async () => {
    const response = await search({ content: "todo", hidden: true });
    expect(found(response)).toEqual(["Downloads/notes.txt", "project/src/main.js"]);
    // blob.dat, and the PDFs and the photo padded with NUL bytes to their sizes.
    expect(response.data?.skipped).toMatchObject({ binaryFiles: 4, protectedFiles: 1 });
    expect(response.message).toMatch(/skipped 4 binary files and 1 protected file/);
  });

  it("honours .gitignore files only when asked, with nested rules re-including", async () => {
    expect(found(await search({ path: "project" }))).toEqual([
      "project/app.log",
      "project/build/out.js",
      "project/src/keep.log",
      "project/src/main.js",
    ]);
    expect(found(await search({ path: "project", ignore: true }))).toEqual(["project/src/keep.log", "project/src/main.js"]);
  });

  it("lists up to the limit and counts every match", async () => {
    const response = await search({ ext: ["pdf"], limit: 2 });
    expect(found(response)).toHaveLength(2);
    expect(response.data).toMatchObject({ total: 4, truncated: true, limit: 2 });
    expect(response.message).toMatch(/Found 4 matches .* Showing the first 2\./);
  });

  it("searches the request's working folder by default and streams what it finds", async () => {
    const events: AgentEvent[] = [];
    const response = await search({ ext: ["pdf"] }, { cwd: path.join(root, "Downloads"), events });
    expect(found(response)).toEqual(["Downloads/report.pdf", "Downloads/small.pdf"]);
    const streamed = events.flatMap((event) => (event.type === "text_delta" ? [event.delta] : [])).join("");
    expect(streamed).toContain(path.join(root, "Downloads", "report.pdf"));
    expect(streamed).toContain("Found 2 matches");
  });

  it("never follows a symlink out of the tree, and refuses a folder outside the allowed roots", async () => {
    expect(found(await search({ name: "elsewhere" }))).toEqual([]);
    const refused = await search({ path: outside });
    expect(refused.success).toBe(false);
    expect(refused.metadata.error?.code).toBe("PATH_DENIED");
    const throughLink = await search({ path: path.join(root, "door") });
    expect(throughLink.metadata.error?.code).toBe("PATH_DENIED");
  });

  it("answers a missing folder with a readable error", async () => {
    const response = await search({ path: "no-such-folder" });
    expect(response.success).toBe(false);
    expect(response.message).toContain("There is no folder at no-such-folder");
  });
});

describe("searchFiles", () => {
  it("reports progress while it walks and stops when its signal is aborted", async () => {
    const counts: number[] = [];
    await searchFiles({ root, filters: {}, progressIntervalMs: 0, onProgress: (scanned) => counts.push(scanned) });
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.at(-1)).toBeGreaterThan(10);

    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(searchFiles({ root, filters: {}, signal: controller.signal })).rejects.toThrow("stop");
  });
});
