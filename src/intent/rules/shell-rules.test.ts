import { describe, expect, it } from "vitest";
import type { ExistenceLookup, ParseContext } from "../parse-context.js";
import { parseRequest } from "../parse-request.js";
import { readsAsCommand } from "./command-shape.js";

const context: ParseContext = { now: new Date("2026-03-18T10:00:00Z"), home: "/home/alice", cwd: "/home/alice" };

/** A machine where these folders and files exist (and the usual programs in /usr/bin). */
function onDisk(folders: string[], files: string[] = []): ExistenceLookup {
  return (place) =>
    folders.includes(place)
      ? "folder"
      : files.includes(place) || /^\/usr\/bin\/(?:touch|cat|time)$/.test(place)
        ? "file"
        : undefined;
}

const parse = (text: string, exists?: ExistenceLookup) =>
  parseRequest(text, { context: exists === undefined ? context : { ...context, exists } });

describe("shell.run: a command in a folder", () => {
  it.each([
    ["run ls in Documents/Work Stuff", "ls", "/home/alice/Documents/Work Stuff"],
    ["in projects/site run `pwd`", "pwd", "/home/alice/projects/site"],
    ["run `echo hello > hi.txt` in the Desktop folder", "echo hello > hi.txt", "/home/alice/Desktop"],
    ["run touch made-here.txt inside Documents/inbox", "touch made-here.txt", "/home/alice/Documents/inbox"],
    ["run `grep -rl TODO .` in code", "grep -rl TODO .", "/home/alice/code"],
    ["in the scripts folder, run ./build.sh", "./build.sh", "/home/alice/scripts"],
    ["inside ~/src/app, execute npm test", "npm test", "/home/alice/src/app"],
    ["cd into projects/api and run `make test`", "make test", "/home/alice/projects/api"],
    ["please run git log --oneline -3 in ~/code/webapp for me", "git log --oneline -3", "/home/alice/code/webapp"],
    ["execute 'du -sh .' within the Music folder", "du -sh .", "/home/alice/Music"],
  ])("%s runs %s in %s", (text, command, cwd) => {
    expect(parse(text)).toMatchObject({ intent: "shell.run", slots: { command, cwd } });
  });

  it("reads a folder name with spaces whole when it is there", () => {
    const exists = onDisk(["/home/alice/Old Projects/site"]);
    expect(parse("run ls -la in Old Projects/site", exists).slots).toEqual({
      command: "ls -la",
      cwd: "/home/alice/Old Projects/site",
    });
  });

  it("keeps 'in' that belongs to the command: quoted, a loop, a file, or the terminal", () => {
    expect(parse("run grep 'in the end' notes.txt").slots).toEqual({ command: "grep 'in the end' notes.txt" });
    expect(parse("run for f in *.txt; do wc -l $f; done").slots).toEqual({ command: "for f in *.txt; do wc -l $f; done" });
    expect(parse("run grep -c in notes.txt", onDisk([], ["/home/alice/notes.txt"])).slots).toEqual({
      command: "grep -c in notes.txt",
    });
    expect(parse("run echo hello in the terminal").slots).toEqual({ command: "echo hello" });
  });

  it("keeps the command's own quotes", () => {
    expect(parse("run python3 -c 'print(6*7)'").slots).toEqual({ command: "python3 -c 'print(6*7)'" });
    expect(parse('run echo "a b" > out.txt').slots).toEqual({ command: 'echo "a b" > out.txt' });
    expect(parse("please run 'make build'").slots).toEqual({ command: "make build" });
  });
});

describe("English is not shell", () => {
  it.each([
    "make backup.sh in scripts executable",
    "make the directory projects/newapp/src",
    "make a tar.gz of the projects/site folder",
    "zip up Documents/taxes",
    "zip Documents/taxes",
    "make deploy.sh executable",
    "make a folder for my invoices",
    "ping the server team about lunch",
    "tar the reports folder into an archive",
    "mkdir a new folder called drafts",
    "git my stuff onto the usb stick",
    "code a website for me",
    "run a bath",
    "run the numbers on our quarterly sales",
    "run time trials on my bike",
  ])("%s is not run as a command", (text) => {
    expect(parse(text, onDisk([])).intent).not.toBe("shell.run");
  });

  it.each([
    ["git status", "git status"],
    ["ls -la ~/Documents", "ls -la ~/Documents"],
    ["chmod +x build.sh", "chmod +x build.sh"],
    ["zip -r site.zip projects/site", "zip -r site.zip projects/site"],
    ["tar czf site.tgz projects/site", "tar czf site.tgz projects/site"],
    ["make test", "make test"],
    ["mkdir -p projects/newapp/src", "mkdir -p projects/newapp/src"],
    ["du -sh node_modules", "du -sh node_modules"],
    ["echo hello > hi.txt", "echo hello > hi.txt"],
  ])("%s reads as the command %s", (text) => {
    expect(readsAsCommand(text)).toBe(true);
  });

  it("reads a bare command line as shell.run when no other tool reads it better", () => {
    expect(parse("git status")).toMatchObject({ intent: "shell.run", slots: { command: "git status" } });
    expect(parse("make test")).toMatchObject({ intent: "shell.run", slots: { command: "make test" } });
  });

  it("runs everyday programs named after run, but not English after them", () => {
    expect(parse("run touch notes.txt", onDisk([])).slots).toEqual({ command: "touch notes.txt" });
    expect(parse("run cat the report to me", onDisk([])).intent).toBe("unknown");
  });
});
