import { existsSync } from "node:fs";
import { link, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearHalfDoneStep } from "./half-done-step.js";

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-half-done-"));
  await mkdir(path.join(base, "Trash", "files"), { recursive: true });
  await mkdir(path.join(base, "Trash", "info"), { recursive: true });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const at = (...parts: string[]) => path.join(base, ...parts);

/** Give `copy` the times of `original`, as a move across file systems does. */
async function sameTimes(original: string, copy: string): Promise<void> {
  const times = await stat(original);
  await utimes(copy, times.atime, times.mtime);
}

describe("clearing a step a crash cut short", () => {
  it("removes the whole copy a move across file systems left beside its original", async () => {
    await writeFile(at("a.txt"), "same bytes");
    await writeFile(at("b.txt"), "same bytes");
    await sameTimes(at("a.txt"), at("b.txt"));
    await clearHalfDoneStep({ action: "move", from: at("a.txt"), to: at("b.txt") });
    expect(existsSync(at("b.txt"))).toBe(false);
    expect(await readFile(at("a.txt"), "utf8")).toBe("same bytes");
  });

  it("removes the link a move of a symbolic link across file systems left beside it, and no other link", async () => {
    await writeFile(at("target.txt"), "pointed at");
    await symlink(at("target.txt"), at("a-link"));
    await symlink(at("target.txt"), at("b-link"));
    await symlink(at("elsewhere.txt"), at("c-link"));
    await clearHalfDoneStep({ action: "move", from: at("a-link"), to: at("c-link") });
    expect(await readlink(at("c-link"))).toBe(at("elsewhere.txt"));
    await clearHalfDoneStep({ action: "move", from: at("a-link"), to: at("b-link") });
    expect(existsSync(at("b-link"))).toBe(false);
    expect(await readlink(at("a-link"))).toBe(at("target.txt"));
    expect(await readFile(at("target.txt"), "utf8")).toBe("pointed at");
  });

  it("never removes a file at the target that differs from the original, is not a copy of it, or is the same file", async () => {
    await writeFile(at("a.txt"), "original");
    await writeFile(at("b.txt"), "someone's other file");
    await sameTimes(at("a.txt"), at("b.txt"));
    await clearHalfDoneStep({ action: "move", from: at("a.txt"), to: at("b.txt") });
    expect(await readFile(at("b.txt"), "utf8")).toBe("someone's other file");
    // The same bytes, written at another time: someone's own copy, not one a move made (moves keep the time).
    await writeFile(at("d.txt"), "original");
    await utimes(at("d.txt"), new Date(2020, 0, 1), new Date(2020, 0, 1));
    await clearHalfDoneStep({ action: "move", from: at("a.txt"), to: at("d.txt") });
    expect(existsSync(at("d.txt"))).toBe(true);
    await link(at("a.txt"), at("c.txt"));
    await clearHalfDoneStep({ action: "move", from: at("a.txt"), to: at("c.txt") });
    expect(existsSync(at("c.txt"))).toBe(true);
  });

  it("removes a trash step's copy and its .trashinfo, written whole or only in part, and no one else's", async () => {
    const step = (name: string) => ({
      action: "trash" as const,
      path: at(name),
      trashPath: at("Trash", "files", name),
      infoPath: at("Trash", "info", `${name}.trashinfo`),
    });
    await writeFile(at("whole.txt"), "w");
    await writeFile(at("Trash", "files", "whole.txt"), "w");
    await sameTimes(at("whole.txt"), at("Trash", "files", "whole.txt"));
    await writeFile(
      step("whole.txt").infoPath,
      `[Trash Info]\nPath=${encodeURI(at("whole.txt"))}\nDeletionDate=2026-01-01T00:00:00\n`,
    );
    await writeFile(at("empty.txt"), "e");
    await writeFile(step("empty.txt").infoPath, "");
    await writeFile(at("other.txt"), "o");
    await writeFile(
      step("other.txt").infoPath,
      "[Trash Info]\nPath=/somewhere/else/other.txt\nDeletionDate=2026-01-01T00:00:00\n",
    );
    for (const name of ["whole.txt", "empty.txt", "other.txt"]) await clearHalfDoneStep(step(name));
    expect(existsSync(at("Trash", "files", "whole.txt"))).toBe(false);
    expect(existsSync(step("whole.txt").infoPath)).toBe(false);
    expect(existsSync(step("empty.txt").infoPath)).toBe(false);
    expect(existsSync(step("other.txt").infoPath)).toBe(true);
    for (const name of ["whole.txt", "empty.txt", "other.txt"]) expect(existsSync(at(name))).toBe(true);
  });
});
