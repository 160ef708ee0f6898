import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const parse = (text: string) => parseRequest(text, { context: referenceContext });

describe("undo, said at length or by what the change was", () => {
  it("reads 'that last thing you did' and the like as the newest change", () => {
    for (const text of [
      "undo that last thing you did",
      "revert the most recent change I made",
      "roll back your latest action",
      "please undo the very last thing you did",
    ]) {
      expect(parse(text), text).toMatchObject({ intent: "files.undo", slots: {} });
    }
  });

  it("reads 'undo creating X' as the change that made X, a folder when it says so", () => {
    expect(parse("undo creating the Inbox folder")).toMatchObject({
      intent: "files.undo",
      slots: { about: "inbox folder", action: "files.mkdir" },
    });
    expect(parse("revert making the Receipts directory").slots).toEqual({
      about: "receipts directory",
      action: "files.mkdir",
    });
    expect(parse("undo creating notes.txt").slots).toEqual({ about: "notes.txt" });
  });
});
