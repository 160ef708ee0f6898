import { describe, expect, it } from "vitest";
import { filesOfTurn } from "../core/types/files-found.js";
import { parseRequest } from "./parse-request.js";
import type { PreviousTurn } from "./rule-input.js";
import { referenceContext } from "./testing/score-labelled-set.js";

const home = referenceContext.home;
const parse = (text: string, previous: PreviousTurn) => parseRequest(text, { context: referenceContext, previous });

describe("what 'it' and 'them' stand for after a turn", () => {
  it("takes the files a folder listing showed, not its subfolders", () => {
    const data = {
      path: `${home}/Downloads`,
      entries: [
        { name: "a.txt", path: `${home}/Downloads/a.txt`, type: "file" },
        { name: "sub", path: `${home}/Downloads/sub`, type: "directory" },
      ],
    };
    expect(filesOfTurn("files.list", data)).toEqual([`${home}/Downloads/a.txt`]);
  });

  it("takes the one file a turn made or read, and no folder a count was about", () => {
    expect(filesOfTurn("files.write", { path: `${home}/notes.txt`, bytes: 3 })).toEqual([`${home}/notes.txt`]);
    expect(filesOfTurn("files.read", { path: `${home}/notes.txt`, bytes: 3 })).toEqual([`${home}/notes.txt`]);
    expect(filesOfTurn("files.count", { path: `${home}/Downloads`, files: 3 })).toEqual([]);
  });

  it("reads 'add X to it' after a file was made as adding to that file", () => {
    const made: PreviousTurn = {
      intent: "files.write",
      slots: { path: `${home}/Documents/shopping.txt`, content: "tea" },
      files: [`${home}/Documents/shopping.txt`],
    };
    for (const text of ["add coffee to it", "append 'oat milk' to it"]) {
      expect(parse(text, made), text).toMatchObject({
        intent: "files.write",
        slots: { path: `${home}/Documents/shopping.txt`, append: true },
      });
    }
  });

  it("reads 'copy them all to X' as the files found before", () => {
    const listed: PreviousTurn = { intent: "files.list", slots: { path: `${home}/Music` }, files: [`${home}/Music/a.mp3`] };
    expect(parse("copy them all to ~/Backup", listed)).toMatchObject({
      intent: "files.copy",
      slots: { files: [`${home}/Music/a.mp3`], destination: `${home}/Backup` },
    });
  });

  it("packs what was found into the archive named after 'them', and only a 'to'/'into' folder is where it goes", () => {
    const found: PreviousTurn = {
      intent: "files.search",
      slots: { path: `${home}/Desktop` },
      files: [`${home}/Desktop/s1.png`, `${home}/Desktop/s2.png`],
    };
    expect(parse("zip them into ~/Desktop/shots.zip", found)).toMatchObject({
      intent: "archive.create",
      slots: { paths: found.files, destination: `${home}/Desktop/shots.zip` },
    });
    expect(parse("compress those", found)).toMatchObject({
      intent: "archive.create",
      slots: { paths: found.files, format: "zip" },
    });
    expect(parse("zip the files in ~/Documents", found).slots.paths).not.toEqual(found.files);
  });
});
