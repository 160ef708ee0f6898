import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const cwd = referenceContext.cwd;

function reading(text: string) {
  const { intent, slots } = parseRequest(text, { context: referenceContext });
  return { intent, slots };
}

describe("adding a line at the end of a file", () => {
  it.each([
    ["add a line 'water the plants' to the end of Desktop/todo.txt", "Desktop/todo.txt", "water the plants"],
    ["append renew the car insurance to the end of notes/home.md", "notes/home.md", "renew the car insurance"],
    ['put "book flights" at the bottom of Documents/plans.txt', "Documents/plans.txt", "book flights"],
  ])("%s", (text, file, content) => {
    expect(reading(text)).toEqual({
      intent: "files.write",
      slots: { path: `${cwd}/${file}`, content, append: true, line: true },
    });
  });
});

describe("a copy with a new name goes beside the original", () => {
  it.each([
    ["duplicate Pictures/logo.png as logo-old.png", "Pictures/logo.png", "Pictures/logo-old.png"],
    ["make a copy of work/plan.docx called plan-v2.docx", "work/plan.docx", "work/plan-v2.docx"],
    ["copy music/list.csv as list-2025.csv", "music/list.csv", "music/list-2025.csv"],
  ])("%s", (text, source, destination) => {
    expect(reading(text)).toEqual({
      intent: "files.copy",
      slots: { source: `${cwd}/${source}`, destination: `${cwd}/${destination}` },
    });
  });
});

describe("reading a file under a hidden folder", () => {
  it.each([
    ["print the contents of .config/editor/prefs.json", ".config/editor/prefs.json"],
    ["show me the contents of .local/share/app/state.txt", ".local/share/app/state.txt"],
  ])("%s", (text, file) => {
    expect(reading(text)).toEqual({ intent: "files.read", slots: { path: `${cwd}/${file}` } });
  });
});

describe("several folders made in one request", () => {
  it("makes each folder of a list inside the place named", () => {
    expect(reading("create the folders drafts, final and notes inside work/book")).toEqual({
      intent: "files.mkdir",
      slots: { path: `${cwd}/work/book/drafts`, paths: [`${cwd}/work/book/final`, `${cwd}/work/book/notes`] },
    });
    expect(reading("make the directories 2023 and 2024 in Documents/taxes").slots.paths).toEqual([`${cwd}/Documents/taxes/2024`]);
  });

  it("keeps a name as typed, not corrected to another word", () => {
    expect(reading("create the folders src, tests and docs inside projects/app").slots.paths).toContain(
      `${cwd}/projects/app/docs`,
    );
  });
});
