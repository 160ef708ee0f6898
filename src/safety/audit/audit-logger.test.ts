import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../agent/pipeline-seams.js";
import { AuditLogger } from "./audit-logger.js";

let directory: string;
let file: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), "astros-audit-"));
  file = path.join(directory, "audit.log");
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const entry = (index: number, detail: Record<string, unknown> = {}): AuditEntry => ({
  type: "tool-call-started",
  requestId: `r${index}`,
  userId: "alice",
  sessionId: "s1",
  time: 1_700_000_000_000 + index,
  detail: { index, ...detail },
});

async function writeFive(): Promise<string[]> {
  const logger = new AuditLogger({ file });
  for (let index = 1; index <= 5; index++) logger.append(entry(index));
  return (await readFile(file, "utf8")).trim().split("\n");
}

describe("audit log", () => {
  it("chains entries and verifies an untouched log", async () => {
    const logger = new AuditLogger({ file });
    const first = logger.append(entry(1));
    const second = logger.append(entry(2));
    expect(first).toMatchObject({ seq: 1, prev: "" });
    expect(second.prev).toBe(first.hash);
    expect(logger.verify()).toMatchObject({ ok: true, entries: 2, problems: [] });
    expect(new AuditLogger({ file }).read().map((stored) => stored.requestId)).toEqual(["r1", "r2"]);
  });

  it("detects an edited entry", async () => {
    const lines = await writeFive();
    // Lines after the first leave out the user when it is the same: adding it back changes the entry all the same.
    lines[2] = (lines[2] ?? "").replace('"index":3', '"index":33');
    lines[3] = (lines[3] ?? "").replace("{", '{"userId":"mallory",');
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = new AuditLogger({ file }).verify();
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/audit\.log, line 3: content does not match its hash \(entry 3 was edited\)/);
    expect(result.problems.join("\n")).toMatch(/audit\.log, line 4: content does not match its hash \(entry 4 was edited\)/);
  });

  it("detects a removed entry, a reordering and a truncated tail", async () => {
    const lines = await writeFive();
    await writeFile(file, `${[...lines.slice(0, 2), ...lines.slice(3)].join("\n")}\n`);
    expect(new AuditLogger({ file }).verify().problems.join("\n")).toMatch(/line 3: entry number 4 where 3 was expected/);
    await writeFile(file, `${[lines[0], lines[2], lines[1], lines[3], lines[4]].join("\n")}\n`);
    expect(new AuditLogger({ file }).verify().ok).toBe(false);
    await writeFile(file, `${lines.slice(0, 4).join("\n")}\n`);
    expect(new AuditLogger({ file }).verify().problems.join("\n")).toMatch(/entries were removed from the end/);
  });

  it("redacts secrets from fields and from free text", async () => {
    const logger = new AuditLogger({ file });
    logger.append(
      entry(1, {
        api_key: "sk-live-1234567890abcdef",
        command: 'curl -H "Authorization: Bearer abcdefghijkl123" https://x && export OPENAI_API_KEY=sk-abcdefghijklmnop',
        url: "postgres://astros:hunter2@db/astros",
      }),
    );
    const text = await readFile(file, "utf8");
    for (const secret of ["sk-live-1234567890abcdef", "abcdefghijkl123", "sk-abcdefghijklmnop", "hunter2"])
      expect(text).not.toContain(secret);
    expect(logger.verify().ok).toBe(true);
  });

  it("writes entries recorded together as one batch, in order, chained and durable when each promise resolves", async () => {
    const logger = new AuditLogger({ file });
    const recorded = Array.from({ length: 200 }, (_, index) => logger.record(entry(index + 1)));
    await Promise.all(recorded);
    const entries = logger.read();
    expect(entries.map((stored) => stored.detail.index)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    expect(logger.verify()).toMatchObject({ ok: true, entries: 200, problems: [] });
    await logger.record(entry(201));
    expect(logger.verify().entries).toBe(201);
  });

  it("keeps every acknowledged entry when the process is killed with SIGKILL", async () => {
    const module = fileURLToPath(new URL("../../../dist/safety/audit/audit-logger.js", import.meta.url));
    const script = `
      const { AuditLogger } = await import(${JSON.stringify(module)});
      const logger = new AuditLogger({ file: ${JSON.stringify(file)} });
      for (let index = 1; ; index++) {
        logger.append({ type: "request-received", requestId: "r" + index, userId: "u", sessionId: "s", time: Date.now(), detail: { index } });
        process.stdout.write("ok " + index + "\\n");
      }`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let acknowledged = 0;
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        const numbers = chunk.toString().match(/ok (\d+)/g) ?? [];
        const last = numbers.at(-1);
        if (last !== undefined) acknowledged = Number(last.slice(3));
        if (acknowledged >= 40 && !child.killed) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.on("close", resolve));
    const logger = new AuditLogger({ file });
    const stored = logger.read();
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged);
    expect(stored.slice(0, acknowledged).map((item) => item.requestId)).toEqual(
      Array.from({ length: acknowledged }, (_, index) => `r${index + 1}`),
    );
    // The chain holds even if the kill fell between the log write and the head update, and appending goes on from the log's tip.
    expect(logger.verify().problems).toEqual([]);
    logger.append(entry(999));
    expect(logger.verify()).toMatchObject({ ok: true, entries: stored.length + 1 });
  });

  it("continues the chain from the log itself when the head file lags after a crash", async () => {
    const logger = new AuditLogger({ file });
    logger.append(entry(1));
    const headText = await readFile(`${file}.head`, "utf8");
    logger.append(entry(2));
    await writeFile(`${file}.head`, headText); // as if the process died before updating the head
    expect(logger.verify().ok).toBe(true);
    logger.append(entry(3));
    expect(logger.verify()).toMatchObject({ ok: true, entries: 3, problems: [] });
  });
});
