import { describe, expect, it } from "vitest";
import type { ParseContext } from "./parse-context.js";
import { parseRequest } from "./parse-request.js";

const home = "/home/sam";
const now = new Date("2026-03-18T10:00:00Z");
const pure: ParseContext = { now, home, cwd: home };

/** A context whose disk holds exactly these paths (relative to home). */
function onDisk(...paths: string[]): ParseContext {
  const kinds = new Map<string, "file" | "folder">();
  for (const entry of paths) {
    const parts = entry.split("/");
    for (let index = 1; index < parts.length; index++) kinds.set(`${home}/${parts.slice(0, index).join("/")}`, "folder");
    kinds.set(`${home}/${entry}`, "file");
  }
  return { now, home, cwd: home, exists: (path) => kinds.get(path) };
}

describe("word accounting: a change runs only when every word of the request is accounted for", () => {
  it("does not rename, move or trash a shorter name than was said, and names the words left over", () => {
    const rename = parseRequest("rename draft final.docx in Documents to report.docx", {
      context: onDisk("Documents/final.docx"),
    });
    expect(rename).toMatchObject({ intent: "unknown", slots: { notUnderstood: ["draft"] } });
    expect(rename.slots.wouldHave).toMatchObject({ intent: "files.rename", slots: { path: `${home}/Documents/final.docx` } });
    expect(parseRequest("move Desktop/Screenshot 2024-05-01 at 10.22.13.png to the trash", { context: pure }).intent).toBe(
      "unknown",
    );
    expect(parseRequest("delete old notes.txt on the desktop", { context: onDisk("Desktop/notes.txt") }).intent).toBe("unknown");
    expect(parseRequest("move meeting notes 2024.txt from Documents to Documents/Old Stuff", { context: pure }).intent).toBe(
      "unknown",
    );
  });

  it("does not drop the words a folder is called by", () => {
    expect(parseRequest("move all pdfs from Downloads to the old stuff folder in Documents", { context: pure })).toMatchObject({
      intent: "unknown",
      slots: { notUnderstood: ["old", "stuff"] },
    });
  });

  it("acts on every file a request names, never on only some of them", () => {
    expect(parseRequest("trash notes.txt, old.txt and x.txt", { context: pure }).slots.files).toHaveLength(3);
    expect(parseRequest("trash notes.txt, old.txt or x.txt", { context: pure }).intent).toBe("unknown");
  });

  it("asks rather than guesses when a name could be two different existing files", () => {
    const context = onDisk("Documents/draft final.docx", "Documents/final.docx v2", "Documents/final.docx");
    expect(parseRequest("delete draft final.docx v2 in Documents", { context })).toMatchObject({
      intent: "unknown",
      slots: { ambiguous: ["draft final.docx", "final.docx v2"] },
    });
  });

  it("runs requests whose every word is the request's own, a name, or a remark about it", () => {
    const disk = onDisk("Documents/draft final.docx", "Documents/draft.docx");
    expect(parseRequest("rename draft final.docx in Documents to report.docx", { context: disk })).toMatchObject({
      intent: "files.rename",
      slots: { path: `${home}/Documents/draft final.docx`, newName: "report.docx" },
    });
    expect(parseRequest("copy every .txt file on the Desktop to Documents/Text Backup", { context: pure }).intent).toBe(
      "files.copy",
    );
    expect(
      parseRequest("could you move all the pdfs from my downloads folder into Documents? they're cluttering everything up", {
        context: pure,
      }).intent,
    ).toBe("files.move");
    expect(
      parseRequest("move all pdfs from Downloads to the Old Stuff folder in Documents", { context: pure }).slots,
    ).toMatchObject({
      destination: `${home}/Documents/Old Stuff`,
    });
  });

  it("leaves read-only requests alone", () => {
    expect(parseRequest("how many files are in Pictures/Vacation 2019", { context: pure }).intent).not.toBe("unknown");
  });
});
