import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const parse = (text: string) => parseRequest(text, { context: referenceContext });
const home = referenceContext.home;
const cwd = referenceContext.cwd;

describe("bulk deletes, as said", () => {
  it("reads 'all/every … in X' and plain 'the .x files in X' as X and its subfolders", () => {
    expect(parse("trash all the .tmp files in Downloads")).toMatchObject({
      intent: "files.delete",
      slots: { path: `${home}/Downloads`, ext: ["tmp"], recursive: true },
    });
    expect(parse("get rid of every .bak file in Documents").slots).toMatchObject({ recursive: true });
    expect(parse("delete log files older than 2 weeks in ~/logs").slots).toMatchObject({
      path: `${home}/logs`,
      ext: ["log"],
      recursive: true,
    });
  });

  it("keeps to the folder itself when told so, or when no folder is named", () => {
    expect(parse("delete the .tmp files directly in Downloads").slots.recursive).toBeUndefined();
    expect(parse("delete the .tmp files").slots.recursive).toBeUndefined();
    expect(parse("trash the .png files on the Desktop").slots.recursive).toBeUndefined();
  });

  it("reads a bare folder word after in/under as a folder under the working one", () => {
    expect(parse("remove the .log files in scratch").slots.path).toBe(`${cwd}/scratch`);
  });

  it("takes a hidden name said whole as the name", () => {
    expect(parse("delete all the .DS_Store files under Pictures").slots).toMatchObject({
      path: `${home}/Pictures`,
      name: ".DS_Store",
      recursive: true,
    });
  });

  it("picks folders by their names, several at once, with files by extension too", () => {
    expect(parse("delete all node_modules folders under projects").slots).toMatchObject({
      path: `${cwd}/projects`,
      folderNames: ["node_modules"],
    });
    expect(parse("clean out the build folders in my code directory").slots).toMatchObject({
      path: `${cwd}/code`,
      folderNames: ["build"],
    });
    expect(parse("delete the node_modules and dist folders in webapp").slots.folderNames).toEqual(["node_modules", "dist"]);
    expect(parse("remove .pyc files and __pycache__ folders from projects/tool").slots).toMatchObject({
      ext: ["pyc"],
      folderNames: ["__pycache__"],
    });
    expect(parse("get rid of every __pycache__ directory under work").slots.folderNames).toEqual(["__pycache__"]);
    expect(parse("clean up the node_modules folders in apps")).toMatchObject({
      intent: "files.delete",
      slots: { path: `${cwd}/apps`, folderNames: ["node_modules"] },
    });
    expect(parse("delete every folder called cache under apps").slots).toMatchObject({
      path: `${cwd}/apps`,
      folderNames: ["cache"],
    });
    expect(parse("tidy up the empty folders in Documents")).toMatchObject({
      intent: "files.delete",
      slots: { emptyFolders: true },
    });
  });

  it("never reads a describing word as a folder's name", () => {
    for (const text of ["delete the old folders in Documents", "delete all photo folders on the desktop"]) {
      expect(parse(text).slots.folderNames, text).toBeUndefined();
    }
  });

  it("picks empty folders", () => {
    expect(parse("remove the empty folders in Documents")).toMatchObject({
      intent: "files.delete",
      slots: { path: `${home}/Documents`, emptyFolders: true, recursive: true },
    });
    expect(parse("get rid of all the empty subfolders in Music").slots.emptyFolders).toBe(true);
  });
});

describe("bulk moves", () => {
  it("gather from subfolders only when the request says so", () => {
    expect(parse("move all pdfs under Downloads to Documents").slots.recursive).toBe(true);
    expect(parse("move the pdfs from Downloads to Documents").slots.recursive).toBeUndefined();
    expect(parse("move the pdfs under 1 MB from Downloads to Documents").slots.recursive).toBeUndefined();
  });
});

describe("dry runs", () => {
  it("runs organize, move and delete as dry runs when the request asks for a preview", () => {
    for (const text of [
      "dry run: sort Downloads by date",
      "preview organizing my Desktop by type, don't move anything yet",
      "organize Downloads by type, but don't move anything yet",
      "show me how you'd sort my Pictures by date",
    ]) {
      const parsed = parse(text);
      expect(parsed.intent, text).toBe("files.organize");
      expect(parsed.slots.dryRun, text).toBe(true);
    }
    expect(parse("what would happen if I deleted the .tmp files in Downloads?")).toMatchObject({
      intent: "files.delete",
      slots: { dryRun: true },
    });
    expect(parse("dry run: move the pdfs from Desktop to Documents")).toMatchObject({
      intent: "files.move",
      slots: { dryRun: true },
    });
  });

  it("does not act at all on a preview of a change that has no dry run", () => {
    expect(parse("preview renaming notes.txt to old.txt").intent).toBe("unknown");
    expect(parse("simulate emptying the trash").intent).toBe("unknown");
  });

  it("leaves a file or folder called preview alone", () => {
    expect(parse("delete preview.png").slots.dryRun).toBeUndefined();
    expect(parse("delete the preview folder").slots.dryRun).toBeUndefined();
  });

  it("typos in the method still organize by it", () => {
    expect(parse("organize my downloads by file tpye").slots).toMatchObject({ method: "type" });
  });
});

describe("trash and undo", () => {
  it("reads the trash's own requests", () => {
    expect(parse("empty the trash").intent).toBe("trash.empty");
    expect(parse("clear out my recycle bin").intent).toBe("trash.empty");
    expect(parse("delete everything in the trash").intent).toBe("trash.empty");
    expect(parse("what's in the trash?").intent).toBe("trash.list");
    expect(parse("restore old-plan.txt from the trash")).toMatchObject({
      intent: "trash.restore",
      slots: { name: "old-plan.txt" },
    });
    expect(parse("get tax 2019.pdf back from the bin")).toMatchObject({
      intent: "trash.restore",
      slots: { name: "tax 2019.pdf" },
    });
    expect(parse("restore everything from the trash").slots).toEqual({ all: true });
    expect(parse("bring back report.pdf from the trash").slots).toEqual({ name: "report.pdf" });
    expect(parse("how much space is the trash taking up?").intent).toBe("trash.list");
  });

  it("reads undo with fillers, by count and by description", () => {
    for (const text of ["actually, undo that", "oh wait, undo it", "hmm, undo the last one", "undo that too"]) {
      expect(parse(text), text).toMatchObject({ intent: "files.undo", slots: {} });
    }
    expect(parse("undo the last 2 changes").slots).toEqual({ count: 2 });
    expect(parse("revert my last three operations").slots).toEqual({ count: 3 });
    expect(parse("undo the rename of a.txt").slots).toEqual({ about: "a.txt", action: "files.rename" });
    expect(parse("undo the move of the pdfs").slots).toEqual({ about: "pdfs", action: "files.move" });
    expect(parse("what did you change today?").intent).toBe("files.history");
    expect(parse("undo the last delete").slots).toEqual({ action: "files.delete" });
    expect(parse("restore the file I just deleted").slots).toEqual({ action: "files.delete" });
    expect(parse("undo the last change").slots).toEqual({});
  });
});
