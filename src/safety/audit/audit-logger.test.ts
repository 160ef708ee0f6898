import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../agent/pipeline-seams.js";
import { canonical } from "./audit-chain.js";
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

describe("audit logs written before", () => {
  it("verifies a log in the earlier format (every line whole, 64-digit hashes) and goes on appending to it", async () => {
    let prev = "";
    const lines = [1, 2, 3].map((index) => {
      const body = { ...entry(index), seq: index, prev };
      const hash = createHash("sha256").update(canonical(body)).digest("hex");
      prev = hash;
      return JSON.stringify({ ...body, hash });
    });
    await writeFile(file, `${lines.join("\n")}\n`);
    await writeFile(`${file}.head`, JSON.stringify({ seq: 3, hash: prev }));
    const logger = new AuditLogger({ file });
    expect(logger.verify()).toMatchObject({ ok: true, entries: 3 });
    logger.append(entry(4));
    logger.append(entry(5));
    expect(logger.verify()).toMatchObject({ ok: true, entries: 5, problems: [] });
    expect(logger.read().map((stored) => stored.requestId)).toEqual(["r1", "r2", "r3", "r4", "r5"]);
    const edited = (await readFile(file, "utf8")).replace('"requestId":"r2"', '"requestId":"r9"');
    await writeFile(file, edited);
    expect(new AuditLogger({ file }).verify().problems).toEqual([
      "audit.log, line 2: content does not match its hash (entry 2 was edited)",
    ]);
  });
});

describe("audit log rotation", () => {
  const fill = (logger: AuditLogger, count: number, from = 1) => {
    for (let index = from; index < from + count; index++)
      logger.append(entry(index, { note: `entry ${index} ${"x".repeat(200)}` }));
  };

  it("rotates at max_file_bytes, carries the hash chain into the next file, and verifies across every file", async () => {
    const logger = new AuditLogger({ file, maxFileBytes: 2048, maxFiles: 100 });
    fill(logger, 40);
    const files = logger.files();
    expect(files.length).toBeGreaterThan(3);
    expect(path.basename(files[0] ?? "")).toBe("audit.log.000000000001");
    expect(files.at(-1)).toBe(file);
    for (const name of files) expect((await stat(name)).size).toBeLessThanOrEqual(2048 + 600);
    // Each file's first line carries the previous file's last hash.
    for (let index = 1; index < files.length; index++) {
      const before = (await readFile(files[index - 1] ?? "", "utf8")).trim().split("\n").at(-1) ?? "";
      const first = (await readFile(files[index] ?? "", "utf8")).split("\n")[0] ?? "";
      expect(JSON.parse(first).prev).toBe(JSON.parse(before).hash);
    }
    expect(logger.verify()).toMatchObject({ ok: true, entries: 40, problems: [], firstSeq: 1 });
    expect(logger.read().map((stored) => stored.seq)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  });

  it("fails verify naming the rotated file and the entry after an edit in it", async () => {
    const logger = new AuditLogger({ file, maxFileBytes: 2048, maxFiles: 100 });
    fill(logger, 40);
    const rotated = logger.files()[1] ?? "";
    const lines = (await readFile(rotated, "utf8")).trim().split("\n");
    const edited = JSON.parse(lines[1] ?? "");
    lines[1] = (lines[1] ?? "").replace('"note":"entry', '"note":"Entry');
    await writeFile(rotated, `${lines.join("\n")}\n`);
    const result = new AuditLogger({ file }).verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      `${path.basename(rotated)}, line 2: content does not match its hash (entry ${edited.seq} was edited)`,
    ]);
  });

  it("fails verify when a file in the middle is deleted, naming the missing entries", async () => {
    const logger = new AuditLogger({ file, maxFileBytes: 2048, maxFiles: 100 });
    fill(logger, 40);
    const files = logger.files();
    const middle = files[2] ?? "";
    const firstMissing = Number(path.basename(middle).split(".").at(-1));
    await rm(middle);
    const result = new AuditLogger({ file }).verify();
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(
      new RegExp(
        `${path.basename(files[3] ?? "").replace(/\./g, "\\.")}, line 1: entry number \\d+ where ${firstMissing} was expected \\(entries ${firstMissing} to \\d+ are missing`,
      ),
    );
  });

  it("removes the oldest files past max_files, and verify starts at the oldest file kept", async () => {
    const logger = new AuditLogger({ file, maxFileBytes: 2048, maxFiles: 3 });
    fill(logger, 60);
    const files = logger.files();
    expect(files).toHaveLength(3);
    const result = logger.verify();
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.firstSeq).toBeGreaterThan(1);
    expect(logger.read()[0]?.seq).toBe(result.firstSeq);
    expect(logger.read().at(-1)?.seq).toBe(60);
    // Removing the oldest kept file by hand is not rotation: verify says so.
    await rm(files[0] ?? "");
    const tampered = new AuditLogger({ file }).verify();
    expect(tampered.ok).toBe(false);
    expect(tampered.problems.join("\n")).toMatch(/the oldest file was removed outside rotation/);
  });

  it("keeps one unbroken chain when several processes append and rotate at once", async () => {
    const module = fileURLToPath(new URL("../../../dist/safety/audit/audit-logger.js", import.meta.url));
    const writer = (name: string) => `
      const { AuditLogger } = await import(${JSON.stringify(module)});
      const logger = new AuditLogger({ file: ${JSON.stringify(file)}, maxFileBytes: 4096, maxFiles: 1000 });
      for (let index = 1; index <= 60; index++) {
        await logger.record({ type: "tool-call-started", requestId: "${name}" + index, userId: "${name}", sessionId: "s", time: Date.now(), detail: { index, note: "x".repeat(100) } });
      }`;
    const children = ["a", "b", "c"].map((name) =>
      spawn(process.execPath, ["--input-type=module", "-e", writer(name)], { stdio: "inherit" }),
    );
    const codes = await Promise.all(children.map((child) => new Promise((resolve) => child.on("close", resolve))));
    expect(codes).toEqual([0, 0, 0]);
    const logger = new AuditLogger({ file });
    expect(logger.files().length).toBeGreaterThan(5);
    expect(logger.verify()).toMatchObject({ ok: true, entries: 180, problems: [] });
    expect(new Set(logger.read().map((stored) => stored.requestId)).size).toBe(180);
  });

  it("keeps its files 0600 in a 0700 folder, even a folder made before with a looser mode", async () => {
    const folder = path.join(directory, "state");
    await mkdir(folder, { mode: 0o755 });
    await chmod(folder, 0o755);
    const logger = new AuditLogger({ file: path.join(folder, "audit.log"), maxFileBytes: 2048 });
    fill(logger, 20);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    for (const name of [...logger.files(), `${logger.file}.head`]) expect((await stat(name)).mode & 0o777).toBe(0o600);
  });
});

describe("audit log records decisions, not data", () => {
  const at = (type: AuditEntry["type"], detail: Record<string, unknown>, outcome?: string): AuditEntry => ({
    type,
    requestId: "r1",
    userId: "alice",
    sessionId: "s1",
    time: 1_700_000_000_000,
    detail,
    ...(outcome === undefined ? {} : { outcome }),
  });

  it("never stores what a tool read: a 1 MB answer becomes its size and sha256", async () => {
    const logger = new AuditLogger({ file });
    const contents = "secret line\n".repeat(90_000);
    logger.append(at("request-completed", { intent: "files.read", message: contents }, "success"));
    const text = await readFile(file, "utf8");
    expect(text.length).toBeLessThan(600);
    expect(text).not.toContain("secret line");
    expect(logger.read()[0]?.detail.message).toEqual({
      bytes: Buffer.byteLength(contents),
      sha256: createHash("sha256").update(contents).digest("hex"),
    });
  });

  it("summarizes every field of every entry, whoever built it: content fields, long text, long lists, extra fields", async () => {
    const logger = new AuditLogger({ file });
    const names = Array.from({ length: 500 }, (_, index) => `/home/alice/file-${index}.txt`);
    logger.append({
      ...at("tool-call-started", {
        tool: "files.write",
        args: { path: "/home/alice/notes.txt", content: "short but private" },
        matches: names,
        stdout: "private output",
        note: "y".repeat(5_000),
      }),
      taint: { source: "files.read", path: "/home/alice/mail.txt", excerpt: "z".repeat(3_000) },
    } as AuditEntry);
    const text = await readFile(file, "utf8");
    for (const leaked of ["short but private", "private output", "file-499", "yyyyyyyyyy", "zzzzzzzzzz"])
      expect(text).not.toContain(leaked);
    const [stored] = logger.read() as Array<AuditEntry & { taint?: Record<string, unknown> }>;
    expect(stored?.detail.args).toMatchObject({ path: "/home/alice/notes.txt", content: { bytes: 17 } });
    expect(stored?.detail.matches).toMatchObject({ count: 500, first: names.slice(0, 5) });
    expect(stored?.detail.note).toMatchObject({ bytes: 5_000 });
    expect(stored?.taint).toMatchObject({ source: "files.read", path: "/home/alice/mail.txt", excerpt: { bytes: 3_000 } });
    expect(logger.verify().ok).toBe(true);
  });

  it("writes a request's arrival, its allow verdicts and a call's completion with the next entry of that request, and lists them back", async () => {
    const logger = new AuditLogger({ file });
    await logger.record(at("request-received", { text: "read notes.txt", channel: "cli" }));
    await logger.record(
      at(
        "decision-made",
        { step: "authorizer", tool: "files.read", plugin: "files", verdict: "allow", reason: "ok", paths: ["/a"] },
        "allow",
      ),
    );
    await logger.record(
      at(
        "decision-made",
        {
          step: "guard",
          tool: "files.read",
          plugin: "files",
          verdict: "allow",
          reason: "nothing risky",
          risk: "SAFE",
          paths: ["/a"],
        },
        "allow",
      ),
    );
    await logger.record(at("tool-call-started", { tool: "files.read", plugin: "files", handler: "read", args: { path: "/a" } }));
    await logger.record(
      at(
        "tool-call-completed",
        { tool: "files.read", plugin: "files", handler: "read", durationMs: 3, message: "hello" },
        "success",
      ),
    );
    await logger.record(at("request-completed", { intent: "files.read", message: "hello" }, "success"));
    expect((await readFile(file, "utf8")).trim().split("\n")).toHaveLength(2);
    expect(logger.read().map((stored) => [stored.type, stored.outcome, stored.detail.step ?? stored.detail.tool])).toEqual([
      ["request-received", undefined, undefined],
      ["decision-made", "allow", "authorizer"],
      ["decision-made", "allow", "guard"],
      ["tool-call-started", undefined, "files.read"],
      ["tool-call-completed", "success", "files.read"],
      ["request-completed", "success", undefined],
    ]);
    expect(logger.read()[2]?.detail).toMatchObject({
      tool: "files.read",
      plugin: "files",
      verdict: "allow",
      risk: "SAFE",
      paths: ["/a"],
    });
    // The call's answer is the request's answer: its size and sha256 are written once and listed for both.
    const hello = { bytes: 5, sha256: createHash("sha256").update("hello").digest("hex") };
    expect(logger.read()[4]?.detail.message).toEqual(hello);
    expect(logger.read()[5]?.detail.message).toEqual(hello);
    expect((await readFile(file, "utf8")).split(hello.sha256)).toHaveLength(2);
    expect(logger.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it("writes a denial, a question's answer and a call's start at once (durable before anything acts on them)", async () => {
    const logger = new AuditLogger({ file });
    await logger.record(at("decision-made", { step: "guard", verdict: "deny", reason: "forbidden" }, "deny"));
    expect(logger.read().map((stored) => stored.type)).toEqual(["decision-made"]);
    await logger.record(at("confirmation-answered", { kind: "action", via: "terminal" }, "confirmed"));
    await logger.record(at("tool-call-started", { tool: "shell.exec" }));
    expect(logger.read()).toHaveLength(3);
  });

  it("writes held entries when the process exits before anything follows them", async () => {
    const module = fileURLToPath(new URL("../../../dist/safety/audit/audit-logger.js", import.meta.url));
    const script = `
      const { AuditLogger } = await import(${JSON.stringify(module)});
      const logger = new AuditLogger({ file: ${JSON.stringify(file)} });
      await logger.record({ type: "request-received", requestId: "r9", userId: "u", sessionId: "s", time: Date.now(), detail: { text: "cut short" } });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "inherit" });
    expect(await new Promise((resolve) => child.on("close", resolve))).toBe(0);
    const logger = new AuditLogger({ file });
    expect(logger.read().map((stored) => [stored.type, stored.detail.text])).toEqual([["request-received", "cut short"]]);
    expect(logger.verify().ok).toBe(true);
  });

  it("writes held entries on their own when nothing follows them", async () => {
    const logger = new AuditLogger({ file });
    await logger.record(at("request-received", { text: "hello" }));
    expect(logger.read()).toEqual([]);
    logger.flushHeld();
    expect(logger.read().map((stored) => stored.type)).toEqual(["request-received"]);
    expect(logger.verify().ok).toBe(true);
  });
});
