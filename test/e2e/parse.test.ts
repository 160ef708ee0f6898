import { readdir } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliSandbox, createCliSandbox } from "./run-cli.js";

let sandbox: CliSandbox;
beforeEach(async () => {
  sandbox = await createCliSandbox();
});
afterEach(async () => {
  await sandbox.dispose();
});

const reference = ["--now", "2026-03-18T10:00:00Z", "--cwd", "/home/alice/projects/site"];

describe("astros parse", () => {
  it("answers {id,intent,confidence,slots} lines in order for --jsonl, without touching the file system", async () => {
    const input = [
      { id: "a", text: "organize my Downloads by type" },
      { id: 7, text: "remind me tomorrow at 9am to submit the report" },
      { id: "c", text: "delete my twitter account" },
    ]
      .map((line) => JSON.stringify(line))
      .join("\n");
    const result = await sandbox.run(["parse", "--jsonl", ...reference], { input, env: { HOME: "/home/alice", TZ: "UTC" } });
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        id: "a",
        intent: "files.organize",
        confidence: expect.any(Number),
        slots: expect.objectContaining({ path: "/home/alice/Downloads", method: "type" }),
      },
      {
        id: 7,
        intent: "schedule.create",
        confidence: expect.any(Number),
        slots: expect.objectContaining({ at: "2026-03-19T09:00", text: "submit the report" }),
      },
      { id: "c", intent: "unknown", confidence: expect.any(Number), slots: {} },
    ]);
    expect(await readdir(sandbox.dataDirectory).catch(() => [])).toEqual([]);
  });

  it("answers a bad line with an unknown line in its place, says why on stderr, and exits 2", async () => {
    const result = await sandbox.run(["parse", "--jsonl", ...reference], { input: 'not json\n{"id":"x","text":"undo"}\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("line 1: not JSON");
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.intent)).toEqual(["unknown", "files.undo"]);
  });

  it("prints one request's intent and slots, as text or JSON, and refuses a bad --now", async () => {
    const text = await sandbox.run(["parse", ...reference, "find pdfs over 5 MB in Documents"], { env: { HOME: "/home/alice" } });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("files.search");
    expect(text.stdout).toContain('path: "/home/alice/Documents"');
    const json = await sandbox.run(["parse", "--json", ...reference, "kill whatever is on port 3000"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ intent: "process.kill", slots: { port: 3000 } });
    const bad = await sandbox.run(["parse", "--now", "yesterday-ish", "hello"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--now");
  });
});
