import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";
import { commandWords } from "./text-command-rules.js";

const home = referenceContext.home;
const cwd = referenceContext.cwd;
const parse = (text: string) => parseRequest(text, { context: referenceContext });

/** The intent and slots a request is read as. */
function reading(text: string) {
  const { intent, slots } = parse(text);
  return { intent, slots };
}

describe("first and last lines of a file", () => {
  it.each([
    ["first 5 lines of Documents/server.log", "files.head", `${cwd}/Documents/server.log`, 5],
    ["show me the first ten lines of ~/notes/todo.md", "files.head", `${home}/notes/todo.md`, 10],
    ["the top 3 rows of people.csv", "files.head", `${cwd}/people.csv`, 3],
    ["what's the first line of ~/.bashrc", "files.head", `${home}/.bashrc`, 1],
    ["can you show me the last 3 lines of Downloads/install.log", "files.tail", `${cwd}/Downloads/install.log`, 3],
    ["print the final twenty lines in /var/log/syslog", "files.tail", "/var/log/syslog", 20],
    ["last line of install.log in Downloads", "files.tail", `${home}/Downloads/install.log`, 1],
    ["the 2 last lines of app.log", "files.tail", `${cwd}/app.log`, 2],
    ["give me the tail of app.log", "files.tail", `${cwd}/app.log`, 10],
  ])("%s", (text, intent, path, lines) => {
    expect(reading(text)).toEqual({ intent, slots: { path, lines } });
  });

  it("reads a range of lines, or one line, as those lines", () => {
    expect(reading("lines 10 to 20 of notes.txt")).toEqual({
      intent: "files.head",
      slots: { path: `${cwd}/notes.txt`, from: 10, lines: 11 },
    });
    expect(reading("show me line 7 of ~/logs/app.log").slots).toEqual({ path: `${home}/logs/app.log`, from: 7, lines: 1 });
    expect(reading("print rows 2-4 of people.csv").slots).toMatchObject({ from: 2, lines: 3 });
  });

  it("reads an ordinal line as that line", () => {
    expect(reading("print the 3rd line of notes.txt").slots).toEqual({ path: `${cwd}/notes.txt`, from: 3, lines: 1 });
    expect(reading("what's the second line of notes.txt").slots).toEqual({ path: `${cwd}/notes.txt`, from: 2, lines: 1 });
  });

  it("is not the plain first lines or a plain count when the lines asked for are narrowed", () => {
    for (const text of [
      "first 5 lines containing error in app.log",
      "how many lines contain ERROR in app.log",
      "count the non-empty lines in notes.txt",
      "how many unique words are in essay.txt",
      "how many lines that start with # are in config.ini",
    ]) {
      expect(parse(text).intent, text).not.toMatch(/^files\.(?:head|tail|count)$/);
    }
    expect(reading("count the lines in that file notes.txt").intent).toBe("files.count");
  });

  it("reads head and tail typed as commands as the commands do, options understood", () => {
    expect(reading("head -n 3 Documents/people.csv")).toEqual({
      intent: "files.head",
      slots: { path: `${cwd}/Documents/people.csv`, lines: 3, bare: true },
    });
    expect(reading("tail -5 ~/logs/app.log").slots).toEqual({ path: `${home}/logs/app.log`, lines: 5, bare: true });
    expect(reading("head --lines=7 notes.txt").slots).toMatchObject({ lines: 7 });
    expect(reading("tail -n2 notes.txt").slots).toMatchObject({ lines: 2 });
    expect(reading("head notes.txt").slots).toMatchObject({ lines: 10 });
    expect(reading("head -n 2 'my notes.txt'").slots).toMatchObject({ path: `${cwd}/my notes.txt`, lines: 2 });
  });

  it("leaves options the tools do not do exactly to the command itself, and never follows a file", () => {
    for (const line of ["head -c 20 a.txt", "tail -n +2 people.csv", "head a.txt b.txt", "cat -n notes.txt", "cat a.txt b.txt"]) {
      expect(reading(line), line).toEqual({ intent: "shell.run", slots: { command: line } });
    }
    // Only reading: a pipe or a redirection is not taken as one of these.
    expect(parse("head -n 5 a.txt > b.txt").slots.command).not.toBe("head -n 5 a.txt > b.txt");
    expect(reading("cat notes.txt")).toEqual({ intent: "files.read", slots: { path: `${cwd}/notes.txt` } });
    expect(parse("tail -f app.log").intent).not.toMatch(/^files\./);
    expect(parse("tail -f app.log").intent).not.toBe("shell.run");
  });

  it("is not a reading when the request asks to change the lines", () => {
    for (const text of [
      "delete the first 3 lines of notes.txt",
      "remove the last line of notes.txt",
      "copy the first 10 lines of a.txt to b.txt",
    ]) {
      expect(parse(text).intent, text).not.toMatch(/^files\.(?:head|tail)$/);
    }
  });

  it("needs a file", () => {
    expect(parse("first line of defense").intent).toBe("unknown");
    expect(parse("the end of the world").intent).toBe("unknown");
  });
});

describe("counting lines, words and characters", () => {
  it.each([
    ["how many lines are in projects/site/index.html", [`${cwd}/projects/site/index.html`], ["lines"]],
    ["count the words in 'Documents/essay draft.txt'", [`${cwd}/Documents/essay draft.txt`], ["words"]],
    ["how many characters does bio.txt have", [`${cwd}/bio.txt`], ["characters"]],
    ["word count of a.md and b.md", [`${cwd}/a.md`, `${cwd}/b.md`], ["words"]],
    ["number of lines and words in ~/notes.txt", [`${home}/notes.txt`], ["lines", "words"]],
    ["line count for data.csv", [`${cwd}/data.csv`], ["lines"]],
  ])("%s", (text, paths, what) => {
    expect(reading(text)).toEqual({ intent: "files.count", slots: { paths, what } });
  });

  it("reads wc as wc counts", () => {
    expect(reading("wc -l notes.txt")).toEqual({
      intent: "files.count",
      slots: { paths: [`${cwd}/notes.txt`], what: ["lines"], bare: true },
    });
    expect(reading("wc -wl a.txt b.txt").slots).toEqual({
      paths: [`${cwd}/a.txt`, `${cwd}/b.txt`],
      what: ["lines", "words"],
      bare: true,
    });
    expect(reading("wc notes.txt").slots).toMatchObject({ what: ["lines", "words", "bytes"] });
    expect(reading("wc -m notes.txt").slots).toMatchObject({ what: ["characters"] });
  });

  it("counts the files a folder holds, and leaves a count of one kind of file to search", () => {
    expect(reading("how many files are in Pictures/trip")).toEqual({
      intent: "files.count",
      slots: { path: `${cwd}/Pictures/trip`, what: ["files"] },
    });
    expect(reading("how many folders are in my Documents")).toEqual({
      intent: "files.count",
      slots: { path: `${home}/Documents`, what: ["folders"] },
    });
    expect(reading("count the files in ~/Downloads").slots).toEqual({ path: `${home}/Downloads`, what: ["files"] });
    expect(parse("count the pdfs in Downloads").intent).not.toBe("files.count");
    expect(reading("how many folders are in projects")).toEqual({
      intent: "files.count",
      slots: { path: `${cwd}/projects`, what: ["folders"] },
    });
  });

  it("counts the lines of every file in a folder, or of one kind of file", () => {
    expect(reading("how many lines of code are in projects/site")).toEqual({
      intent: "files.count",
      // A path without an extension may be a file or a folder: the tool looks (a folder's files are counted).
      slots: { paths: [`${cwd}/projects/site`], what: ["lines"] },
    });
    expect(reading("count the lines in all the python files in src")).toEqual({
      intent: "files.count",
      slots: { path: `${cwd}/src`, what: ["lines"], ext: ["py"] },
    });
    expect(reading("count the lines in all the python files in projects/calc").slots).toEqual({
      path: `${cwd}/projects/calc`,
      what: ["lines"],
      ext: ["py"],
    });
  });
});

describe("checksums", () => {
  it.each([
    ["sha256 of Downloads/ubuntu.iso", "sha256"],
    ["what's the checksum of setup.exe", "sha256"],
    ["md5 of backup.tar", "md5"],
    ["give me the sha1 hash of release.tgz", "sha1"],
    ["sha512sum of disk.img", "sha512"],
  ])("%s", (text, algorithm) => {
    expect(reading(text)).toMatchObject({ intent: "files.checksum", slots: { algorithm } });
  });

  it("compares with a checksum given, its kind known by its length", () => {
    const digest = "5d41402abc4b2a76b9719d911017c592";
    expect(reading(`does hello.txt match ${digest}`)).toEqual({
      intent: "files.checksum",
      slots: { paths: [`${cwd}/hello.txt`], algorithm: "md5", expected: digest },
    });
  });

  it("reads the checksum programs typed as commands, and leaves their check mode to the command", () => {
    expect(reading("sha256sum ~/Downloads/a.iso")).toEqual({
      intent: "files.checksum",
      slots: { paths: [`${home}/Downloads/a.iso`], algorithm: "sha256", bare: true },
    });
    expect(reading("md5sum a.txt b.txt").slots).toMatchObject({ paths: [`${cwd}/a.txt`, `${cwd}/b.txt`], algorithm: "md5" });
    expect(reading("sha256sum -c sums.txt")).toEqual({ intent: "shell.run", slots: { command: "sha256sum -c sums.txt" } });
  });

  it("leaves hashtags alone", () => {
    expect(parse("what hashtags should i use for cat.jpg").intent).not.toBe("files.checksum");
  });
});

describe("facts about one file", () => {
  it.each([
    ["hey quick question, how big is the file Videos/lecture.mp4?", `${cwd}/Videos/lecture.mp4`, "size"],
    ["what's the size of Music/song.flac", `${cwd}/Music/song.flac`, "size"],
    ["when was Documents/contract.pdf last modified?", `${cwd}/Documents/contract.pdf`, "modified"],
    ["last modified date of lease.pdf", `${cwd}/lease.pdf`, "modified"],
    ["when did notes/plan.txt last change", `${cwd}/notes/plan.txt`, "modified"],
    ["when was report.docx created", `${cwd}/report.docx`, "created"],
    ["when was my Documents folder last modified", `${home}/Documents`, "modified"],
    ["details about setup.exe", `${cwd}/setup.exe`, "all"],
    ["stat Documents/lease.pdf", `${cwd}/Documents/lease.pdf`, "all"],
    ["file size Documents/report.pdf", `${cwd}/Documents/report.pdf`, "size"],
    ["is Videos/movie.mkv big", `${cwd}/Videos/movie.mkv`, "size"],
    ["who owns Documents/notes.txt", `${cwd}/Documents/notes.txt`, "all"],
  ])("%s", (text, path, fact) => {
    expect(reading(text)).toEqual({ intent: "files.info", slots: { path, fact } });
  });

  it("leaves a folder's size to disk usage and date searches to search", () => {
    expect(parse("how big is my Downloads folder").intent).toBe("files.disk_usage");
    expect(parse("find files modified today").intent).toBe("files.search");
  });
});

describe("a folder's README", () => {
  it.each([
    ["read me the readme in projects/api", `${cwd}/projects/api`],
    ["show me the README of ~/code/tool", `${home}/code/tool`],
    ["what does the readme in ~/src/app say", `${home}/src/app`],
    ["show the readme", cwd],
    ["open the readme in projects/api", `${cwd}/projects/api`],
  ])("%s", (text, path) => {
    expect(reading(text)).toEqual({ intent: "files.readme", slots: { path } });
  });

  it("reads a README named outright as the file", () => {
    expect(reading("read projects/api/README.md")).toEqual({
      intent: "files.read",
      slots: { path: `${cwd}/projects/api/README.md` },
    });
  });
});

describe("command words", () => {
  it("reads quotes and backslashes as a shell does, and gives up on anything a shell would expand", () => {
    expect(commandWords(`head -n 3 "my notes.txt"`)).toEqual(["head", "-n", "3", "my notes.txt"]);
    expect(commandWords("wc -l my\\ notes.txt")).toEqual(["wc", "-l", "my notes.txt"]);
    expect(commandWords("wc -l *.txt")).toBeUndefined();
    expect(commandWords("head $(cat x)")).toBeUndefined();
    expect(commandWords("head a.txt > b.txt")).toBeUndefined();
  });
});
