import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolAgent, type ToolAgent } from "../testing/start-tool-agent.js";
import { createTextTools } from "./text-plugin.js";

let base: string;
let outside: string;
let agent: ToolAgent;
const numbered = (count: number, word = "entry") =>
  Array.from({ length: count }, (_, index) => `${word}-${String(index + 1).padStart(2, "0")}`);

async function put(relative: string, content: string | Buffer) {
  const target = path.join(base, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
}

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-text-"));
  outside = await mkdtemp(path.join(os.tmpdir(), "astros-text-outside-"));
  await put("Documents/server.log", `${numbered(40).join("\n")}\n`);
  await put("Documents/essay draft.txt", "the quick brown fox\njumps over the lazy dog\n");
  await put("Documents/no newline.txt", "one\ntwo\nthree");
  await put("Documents/crlf.txt", "alpha\r\nbeta\r\ngamma\r\n");
  await put("Documents/unicode.txt", "héllo wörld ✓\n");
  await put("Documents/empty.txt", "");
  await put("Pictures/cat.png", Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), randomBytes(500)]));
  await put("Downloads/ubuntu.iso", randomBytes(3 * 1024 * 1024 + 17));
  await put("projects/api/README.md", "# API\nRun it with: make serve\n");
  await put("projects/web/readme.txt", "# Web\n");
  await put("projects/none/main.c", "int main;\n");
  for (let index = 1; index <= 5; index++) await put(`Pictures/Vacation 2019/IMG_${index}.jpg`, "jpg");
  await put("Pictures/Vacation 2019/day two/IMG_9.jpg", "jpg");
  await put("Pictures/Vacation 2019/.hidden", "x");
  await utimes(path.join(base, "Documents/essay draft.txt"), new Date("2025-03-14T10:30:00Z"), new Date("2025-03-14T10:30:00Z"));
  // A file outside the allowed root, reached by a link inside it, and a second name of a file inside it.
  await writeFile(path.join(outside, "secret.txt"), "the launch codes\n");
  await symlink(path.join(outside, "secret.txt"), path.join(base, "Documents/link.txt"));
  await put("Documents/twice.txt", "two names\n");
  await link(path.join(base, "Documents/twice.txt"), path.join(base, "Documents/twice-again.txt"));
  agent = await startToolAgent({ root: base, plugins: [createTextTools()] });
});

afterAll(async () => {
  await agent.stop();
  await rm(base, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const call = (tool: string, args: Record<string, unknown>) => agent.call(tool, args, { cwd: base });

describe("first and last lines", () => {
  it("shows exactly the first N lines, naming the file", async () => {
    await put("Documents/plain.log", `${numbered(40, "line").join("\n")}\n`);
    const response = await call("files.head", { path: "Documents/plain.log", lines: 5 });
    expect(response.success, response.message).toBe(true);
    expect(response.message).toBe(`The first 5 lines of Documents/plain.log:\n${numbered(5, "line").join("\n")}`);
  });

  it("shows exactly the last N lines, read from the end", async () => {
    const response = await call("files.tail", { path: "Documents/plain.log", lines: 3 });
    expect(response.message).toBe("The last 3 lines of Documents/plain.log:\nline-38\nline-39\nline-40");
  });

  it("prints only the lines for a command (head -n 3), as the command does", async () => {
    expect((await call("files.head", { path: "Documents/plain.log", lines: 3, bare: true })).message).toBe(
      "line-01\nline-02\nline-03",
    );
    expect((await call("files.tail", { path: "Documents/no newline.txt", lines: 2, bare: true })).message).toBe("two\nthree");
  });

  it("shows a range of lines, and says where the file ended", async () => {
    const range = await call("files.head", { path: "Documents/plain.log", from: 10, lines: 3 });
    expect(range.message).toBe("Lines 10–12 of Documents/plain.log:\nline-10\nline-11\nline-12");
    const past = await call("files.head", { path: "Documents/plain.log", from: 39, lines: 5 });
    expect(past.message).toBe("Lines 39–40 of Documents/plain.log (it ends there):\nline-39\nline-40");
    const none = await call("files.head", { path: "Documents/plain.log", from: 50, lines: 1 });
    expect(none.success).toBe(false);
    expect(none.message).toContain("there is no line 50");
  });

  it("says when the file has fewer lines than asked, and drops the CR of Windows line ends", async () => {
    const response = await call("files.head", { path: "Documents/crlf.txt", lines: 10 });
    expect(response.message).toBe("Documents/crlf.txt has only 3 lines:\nalpha\nbeta\ngamma");
    expect((await call("files.tail", { path: "Documents/empty.txt", lines: 3 })).message).toBe("Documents/empty.txt is empty.");
  });

  it("reads the last lines of a file bigger than one read, across chunk edges", async () => {
    const lines = Array.from({ length: 20_000 }, (_, index) => `row ${index} ${"x".repeat(index % 37)}`);
    await put("Documents/big.log", `${lines.join("\n")}\n`);
    const tail = await call("files.tail", { path: "Documents/big.log", lines: 4000, bare: true });
    expect(tail.message).toBe(lines.slice(-4000).join("\n"));
    const head = await call("files.head", { path: "Documents/big.log", lines: 4000, bare: true });
    expect(head.message).toBe(lines.slice(0, 4000).join("\n"));
  });

  it("refuses to show lines of a binary file, a folder, or a missing file, saying which", async () => {
    const binary = await call("files.head", { path: "Pictures/cat.png", lines: 3 });
    expect(binary.success).toBe(false);
    expect(binary.message).toContain("Pictures/cat.png is a binary file");
    expect((await call("files.tail", { path: "Documents", lines: 3 })).message).toContain("Documents is a folder");
    expect((await call("files.head", { path: "Documents/nope.txt", lines: 3 })).message).toContain(
      "There is no file or folder Documents/nope.txt",
    );
  });
});

describe("counting", () => {
  it("says the number plainly with the file name", async () => {
    const words = await call("files.count", { paths: ["Documents/essay draft.txt"], what: ["words"] });
    expect(words.message).toBe("Documents/essay draft.txt has 9 words.");
    const lines = await call("files.count", { path: "Documents/server.log", what: ["lines"] });
    expect(lines.message).toBe("Documents/server.log has 40 lines.");
  });

  it("counts characters as UTF-8 characters and bytes as bytes", async () => {
    const response = await call("files.count", { path: "Documents/unicode.txt", what: ["characters", "bytes"] });
    expect(response.message).toBe("Documents/unicode.txt has 14 characters and 18 bytes.");
  });

  it("counts a last line without a newline, and gives wc's figure too", async () => {
    const response = await call("files.count", { path: "Documents/no newline.txt", what: ["lines"] });
    expect(response.message).toBe(
      "Documents/no newline.txt has 3 lines (its last line has no newline at the end, so wc -l counts 2).",
    );
  });

  it("prints as wc does for a command, with a total for several files", async () => {
    const response = await call("files.count", {
      paths: ["Documents/server.log", "Documents/essay draft.txt"],
      what: ["lines", "words"],
      bare: true,
    });
    expect(response.message).toBe("40 40 Documents/server.log\n 2  9 Documents/essay draft.txt\n42 49 total");
  });

  it("counts several files in words with their total, and names one it could not count", async () => {
    const response = await call("files.count", { paths: ["Documents/server.log", "Documents/nope.txt"], what: ["lines"] });
    expect(response.success).toBe(true);
    expect(response.message).toContain("Documents/server.log: 40 lines");
    expect(response.message).toContain("Documents/nope.txt: not counted (There is no file or folder Documents/nope.txt)");
    expect(response.message).toContain("Total: 40 lines in 1 file.");
  });

  it("says a binary file has no words to count instead of counting its bytes as words, unless asked as wc", async () => {
    const words = await call("files.count", { path: "Pictures/cat.png", what: ["words"] });
    expect(words.success).toBe(false);
    expect(words.message).toContain("Pictures/cat.png is a binary file (507 bytes), not text");
    const wc = await call("files.count", { path: "Pictures/cat.png", what: ["bytes"], bare: true });
    expect(wc.message).toBe("507 Pictures/cat.png");
  });

  it("counts the files a folder holds, hidden ones and those in subfolders too", async () => {
    const files = await call("files.count", { path: "Pictures/Vacation 2019", what: ["files"] });
    expect(files.message).toBe("Pictures/Vacation 2019 holds 7 files (6 directly in it, the rest in its subfolders).");
    const folders = await call("files.count", { path: "Pictures/Vacation 2019", what: ["folders"] });
    expect(folders.message).toBe("Pictures/Vacation 2019 holds 1 folder.");
  });
});

describe("counting the text of a folder's files", () => {
  it("adds up the lines of every text file under it, binary files left out", async () => {
    await put("code/main.py", "a\nb\n");
    await put("code/lib/util.py", "c\nd\ne\n");
    await put("code/README.md", "# code\n");
    await put("code/logo.png", Buffer.from([0x89, 0, 1, 2]));
    const all = await call("files.count", { path: "code", what: ["lines"] });
    expect(all.message).toBe("The 3 text files in code (its subfolders included) have 6 lines in all (1 binary file left out).");
    const python = await call("files.count", { path: "code", what: ["lines"], ext: ["py"] });
    expect(python.message).toBe("The 2 .py files in code (its subfolders included) have 5 lines in all.");
  });
});

describe("checksums", () => {
  it("gives the sha256 of a file bigger than one read, by default", async () => {
    const expected = createHash("sha256")
      .update(await import("node:fs/promises").then(({ readFile }) => readFile(path.join(base, "Downloads/ubuntu.iso"))))
      .digest("hex");
    const response = await call("files.checksum", { path: "Downloads/ubuntu.iso" });
    expect(response.message).toBe(`SHA-256 checksum of Downloads/ubuntu.iso:\n${expected}`);
  });

  it("prints as md5sum does for a command, and never the file's content", async () => {
    const response = await call("files.checksum", { paths: ["Documents/essay draft.txt"], algorithm: "md5", bare: true });
    const expected = createHash("md5").update("the quick brown fox\njumps over the lazy dog\n").digest("hex");
    expect(response.message).toBe(`${expected}  Documents/essay draft.txt`);
    expect(response.message).not.toContain("quick brown");
  });

  it("says whether the file matches a checksum given", async () => {
    const right = createHash("sha1").update("").digest("hex");
    const matches = await call("files.checksum", {
      path: "Documents/empty.txt",
      algorithm: "sha1",
      expected: right.toUpperCase(),
    });
    expect(matches.message).toContain("It matches the checksum you gave.");
    const wrong = await call("files.checksum", { path: "Documents/empty.txt", algorithm: "sha1", expected: "0".repeat(40) });
    expect(wrong.message).toContain("It does NOT match");
  });
});

describe("facts about a file", () => {
  it("gives the size in words and in bytes", async () => {
    const response = await call("files.info", { path: "Downloads/ubuntu.iso", fact: "size" });
    expect(response.message).toBe("Downloads/ubuntu.iso is 3.0 MB (3,145,745 bytes).");
  });

  it("gives the last modified time with its date", async () => {
    const response = await call("files.info", { path: "Documents/essay draft.txt", fact: "modified" });
    expect(response.success).toBe(true);
    const local = new Date("2025-03-14T10:30:00Z");
    const day = `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, "0")}-${String(local.getDate()).padStart(2, "0")}`;
    expect(response.message).toMatch(new RegExp(`^Documents/essay draft\\.txt was last modified ${day} \\d\\d:\\d\\d `));
    expect(response.message).toContain("March 2025");
  });

  it("lists everything stat tells, for a file or a folder", async () => {
    const response = await call("files.info", { path: "Documents/essay draft.txt" });
    for (const label of ["Type:        file", "Size:        44 bytes", "Permissions:", "Modified:", "Created:"]) {
      expect(response.message).toContain(label);
    }
    expect((await call("files.info", { path: "Pictures" })).message).toContain("Type:        folder");
  });
});

describe("a folder's README", () => {
  it("finds README.* in the folder and shows it", async () => {
    const response = await call("files.readme", { path: "projects/api" });
    expect(response.message).toBe("projects/api/README.md:\n# API\nRun it with: make serve\n");
    expect((await call("files.readme", { path: "projects/web" })).message).toContain("# Web");
  });

  it("says plainly when there is none", async () => {
    const response = await call("files.readme", { path: "projects/none" });
    expect(response.success).toBe(false);
    expect(response.message).toContain("There is no README in projects/none");
  });
});

describe("the file boundary", () => {
  it("never reads through a link out of the allowed places, nor a second name of a file", async () => {
    for (const tool of ["files.head", "files.count", "files.checksum"]) {
      const response = await call(tool, { path: "Documents/link.txt" });
      expect(response.success, tool).toBe(false);
      expect(response.message).not.toContain("launch codes");
    }
    const hardLink = await call("files.checksum", { path: "Documents/twice-again.txt" });
    expect(hardLink.success).toBe(false);
    expect(hardLink.message).toContain("names (hard links)");
  });
});
