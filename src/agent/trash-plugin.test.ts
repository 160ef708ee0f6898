import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileTools } from "../tools/files/files-plugin.js";
import { startToolAgent, type ToolAgent, type ToolCallOptions } from "../tools/testing/start-tool-agent.js";

let base: string;
let agent: ToolAgent;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-trash-"));
  agent = await startToolAgent({ root: base, plugins: [createFileTools()] });
});
afterEach(async () => {
  await agent.stop();
  await rm(base, { recursive: true, force: true });
});

const yes = { confirm: async () => true } satisfies ToolCallOptions;
const no = { confirm: async () => false } satisfies ToolCallOptions;
const call = (name: string, args: Record<string, unknown> = {}, options: ToolCallOptions = yes) =>
  agent.call(name, args, { ...options, cwd: base });

/** Something another program trashed: its file in files/, where it came from in info/. */
async function trashedElsewhere(original: string, content: string) {
  const files = path.join(agent.trashDirectory, "files");
  const info = path.join(agent.trashDirectory, "info");
  await mkdir(files, { recursive: true });
  await mkdir(info, { recursive: true });
  await writeFile(path.join(files, path.basename(original)), content);
  await writeFile(
    path.join(info, `${path.basename(original)}.trashinfo`),
    `[Trash Info]\nPath=${original.split("/").map(encodeURIComponent).join("/")}\nDeletionDate=2026-01-01T10:00:00\n`,
  );
}

describe("the trash", () => {
  it("empties for good only when confirmed, and says how much it freed", async () => {
    await trashedElsewhere(path.join(base, "Documents", "old report.pdf"), "x".repeat(3000));
    await mkdir(path.join(base, "Documents"), { recursive: true });
    await writeFile(path.join(base, "Documents", "live.txt"), "here");
    await call("files.delete", { path: path.join(base, "Documents", "live.txt") });
    const refused = await call("trash.empty", {}, no);
    expect(refused.success).toBe(false);
    expect(await readdir(path.join(agent.trashDirectory, "files"))).toHaveLength(2);
    const emptied = await call("trash.empty");
    expect(emptied.success).toBe(true);
    expect(emptied.message).toMatch(/2 items deleted for good, [\d.]+ KB freed/);
    expect(emptied.data?.bytes).toBe(3004);
    expect(await readdir(path.join(agent.trashDirectory, "files"))).toEqual([]);
    expect(await readdir(path.join(agent.trashDirectory, "info"))).toEqual([]);
  });

  it("lists what is in it, where each came from", async () => {
    await trashedElsewhere(path.join(base, "Downloads", "tax 2019.pdf"), "tax");
    const listed = await call("trash.list");
    expect(listed.message).toContain(path.join(base, "Downloads", "tax 2019.pdf"));
  });

  it("restores a file another program trashed back where it was, and undo trashes it again", async () => {
    const original = path.join(base, "Downloads", "tax 2019.pdf");
    await trashedElsewhere(original, "tax");
    const restored = await call("trash.restore", { name: "tax 2019.pdf" });
    expect(restored.success).toBe(true);
    expect(await readFile(original, "utf8")).toBe("tax");
    expect(await readdir(path.join(agent.trashDirectory, "info"))).toEqual([]);
    expect((await call("files.undo")).success).toBe(true);
    expect(existsSync(original)).toBe(false);
    expect(await readdir(path.join(agent.trashDirectory, "files"))).toEqual(["tax 2019.pdf"]);
    expect(await readdir(path.join(agent.trashDirectory, "info"))).toEqual(["tax 2019.pdf.trashinfo"]);
  });

  it("restores under a new name when the old one is taken again, never overwriting", async () => {
    const original = path.join(base, "notes.txt");
    await trashedElsewhere(original, "old notes");
    await writeFile(original, "new notes");
    const restored = await call("trash.restore", { name: "notes.txt" });
    expect(restored.success).toBe(true);
    expect(await readFile(original, "utf8")).toBe("new notes");
    expect(await readFile(path.join(base, "notes (1).txt"), "utf8")).toBe("old notes");
  });

  it("asks which one when two things of that name came from different folders, and restores nothing", async () => {
    await mkdir(path.join(agent.trashDirectory, "files"), { recursive: true });
    await trashedElsewhere(path.join(base, "a", "plan.txt"), "a");
    const files = path.join(agent.trashDirectory, "files");
    await writeFile(path.join(files, "plan (1).txt"), "b");
    await writeFile(
      path.join(agent.trashDirectory, "info", "plan (1).txt.trashinfo"),
      `[Trash Info]\nPath=${path.join(base, "b", "plan.txt")}\nDeletionDate=2026-01-02T10:00:00\n`,
    );
    const response = await call("trash.restore", { name: "plan.txt" });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/Several things called "plan.txt"/);
    expect(existsSync(path.join(base, "a", "plan.txt"))).toBe(false);
    expect(existsSync(path.join(base, "b", "plan.txt"))).toBe(false);
  });

  it("never restores into a place outside the allowed folders", async () => {
    await trashedElsewhere("/etc/astros-test-never.conf", "x");
    const response = await call("trash.restore", { name: "astros-test-never.conf" });
    expect(response.success).toBe(false);
    expect(existsSync("/etc/astros-test-never.conf")).toBe(false);
  });
});

describe("undo, by count and by description", () => {
  async function threeChanges() {
    await writeFile(path.join(base, "a.txt"), "A");
    await writeFile(path.join(base, "c.txt"), "C");
    await mkdir(path.join(base, "sub"));
    await call("files.rename", { path: path.join(base, "a.txt"), newName: "b.txt" });
    await call("files.move", { source: path.join(base, "c.txt"), destination: path.join(base, "sub") });
    await call("files.mkdir", { path: path.join(base, "Temp") });
  }

  it("undoes the newest two changes and leaves the one before", async () => {
    await threeChanges();
    const response = await call("files.undo", { count: 2 });
    expect(response.success).toBe(true);
    expect(existsSync(path.join(base, "Temp"))).toBe(false);
    expect(existsSync(path.join(base, "c.txt"))).toBe(true);
    expect(existsSync(path.join(base, "b.txt"))).toBe(true);
  });

  it("undoes the change its description names, and only that one", async () => {
    await threeChanges();
    const response = await call("files.undo", { about: "a.txt", action: "files.rename" });
    expect(response.message).toMatch(/^Undid/);
    expect(existsSync(path.join(base, "a.txt"))).toBe(true);
    expect(existsSync(path.join(base, "Temp"))).toBe(true);
    expect(existsSync(path.join(base, "sub", "c.txt"))).toBe(true);
  });

  it("says so when no change matches, and undoes nothing", async () => {
    await threeChanges();
    const response = await call("files.undo", { about: "budget.xlsx" });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/no change of yours/i);
    expect(existsSync(path.join(base, "Temp"))).toBe(true);
  });

  it("lists the changes made, newest first", async () => {
    await threeChanges();
    const response = await call("files.history");
    expect(response.success).toBe(true);
    expect(response.data?.operations as unknown[]).toHaveLength(3);
  });
});
