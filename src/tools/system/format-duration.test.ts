import { expect, it } from "vitest";
import { formatDuration } from "./format-duration.js";

it("writes durations to the two largest units", () => {
  expect(formatDuration(42)).toBe("42 s");
  expect(formatDuration(4287)).toBe("1 h 11 min");
  expect(formatDuration(93_784)).toBe("1 day 2 h");
  expect(formatDuration(3 * 86_400)).toBe("3 days");
});
