import { describe, expect, it } from "vitest";
import { refusalReason } from "./refusal-reason.js";

describe("why a request is not done", () => {
  it.each([
    "will it rain tomorrow in berlin?",
    "book me a flight to tokyo next friday",
    "what's the bitcoin price right now",
    "whats trending on twitter",
    "who won the election yesterday?",
    "order me a large pepperoni pizza",
    "send an email to my boss saying im sick today",
  ])("%s needs the internet", (text) => {
    expect(refusalReason(text)).toMatch(/needs the internet.*can't.*changed nothing/);
  });

  it.each(["format my hard drive", "delete everything", "wipe the whole disk", "erase all my files"])(
    "%s would destroy everything and is never done",
    (text) => {
      expect(refusalReason(text)).toMatch(/never do\. I changed nothing/);
    },
  );

  it.each(["asdfgh jkl qwe", "organize a party for saturday", "delete the file"])("%s has no special reason", (text) => {
    expect(refusalReason(text)).toBeUndefined();
  });
});
