import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const home = referenceContext.home;
const cwd = referenceContext.cwd;

function reading(text: string) {
  const { intent, slots } = parseRequest(text, { context: referenceContext });
  return { intent, slots };
}

describe("making archives, said in English or typed like zip and gzip", () => {
  it.each([
    ["zip up Documents/taxes", { paths: [`${cwd}/Documents/taxes`], format: "zip" }],
    ["make a tar.gz of the projects/site folder", { paths: [`${cwd}/projects/site`], format: "tar.gz" }],
    ["compress the Videos/raw folder into a zip", { paths: [`${cwd}/Videos/raw`], format: "zip" }],
    ["make a tarball of ~/projects/api", { paths: [`${home}/projects/api`], format: "tar.gz" }],
    ["turn Pictures/Holiday into a zip file", { paths: [`${cwd}/Pictures/Holiday`], format: "zip" }],
    ["gzip the file logs/app.log", { paths: [`${cwd}/logs/app.log`], format: "gz" }],
    ["archive the old-projects folder as a tar.gz", { paths: [`${cwd}/old-projects`], format: "tar.gz" }],
    [
      "zip report.pdf and budget.xlsx from Documents together into Desktop/for-accountant.zip",
      {
        paths: [`${home}/Documents/report.pdf`, `${home}/Documents/budget.xlsx`],
        destination: `${cwd}/Desktop/for-accountant.zip`,
      },
    ],
    [
      "create a zip of notes.txt and todo.md called bundle.zip",
      { paths: [`${cwd}/notes.txt`, `${cwd}/todo.md`], destination: `${cwd}/bundle.zip` },
    ],
  ])("%s", (text, slots) => {
    expect(reading(text)).toEqual({ intent: "archive.create", slots });
  });

  it.each([
    ["zip all the pdfs in Documents", { source: `${home}/Documents`, ext: ["pdf"], recursive: true, format: "zip" }],
    ["make a zip of every jpg on the desktop", { source: `${home}/Desktop`, ext: ["jpg"], format: "zip" }],
  ])("packs the files of a kind in a folder: %s", (text, slots) => {
    expect(reading(text)).toEqual({ intent: "archive.create", slots });
  });

  it.each([
    "please zip the tax returns folder in Documents",
    "can you compress ~/Music/live sets into a zip",
    "zip up all my photos from Pictures/Trip into trip.zip",
    "zip the pdfs bigger than 1 MB in Documents",
  ])("does not guess which folder when words of a name are left over: %s", (text) => {
    expect(reading(text).intent).not.toBe("archive.create");
  });

  it.each(["tar czf site.tgz site", "zip -r out.zip folder"])(
    "leaves a command with options to the shell as typed: %s",
    (text) => {
      expect(reading(text).intent).not.toMatch(/^archive\./);
    },
  );
});

describe("extracting archives", () => {
  it.each([
    ["unzip Downloads/photos.zip", { path: `${cwd}/Downloads/photos.zip` }],
    [
      "extract Downloads/fonts.tar.gz into Documents/Fonts",
      { path: `${cwd}/Downloads/fonts.tar.gz`, destination: `${cwd}/Documents/Fonts` },
    ],
    ["unpack archive.tar here", { path: `${cwd}/archive.tar`, destination: cwd }],
    [
      "extract everything from Downloads/assets.tar.gz to projects/site/assets",
      { path: `${cwd}/Downloads/assets.tar.gz`, destination: `${cwd}/projects/site/assets` },
    ],
    ["decompress logs/app.log.gz", { path: `${cwd}/logs/app.log.gz` }],
    ["untar backup.tar here", { path: `${cwd}/backup.tar`, destination: cwd }],
  ])("%s", (text, slots) => {
    expect(reading(text)).toEqual({ intent: "archive.extract", slots });
  });
});

describe("listing an archive, never extracting it", () => {
  it.each([
    ["what's inside backup.tar.gz", `${cwd}/backup.tar.gz`],
    ["list the files in Downloads/project.zip", `${cwd}/Downloads/project.zip`],
    ["show me what is inside the archive backup.tgz", `${cwd}/backup.tgz`],
    ["what files are in project.zip", `${cwd}/project.zip`],
    ["peek inside Downloads/site.tar.gz", `${cwd}/Downloads/site.tar.gz`],
    ["does backup.zip contain report.pdf", `${cwd}/backup.zip`],
  ])("%s", (text, path) => {
    expect(reading(text)).toEqual({ intent: "archive.list", slots: { path } });
  });
});

describe("extracting the one archive of a kind in a folder, said without its name", () => {
  it.each([
    ["unzip the zip file on my desktop", `${home}/Desktop`, "zip"],
    ["extract the archive in Downloads/mail", `${cwd}/Downloads/mail`, "any"],
    ["unpack the tarball in projects/old", `${cwd}/projects/old`, "tar.gz"],
  ])("%s", (text, path, onlyOfFormat) => {
    expect(reading(text)).toEqual({ intent: "archive.extract", slots: { path, onlyOfFormat } });
  });

  it("does not read many archives, or more words after the folder, as one", () => {
    expect(reading("unzip the zip files on my desktop").slots.onlyOfFormat).toBeUndefined();
    expect(reading("unzip the zip file on my desktop into Pictures/new").slots.onlyOfFormat).toBeUndefined();
  });
});
