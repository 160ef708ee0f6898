import { describe, expect, it } from "vitest";
import { normalizeRequest } from "../normalize-text.js";
import type { ParseContext } from "../parse-context.js";
import { findMentions } from "./find-mentions.js";

const home = "/home/sam";
const now = new Date("2026-03-18T10:00:00Z");

/** A context whose disk holds exactly these paths (relative to home; a trailing `/` is a folder). */
function onDisk(...paths: string[]): ParseContext {
  const kinds = new Map<string, "file" | "folder">();
  for (const entry of paths) {
    const parts = entry.replace(/\/$/, "").split("/");
    for (let index = 1; index < parts.length; index++) kinds.set(`${home}/${parts.slice(0, index).join("/")}`, "folder");
    kinds.set(`${home}/${parts.join("/")}`, entry.endsWith("/") ? "folder" : "file");
  }
  return { now, home, cwd: home, exists: (path) => kinds.get(path) };
}

const pure: ParseContext = { now, home, cwd: home };

function paths(text: string, context: ParseContext): string[] {
  return findMentions(normalizeRequest(text), context).map((mention) => mention.path);
}

describe("names typed without quotes, read against what exists", () => {
  it("takes the words before a file name when the longer name is the file there", () => {
    const disk = onDisk("Documents/draft final.docx", "Documents/final.docx", "Documents/draft.docx");
    expect(paths("rename draft final.docx in Documents to report.docx", disk)[0]).toBe(`${home}/Documents/draft final.docx`);
    expect(
      paths("trash wifi password.txt from Downloads", onDisk("Downloads/wifi password.txt", "Downloads/password.txt")),
    ).toEqual([`${home}/Downloads/wifi password.txt`]);
  });

  it("prefers the longer existing file when both readings exist and the words are part of its name", () => {
    const disk = onDisk("Desktop/old notes.txt", "Desktop/notes.txt");
    expect(paths("delete old notes.txt on the desktop", disk)).toEqual([`${home}/Desktop/old notes.txt`]);
    expect(paths("delete notes.txt on the desktop", disk)).toEqual([`${home}/Desktop/notes.txt`]);
  });

  it("reads folders and files with spaces, digits, dots and parentheses whole", () => {
    const disk = onDisk(
      "Pictures/Summer Trip/a.jpg",
      "Pictures/Vacation 2019/b.jpg",
      "Desktop/Screenshot 2024-05-01 at 10.22.13.png",
      "Desktop/todo (copy).txt",
      "Desktop/todo.txt",
      "Documents/Work Stuff/plan.txt",
    );
    expect(paths("rename the folder Pictures/Summer Trip to Summer Trip 2023", disk)[0]).toBe(`${home}/Pictures/Summer Trip`);
    expect(paths("how many files are in Pictures/Vacation 2019", disk)).toEqual([`${home}/Pictures/Vacation 2019`]);
    expect(paths("move Desktop/Screenshot 2024-05-01 at 10.22.13.png to the trash", disk)).toEqual([
      `${home}/Desktop/Screenshot 2024-05-01 at 10.22.13.png`,
    ]);
    expect(paths("get rid of Desktop/todo (copy).txt", disk)).toEqual([`${home}/Desktop/todo (copy).txt`]);
    expect(paths("show Documents/Work Stuff/plan.txt", disk)).toEqual([`${home}/Documents/Work Stuff/plan.txt`]);
    expect(paths("run ls in Documents/Work Stuff", disk)).toEqual([`${home}/Documents/Work Stuff`]);
  });

  it("marks a name that two different existing files could be, so nothing acts on a guess", () => {
    const disk = onDisk("Documents/draft final.docx", "Documents/final.docx v2", "Documents/final.docx");
    const [mention] = findMentions(normalizeRequest("delete draft final.docx v2 in Documents"), disk);
    expect(mention?.ambiguous).toEqual(["draft final.docx", "final.docx v2"]);
  });

  it("reads words alone, the same on every machine, without a lookup", () => {
    expect(paths("delete old notes.txt on the desktop", pure)).toEqual([`${home}/Desktop/notes.txt`]);
    expect(paths("rename draft final.docx in Documents to report.docx", pure)[0]).toBe(`${home}/Documents/final.docx`);
  });
});

describe("a destination that ends the request takes its remaining words", () => {
  it("keeps every word of the folder's name", () => {
    expect(paths("copy every .txt file on the Desktop to Documents/Text Backup", pure).at(-1)).toBe(
      `${home}/Documents/Text Backup`,
    );
    expect(paths("move screenshots from the Desktop into Pictures/Old Screenshots", pure).at(-1)).toBe(
      `${home}/Pictures/Old Screenshots`,
    );
    expect(paths("copy them to Pictures/From Desktop", pure)).toEqual([`${home}/Pictures/From Desktop`]);
    expect(paths("move notes.txt into ~/Música/Letras de canciones", pure).at(-1)).toBe(`${home}/Música/Letras de canciones`);
    expect(paths("move report.pdf to Documents/2024 Q1 (final)", pure).at(-1)).toBe(`${home}/Documents/2024 Q1 (final)`);
  });

  it("stops before words that carry on the request", () => {
    expect(paths("move the photos to Pictures/Trips by date", pure).at(-1)).toBe(`${home}/Pictures/Trips`);
    expect(paths("copy notes.txt to ~/Backup and then delete it", pure).at(-1)).toBe(`${home}/Backup`);
    expect(paths("copy notes.txt to ~/Backup/ today", pure).at(-1)).toBe(`${home}/Backup`);
  });
});

describe("letters of every script are letters of a name", () => {
  it("reads accented, non-Latin and emoji names whole", () => {
    expect(paths("move résumé.pdf from Downloads to Documents/Jobs", pure)).toEqual([
      `${home}/Downloads/résumé.pdf`,
      `${home}/Documents/Jobs`,
    ]);
    expect(paths("delete 写真.jpg", pure)).toEqual([`${home}/写真.jpg`]);
    expect(paths("copy Über-Notizen.md to ~/Dokumente", pure)).toEqual([`${home}/Über-Notizen.md`, `${home}/Dokumente`]);
    expect(paths("trash party🎉.txt from the desktop", pure)).toEqual([`${home}/Desktop/party🎉.txt`]);
    expect(paths("move año nuevo.png to Pictures/Fiestas 🎆", onDisk("año nuevo.png")).at(0)).toBe(`${home}/año nuevo.png`);
  });
});
