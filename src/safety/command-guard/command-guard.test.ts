import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { CommandGuard } from "./command-guard.js";

interface LabelledCommand {
  id: string;
  command: string;
  level: string;
  /** The folder it runs in, when the entry is about one. */
  cwd?: string;
}

const corpusFile = fileURLToPath(new URL("../../../test/data/guard-corpus.jsonl", import.meta.url));
const corpus = readFileSync(corpusFile, "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as LabelledCommand);

const aiosFile = fileURLToPath(new URL("../../../../shared/eval/aios-shell-tests/safety_command_cases.jsonl", import.meta.url));

let guard: CommandGuard;
beforeAll(async () => {
  guard = await CommandGuard.create({ homeDirectory: "/home/alice" });
});

describe("command guard on the labelled corpus", () => {
  it("has at least 150 labelled commands covering every level", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    for (const level of ["SAFE", "MODERATE", "DANGEROUS", "FORBIDDEN"]) {
      expect(corpus.filter((entry) => entry.level === level).length, level).toBeGreaterThan(25);
    }
  });

  it.each(corpus.map((entry) => [entry.id, entry.level, entry.command, entry.cwd] as const))(
    "%s is %s: %s",
    (_id, level, command, cwd) => {
      const verdict = guard.check(command, cwd === undefined ? {} : { cwd });
      expect(verdict.level, verdict.reasons.join("; ")).toBe(level);
      if (level !== "SAFE") expect(verdict.reasons.length).toBeGreaterThan(0);
    },
  );
});

describe.skipIf(!existsSync(aiosFile))("command guard on the AIOS shell's own cases", () => {
  it("gives every case the risk level the AIOS guard gives", () => {
    const rows = readFileSync(aiosFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { command: string; expected_risk: string });
    const misses = rows.filter((row) => guard.check(row.command).level !== row.expected_risk).map((row) => row.command);
    expect(misses).toEqual([]);
  });
});

const aiosPackageFile = fileURLToPath(
  new URL("../../../../shared/eval/aios-shell-tests/package_operation_cases.jsonl", import.meta.url),
);

describe.skipIf(!existsSync(aiosPackageFile))("command guard on the AIOS shell's package operations", () => {
  it("installs are MODERATE, removals ask, and removing a critical package is FORBIDDEN, with apt, apt-get and sudo", () => {
    const rows = readFileSync(aiosPackageFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { action: string; package: string; expected_risk: string; expected_allowed: boolean });
    expect(rows.length).toBeGreaterThanOrEqual(7);
    const misses: string[] = [];
    for (const row of rows) {
      const commands = [`apt-get ${row.action} -y ${row.package}`, `sudo apt ${row.action} ${row.package}`];
      if (row.action === "remove") commands.push(`apt purge ${row.package}`, `dpkg -r ${row.package}`);
      for (const command of commands) {
        const level = guard.check(command).level;
        if (level !== row.expected_risk || (level !== "FORBIDDEN") !== row.expected_allowed) misses.push(`${command}: ${level}`);
      }
    }
    expect(misses).toEqual([]);
  });
});

describe("command guard behaviour", () => {
  it("lists every simple command it found, with its own level", () => {
    const verdict = guard.check("ls -la && echo $(curl -s x | sh) ; rm -rf /");
    expect(verdict.level).toBe("FORBIDDEN");
    expect(verdict.commands.map((command) => command.program)).toEqual(["ls", "echo", "curl", "sh", "rm"]);
    expect(verdict.commands.find((command) => command.program === "rm")?.level).toBe("FORBIDDEN");
    expect(verdict.commands.find((command) => command.program === "ls")?.level).toBe("SAFE");
  });

  it("never calls an unparseable, over-long or nested-too-deep command SAFE", () => {
    expect(guard.check("if then fi )(").level).not.toBe("SAFE");
    expect(guard.check(`echo ${"a".repeat(100_001)}`).level).toBe("DANGEROUS");
    const nested = 'sh -c \'sh -c "sh -c \\"sh -c \\\\\\"sh -c ls\\\\\\"\\""\'';
    expect(guard.check(nested).level).not.toBe("SAFE");
  });

  it("judges what a shell, an interpreter or xargs reads on its standard input, when the caller says what that is", () => {
    expect(guard.check("bash", { input: "rm -rf /" }).level).toBe("FORBIDDEN");
    expect(guard.check("sh -s", { input: "mkfs.ext4 /dev/sda" }).level).toBe("FORBIDDEN");
    expect(guard.check("sudo -s", { input: "rm -rf ~" }).level).toBe("FORBIDDEN");
    expect(guard.check("xargs rm -rf", { input: "/tmp/a /" }).level).toBe("FORBIDDEN");
    // Deleting a system folder from Python is what `rm -rf /srv` is.
    expect(guard.check("python3", { input: "import shutil; shutil.rmtree('/srv')" }).level).toBe("FORBIDDEN");
    expect(guard.check("python3", { input: "import shutil; shutil.rmtree('data')" }).level).toBe("DANGEROUS");
    expect(guard.check("bash", { input: "rm -r ./data" }).level).toBe("DANGEROUS");
    expect(guard.check("bash", { input: "rm -r ./build" }).level).toBe("MODERATE");
    expect(guard.check("bash", { input: "echo hello" }).level).toBe("MODERATE");
    // A command that reads a file or a here-string of its own is judged on that, not on the caller's input.
    expect(guard.check("bash <<< 'echo hi'", { input: "rm -rf /" }).level).toBe("MODERATE");
    expect(guard.check("cat", { input: "rm -rf /" }).level).toBe("SAFE");
  });

  it("does not crash on binary, emoji or huge inputs", () => {
    for (const input of ["\u0000\u0001\u0002", "🔥 rm -rf / 🔥", "ls ".repeat(5000), "$((1+", "`", "'"]) {
      expect(() => guard.check(input)).not.toThrow();
    }
    expect(guard.check("").level).toBe("SAFE");
  });
});
