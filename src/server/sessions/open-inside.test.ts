import { constants } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openInside } from "./open-inside.js";
import { lastLines } from "./session-processes.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-open-inside-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("openInside", () => {
  it("creates the folder and the file it is asked for", async () => {
    const workspace = path.join(root, "workspace");
    await mkdir(workspace);
    const handle = await openInside(workspace, ["logs", "a.log"], constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, {
      createFolders: true,
    });
    await handle.writeFile("hello");
    await handle.close();
    expect(await readFile(path.join(workspace, "logs", "a.log"), "utf8")).toBe("hello");
  });

  it("never follows a link, in the middle or at the end", async () => {
    const workspace = path.join(root, "workspace");
    const outside = path.join(root, "outside");
    await mkdir(workspace);
    await mkdir(outside);
    await writeFile(path.join(outside, "a.log"), "outside");
    await symlink(outside, path.join(workspace, "logs"));
    await expect(openInside(workspace, ["logs", "a.log"], constants.O_RDONLY)).rejects.toThrow();
    await mkdir(path.join(workspace, "real"));
    await symlink(path.join(outside, "a.log"), path.join(workspace, "real", "a.log"));
    await expect(openInside(workspace, ["real", "a.log"], constants.O_RDONLY)).rejects.toThrow();
    await expect(
      openInside(workspace, ["logs", "b.log"], constants.O_WRONLY | constants.O_CREAT, { createFolders: true }),
    ).rejects.toThrow();
    await expect(openInside(workspace, ["..", "outside", "a.log"], constants.O_RDONLY)).rejects.toThrow(/plain name/);
  });
});

describe("lastLines", () => {
  it("keeps the last lines and the final newline", () => {
    expect(lastLines("a\nb\nc\n", 2)).toBe("b\nc\n");
    expect(lastLines("a\nb\nc", 5)).toBe("a\nb\nc");
    expect(lastLines("", 3)).toBe("");
  });

  it("drops a first line cut off by reading only the tail", () => {
    expect(lastLines("rtial\nwhole\n", 10, true)).toBe("whole\n");
  });
});
