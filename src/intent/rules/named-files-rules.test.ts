import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const cwd = referenceContext.cwd;

function reading(text: string) {
  const { intent, slots } = parseRequest(text, { context: referenceContext });
  return { intent, slots };
}

describe("several files named in one request: all of them, and nothing else", () => {
  it("deletes every file of a list", () => {
    expect(reading("delete Music/a.mp3 and Music/b.mp3")).toEqual({
      intent: "files.delete",
      slots: { path: `${cwd}/Music`, files: [`${cwd}/Music/a.mp3`, `${cwd}/Music/b.mp3`] },
    });
    expect(reading("remove x.log, y.log and z.log").slots.files).toEqual([`${cwd}/x.log`, `${cwd}/y.log`, `${cwd}/z.log`]);
  });

  it("moves or copies every file of a list to one folder", () => {
    expect(reading("copy work/a.pdf and work/b.pdf into the archive folder")).toEqual({
      intent: "files.copy",
      slots: { source: `${cwd}/work`, files: [`${cwd}/work/a.pdf`, `${cwd}/work/b.pdf`], destination: `${cwd}/archive` },
    });
    expect(reading("move one.txt and two.txt to notes/").intent).toBe("files.move");
  });

  it("does not act when a word between the names is not part of a plain list", () => {
    expect(reading("delete a.txt but not b.txt").intent).not.toBe("files.delete");
    expect(reading("delete a.txt or b.txt").intent).not.toBe("files.delete");
  });
});
