import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliSandbox, createCliSandbox } from "./run-cli.js";

/**
 * Issue 12, finding 7: the audit log records decisions, not data. Through the real CLI in a
 * temporary HOME: reads do not copy files into the log, no secret reaches it, it is bounded by
 * rotation whose hash chain `astros audit verify` checks across files, and reading it never grows it.
 */
let sandbox: CliSandbox;
beforeEach(async () => {
  sandbox = await createCliSandbox();
});
afterEach(async () => {
  await sandbox.dispose();
});

const stateFolder = () => path.join(sandbox.home, ".local", "state", "astros");

/** Bytes of every audit file (rotated ones and the head included). */
async function logBytes(): Promise<number> {
  let total = 0;
  for (const name of await readdir(stateFolder()).catch(() => [] as string[])) {
    if (name.startsWith("audit.log")) total += (await stat(path.join(stateFolder(), name))).size;
  }
  return total;
}

/** The rotated files, oldest first, then `audit.log`. */
async function auditFiles(): Promise<string[]> {
  const names = await readdir(stateFolder());
  return [...names.filter((name) => /^audit\.log\.\d+$/.test(name)).sort(), ...names.filter((name) => name === "audit.log")];
}

async function writeConfig(text: string): Promise<void> {
  await writeFile(path.join(sandbox.configDirectory, "config.toml"), text);
}

/** One astros process reading requests from piped standard input, one a line. */
function readRepeatedly(request: string, times: number) {
  return sandbox.run([], { input: `${`${request}\n`.repeat(times)}` });
}

describe("the audit log records decisions, not data", () => {
  it("grows by less than 100 KB while one process reads a 1 MB file 100 times", async () => {
    const contents = randomBytes(786_432)
      .toString("base64")
      .replace(/(.{76})/g, "$1\n");
    await writeFile(path.join(sandbox.home, "big.txt"), contents);
    const before = await logBytes();
    const result = await readRepeatedly("read ~/big.txt", 100);
    expect(result.code, result.stderr).toBe(0);
    const growth = (await logBytes()) - before;
    const listed = await sandbox.run(["audit", "--type", "request-completed", "--json", "--limit", "1000"]);
    const completed = listed.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    // Every read is recorded, with the size and hash of what was read instead of the text.
    expect(completed).toHaveLength(100);
    const summary = { bytes: Buffer.byteLength(contents), sha256: createHash("sha256").update(contents).digest("hex") };
    expect(summary.bytes).toBeGreaterThan(1_000_000);
    expect(completed[0]).toMatchObject({ outcome: "success", detail: { intent: "files.read", message: summary } });
    expect(growth, `the log grew by ${growth} bytes for 100 reads`).toBeLessThan(100 * 1024);
    process.stderr.write(`audit log growth for 100 reads of a ${summary.bytes}-byte file: ${growth} bytes\n`);
    expect((await sandbox.run(["audit", "verify"])).code).toBe(0);
  });

  it("never holds a secret that was read, asked or answered: 0 hits for each in the whole log folder", async () => {
    const secrets = {
      jwt: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImFkbWluIjp0cnVlfQ.c2lnbmF0dXJlLW9mLXRoZS1hZG1pbi10b2tlbg",
      postgres: "postgres://app_user:Pl4ntedPassw0rd@db.internal:5432/production",
      openssh: [
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        "QyNTUxOQAAACBplantedOpenSSHkeyMaterialForTheAuditTest0123456789abcdef",
        "-----END OPENSSH PRIVATE KEY-----",
      ].join("\n"),
      aws: "AKIAPLANTEDKEY123456",
      awsSecret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTED1234",
      bearer: "Bearer pl4nted.bearer-token_0123456789",
      base64: randomBytes(48).toString("base64"),
    };
    const file = Object.entries(secrets)
      .map(([name, secret]) => `${name} = ${secret}`)
      .join("\n");
    await writeFile(path.join(sandbox.home, "secrets.txt"), `# deployment notes\n${file}\n`);
    expect((await sandbox.run(["read ~/secrets.txt"])).code).toBe(0);
    expect((await sandbox.run(["--json", "read ~/secrets.txt"])).code).toBe(0);
    // A request that quotes a secret itself is recorded with the secret redacted.
    await sandbox.run([`connect to ${secrets.postgres} with ${secrets.bearer}`]);
    const fragments = [
      "eyJzdWIiOiJhZG1pbiIsImFkbWluIjp0cnVlfQ",
      "Pl4ntedPassw0rd",
      "plantedOpenSSHkeyMaterial",
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUA",
      "AKIAPLANTEDKEY123456",
      "wJalrXUtnFEMI/K7MDENG",
      "pl4nted.bearer-token",
      secrets.base64.slice(0, 24),
    ];
    const folder = stateFolder();
    const names = (await readdir(folder)).filter((name) => name.startsWith("audit"));
    expect(names.length).toBeGreaterThan(0);
    const everything = (await Promise.all(names.map((name) => readFile(path.join(folder, name), "utf8")))).join("\n");
    expect(everything).toContain("files.read");
    const hits = fragments.filter((fragment) => everything.includes(fragment));
    expect(hits).toEqual([]);
  });

  it("rotates at audit.max_file_bytes and verify passes across files, then names the rotated file and entry after an edit", async () => {
    await writeConfig("[audit]\nmax_file_bytes = 4096\nmax_files = 100\n");
    await writeFile(path.join(sandbox.home, "notes.txt"), "some notes\n");
    expect((await readRepeatedly("read ~/notes.txt", 30)).code).toBe(0);
    const files = await auditFiles();
    expect(files.length).toBeGreaterThan(3);
    const verified = await sandbox.run(["audit", "verify"]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/and \d+ rotated file\(s\): \d+ entries, chain intact/);
    // astros audit lists across every file: all 30 requests are there.
    const listed = await sandbox.run(["audit", "--type", "request-received", "--json", "--limit", "1000"]);
    expect(listed.stdout.trim().split("\n")).toHaveLength(30);

    const rotated = files[1] ?? "";
    const rotatedPath = path.join(stateFolder(), rotated);
    const original = await readFile(rotatedPath, "utf8");
    const lines = original.trimEnd().split("\n");
    const target = JSON.parse(lines[1] ?? "{}") as { seq: number };
    lines[1] = (lines[1] ?? "").replace(/"time":(\d+)/, (_, time) => `"time":${Number(time) + 1}`);
    await writeFile(rotatedPath, `${lines.join("\n")}\n`);
    const edited = await sandbox.run(["audit", "verify"]);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain(`${rotated}, line 2: content does not match its hash (entry ${target.seq} was edited)`);
    await writeFile(rotatedPath, original);
    expect((await sandbox.run(["audit", "verify"])).code).toBe(0);
  });

  it("fails verify when a file in the middle is deleted, and passes when rotation removed the oldest", async () => {
    await writeConfig("[audit]\nmax_file_bytes = 4096\nmax_files = 4\n");
    await writeFile(path.join(sandbox.home, "notes.txt"), "some notes\n");
    expect((await readRepeatedly("read ~/notes.txt", 40)).code).toBe(0);
    const files = await auditFiles();
    expect(files).toHaveLength(4);
    const kept = await sandbox.run(["audit", "verify"]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toMatch(/history kept from entry \d+: older files were removed by rotation/);

    const middle = files[1] ?? "";
    await rm(path.join(stateFolder(), middle));
    const missing = await sandbox.run(["audit", "verify"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(new RegExp(`entries ${Number(middle.split(".").at(-1))} to \\d+ are missing`));
  });

  it("refuses a find that deletes the log, and notices at the next start when the log and its head were deleted anyway", async () => {
    await writeFile(path.join(sandbox.home, "notes.txt"), "some notes\n");
    expect((await readRepeatedly("read ~/notes.txt", 3)).code).toBe(0);
    const before = await auditFiles();
    // From the command door, even confirmed in advance: FORBIDDEN, and the files stay.
    const refused = await sandbox.run(["--yes", "run find ~/.local/state -name 'audit*' -delete"]);
    expect(refused.stdout + refused.stderr).toMatch(/forbidden/i);
    expect(await auditFiles()).toEqual(before);

    // Done outside AstrOS: the log and its head go together.
    for (const name of await readdir(stateFolder())) if (name.startsWith("audit.log")) await rm(path.join(stateFolder(), name));
    const next = await sandbox.run(["read ~/notes.txt"]);
    expect(next.stderr).toMatch(/audit log was tampered with: the anchor .* says \d+ entries were written, but the log has none/);
    const verified = await sandbox.run(["audit", "verify"]);
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(/history starts at entry \d+|the log has none/);
  });

  it("never grows when read: astros audit, astros audit verify, and reading the log through AstrOS copies nothing", async () => {
    await writeFile(path.join(sandbox.home, "notes.txt"), "some notes\n");
    expect((await readRepeatedly("read ~/notes.txt", 5)).code).toBe(0);
    const before = await logBytes();
    await sandbox.run(["audit"]);
    await sandbox.run(["audit", "--json", "--limit", "1000"]);
    await sandbox.run(["audit", "verify"]);
    await sandbox.run(["audit", "verify", "--json"]);
    expect(await logBytes()).toBe(before);

    const logText = await readFile(path.join(stateFolder(), "audit.log"), "utf8");
    await sandbox.run(["read ~/.local/state/astros/audit.log"]);
    const after = await readFile(path.join(stateFolder(), "audit.log"), "utf8");
    const added = after.slice(logText.length);
    expect(after.startsWith(logText)).toBe(true);
    // Whether it was refused or answered, the log's own lines are not copied into it.
    expect(Buffer.byteLength(added)).toBeLessThan(2_000);
    for (const line of logText.trim().split("\n")) expect(added).not.toContain(JSON.parse(line).hash);
  });
});
