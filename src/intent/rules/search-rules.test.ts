import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const parse = (text: string) => parseRequest(text, { context: referenceContext });
const home = referenceContext.home;

describe("file search: the words left over are the file's name", () => {
  it.each([
    ["where's my resume?? i think it's called resume something", "resume"],
    ["where's my cv? it's called cv something or other", "cv"],
    ["where did I save the tax return", "tax return"],
    ["where's the café menu", "café menu"],
    ["where's the crème brûlée recipe", "crème brûlée recipe"],
    ["where's my cover letter? i think it's called cover something", "cover letter"],
    ["find my resume", "resume"],
  ])("%s → every word of %j", (text, name) => {
    expect(parse(text)).toMatchObject({ intent: "files.search", slots: { name, nameMatch: "words" } });
  });

  it("keeps the kind or type said with the name words", () => {
    expect(parse("where did i put that budget spreadsheet").slots).toMatchObject({
      name: "budget",
      kind: "spreadsheet",
      nameMatch: "words",
    });
    expect(parse("where did i leave the invoice pdf").slots).toMatchObject({ name: "invoice", ext: ["pdf"] });
  });

  it("reads an artist after 'by' as one phrase", () => {
    for (const text of ["search my music for anything by Daft Punk", "look for tracks by Daft Punk"]) {
      const parsed = parse(text);
      expect(parsed.slots.name).toBe("Daft Punk");
      expect(parsed.slots.nameMatch).toBeUndefined();
    }
    expect(parse("find songs by Pink Floyd in my music").slots).toMatchObject({ name: "Pink Floyd", path: `${home}/Music` });
  });

  it("reads 'exactly' as the exact name", () => {
    expect(parse("find files named exactly notes.txt").slots).toMatchObject({ name: "notes.txt", nameMatch: "exact" });
    expect(parse("look for files called exactly todo.txt in Documents").slots).toMatchObject({
      name: "todo.txt",
      nameMatch: "exact",
      path: `${home}/Documents`,
    });
  });

  it("adds no name of grammar, filter or filler words", () => {
    for (const text of [
      "find all the pdfs in my downloads",
      "which files in Documents did I change today?",
      "find log files older than 30 days in ~/projects",
      "find text files under 1 KB in Documents",
      "show me zero-byte files in Downloads",
      "find .webp and .gif files from yesterday",
      "find files in Documents last modified before 2026-01-01",
      "show me the top 5 biggest files in Documents",
    ]) {
      expect(parse(text).slots.name, text).toBeUndefined();
    }
  });

  it("is no file search for things of the world or questions", () => {
    for (const text of [
      "where's the nearest pharmacy",
      "where are my keys",
      "find me a cheap flight to Lisbon in May",
      "find the square root of 2209",
      "can you find my lost dog? he ran off in the park",
    ]) {
      expect(parse(text).intent, text).not.toBe("files.search");
    }
  });
});

describe("file search: empty folders and names said with a listing", () => {
  it("finds empty folders, not files", () => {
    for (const text of ["find empty folders in Downloads", "are there any empty directories in Documents"]) {
      expect(parse(text), text).toMatchObject({ intent: "files.search", slots: { emptyFolders: true } });
    }
  });

  it("searches for an artist said with a listing verb, and lists a folder sorted any way", () => {
    expect(parse("show me everything by Radiohead in Music")).toMatchObject({
      intent: "files.search",
      slots: { name: "Radiohead", path: `${home}/Music` },
    });
    expect(parse("list files in Downloads sorted by name")).toMatchObject({ intent: "files.list" });
  });
});

describe("file search filters", () => {
  it("reads empty files as 0 bytes at most", () => {
    for (const text of ["find empty files in Downloads", "are there any empty files on my desktop", "show me zero-byte files"]) {
      expect(parse(text).slots.maxSize, text).toBe(0);
    }
  });

  it("searches Downloads for what was downloaded, unless another folder is named", () => {
    expect(parse("what pdfs did I download in the past 7 days").slots).toMatchObject({ path: `${home}/Downloads`, ext: ["pdf"] });
    expect(parse("list the zip files I downloaded last week").slots.path).toBe(`${home}/Downloads`);
    expect(parse("which photos did i download to my desktop").slots.path).toBe(`${home}/Desktop`);
  });

  it("lets an extension said with a kind narrow it", () => {
    expect(parse("show me mp4 videos larger than 10mb").slots).toEqual({ ext: ["mp4"], minSize: 10 * 1024 * 1024 });
    expect(parse("find png images bigger than 1 MB").slots).toMatchObject({ ext: ["png"] });
    expect(parse("find png images bigger than 1 MB").slots.kind).toBeUndefined();
  });

  it("ranks the biggest files by size with the number asked, and no size floor", () => {
    expect(parse("show me the 5 biggest files in my home directory").slots).toEqual({ path: home, largest: 5, hidden: true });
    expect(parse("what is the biggest file in Downloads").slots).toMatchObject({ path: `${home}/Downloads`, largest: 1 });
    expect(parse("what are the three largest files in Downloads").slots.largest).toBe(3);
    expect(parse("largest 4 pdfs in Documents").slots).toMatchObject({ largest: 4, ext: ["pdf"] });
    expect(parse("list my biggest files").slots).toMatchObject({ largest: 10 });
    expect(parse("what are my largest files")).toMatchObject({ intent: "files.search", slots: { largest: 10 } });
    expect(parse("which are the biggest pdfs in Documents").slots.minSize).toBeUndefined();
    // "large" with no ranking is still a size floor.
    expect(parse("find large files in Downloads").slots.minSize).toBe(100 * 1024 * 1024);
  });

  it("takes a name with its extension after 'called' or 'named' as the whole name, and a bare word as part of one", () => {
    expect(parse("find the file called docker-compose.yml").slots).toEqual({ name: "docker-compose.yml", nameMatch: "exact" });
    expect(parse("where is the file named invoice_march.pdf").slots).toMatchObject({ nameMatch: "exact" });
    expect(parse("find files called report").slots.nameMatch).toBeUndefined();
    expect(parse("find notes.txt").slots.nameMatch).toBeUndefined();
  });
});
