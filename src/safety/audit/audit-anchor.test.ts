import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../agent/pipeline-seams.js";
import { AuditLogger } from "./audit-logger.js";

let base: string;
let file: string;
let anchorFile: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-audit-anchor-"));
  file = path.join(base, "state", "audit.log");
  anchorFile = path.join(base, "data", "audit.anchor");
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

function entry(index: number): AuditEntry {
  return {
    type: "command-started",
    requestId: `r${index}`,
    userId: "ann",
    sessionId: "s1",
    time: 1_700_000_000_000 + index,
    detail: { command: `echo ${index}` },
  };
}

function writeSome(count: number): AuditLogger {
  const logger = new AuditLogger({ file, anchorFile, foldRoutine: false });
  for (let index = 0; index < count; index++) logger.append(entry(index));
  return logger;
}

describe("the audit log's anchor, kept outside the log's folder", () => {
  it("says nothing while the log is as it was written", () => {
    const logger = writeSome(5);
    expect(logger.anchorProblems()).toEqual([]);
    expect(new AuditLogger({ file, anchorFile }).verify()).toMatchObject({ ok: true, entries: 5 });
  });

  it("notices the audit log and its head deleted together, and the gap stays visible after new entries", async () => {
    writeSome(5);
    await unlink(file);
    await unlink(`${file}.head`);
    const next = new AuditLogger({ file, anchorFile, foldRoutine: false });
    expect(next.anchorProblems().join("\n")).toMatch(/says 5 entries were written, but the log has none/);
    expect(next.verify().ok).toBe(false);
    // AstrOS goes on from where the anchor says the chain was: the missing history is still reported.
    next.append(entry(9));
    const verified = new AuditLogger({ file, anchorFile }).verify();
    expect(verified.ok).toBe(false);
    expect(verified.problems.join("\n")).toMatch(/history starts at entry 6/);
  });

  it("notices the log and its head rewritten with a chain of their own", async () => {
    writeSome(5);
    const forgedFile = path.join(base, "forged", "audit.log");
    const forger = new AuditLogger({ file: forgedFile, foldRoutine: false });
    for (let index = 0; index < 5; index++) forger.append({ ...entry(index), detail: { command: "ls" } });
    const { readFile } = await import("node:fs/promises");
    await writeFile(file, await readFile(forgedFile));
    await writeFile(`${file}.head`, await readFile(`${forgedFile}.head`));
    const problems = new AuditLogger({ file, anchorFile }).anchorProblems();
    expect(problems.join("\n")).toMatch(/entry 5 was .*: the log and its head were rewritten/);
    // The forged chain is self-consistent: only the anchor can tell.
    expect(new AuditLogger({ file }).verify().ok).toBe(true);
    expect(new AuditLogger({ file, anchorFile }).verify().ok).toBe(false);
  });

  it("notices the log cut short with its head rewritten to match", async () => {
    const logger = writeSome(5);
    const kept = logger.read().slice(0, 3);
    const { readFile } = await import("node:fs/promises");
    const lines = (await readFile(file, "utf8")).split("\n").slice(0, 3);
    await writeFile(file, `${lines.join("\n")}\n`);
    await writeFile(`${file}.head`, JSON.stringify({ seq: 3, hash: kept[2]?.hash }));
    expect(new AuditLogger({ file }).verify().ok).toBe(true);
    expect(new AuditLogger({ file, anchorFile }).anchorProblems().join("\n")).toMatch(/log ends at entry 3/);
  });
});
