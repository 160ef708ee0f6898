import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import type { PreviousTurn } from "../rule-input.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const parse = (text: string, previous?: PreviousTurn) =>
  parseRequest(text, { context: referenceContext, ...(previous === undefined ? {} : { previous }) });
const home = referenceContext.home;

describe("disk usage: biggest folders", () => {
  it.each([
    ["which folder in Documents is the biggest?", `${home}/Documents`, 1],
    ["which directory in Downloads is largest", `${home}/Downloads`, 1],
    ["what are the 2 biggest folders in my home", home, 2],
    ["top 4 largest folders in Documents", `${home}/Documents`, 4],
    ["biggest 3 folders in ~/projects", `${home}/projects`, 3],
    ["which folders in ~/projects are the heaviest?", `${home}/projects`, 10],
  ])("%s → the %s's %i biggest subfolders, folders only", (text, path, limit) => {
    expect(parse(text)).toMatchObject({ intent: "files.disk_usage", slots: { path, limit, show: "folders" } });
  });

  it("never reads 'the biggest folder' as a folder called biggest", () => {
    expect(parse("whats the biggest folder in my home").slots).toEqual({ path: home, limit: 1, show: "folders" });
  });

  it("reads a bare folder name that exists, on this machine", () => {
    const context = {
      ...referenceContext,
      cwd: home,
      exists: (path: string) => (path === `${home}/projects` ? "folder" : undefined),
    } as const;
    expect(parseRequest("biggest 3 folders under projects", { context }).slots).toMatchObject({
      path: `${home}/projects`,
      limit: 3,
    });
  });
});

describe("disk usage: sizes of named things", () => {
  it("measures several folders named together", () => {
    expect(parse("what's the size of the Music and Videos folders").slots).toEqual({
      paths: [`${home}/Music`, `${home}/Videos`],
    });
    expect(parse("how big are the Pictures and Documents folders").slots).toEqual({
      paths: [`${home}/Pictures`, `${home}/Documents`],
    });
    expect(parse("size of Videos, Music and Pictures").slots).toEqual({
      paths: [`${home}/Videos`, `${home}/Music`, `${home}/Pictures`],
    });
  });

  it("sizes the files the previous turn found, and nothing when there were none", () => {
    const previous: PreviousTurn = {
      intent: "files.search",
      slots: { ext: ["pdf"], path: `${home}/Documents` },
      files: [`${home}/Documents/a.pdf`, `${home}/Documents/b.pdf`],
    };
    for (const text of ["how big are they altogether?", "how much space do they take", "what's the total size of those files"]) {
      expect(parse(text, previous), text).toMatchObject({ intent: "files.disk_usage", slots: { paths: previous.files } });
    }
    expect(parse("how big is it", { ...previous, files: [`${home}/Documents/a.pdf`] }).slots).toEqual({
      paths: [`${home}/Documents/a.pdf`],
    });
    expect(parse("how big are they altogether?").intent).not.toBe("files.disk_usage");
  });
});

describe("words inside a path are not words of the request", () => {
  it("reads a folder whose name says duplicates or biggest as a folder", () => {
    expect(parse("disk usage of ~/bench/astros-bench-duplicates-x")).toMatchObject({
      intent: "files.disk_usage",
      slots: { path: `${home}/bench/astros-bench-duplicates-x` },
    });
    expect(parse("find pdfs in ~/old-duplicates")).toMatchObject({
      intent: "files.search",
      slots: { ext: ["pdf"], path: `${home}/old-duplicates` },
    });
    expect(parse("find files in the biggest-files folder").slots.largest).toBeUndefined();
    expect(parse("find duplicate photos in Pictures").intent).toBe("files.duplicates");
  });
});

describe("a bare folder name that exists is a place", () => {
  it("searches it rather than reading it as a name", () => {
    const context = {
      ...referenceContext,
      cwd: home,
      exists: (path: string) => (path === `${home}/projects` ? "folder" : undefined),
    } as const;
    expect(parseRequest("look for .log files in projects", { context }).slots).toEqual({
      ext: ["log"],
      path: `${home}/projects`,
    });
    expect(parse("find the notes in projects").slots.name).toBe("notes");
  });
});
