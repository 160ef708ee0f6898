import { expect, it } from "vitest";
import { formatBytes } from "./format-bytes.js";

it("writes byte counts in binary units people read", () => {
  expect(formatBytes(0)).toBe("0 B");
  expect(formatBytes(1536)).toBe("1.5 KB");
  expect(formatBytes(25_276_510_208)).toBe("23.5 GB");
  expect(formatBytes(270_553_174_016)).toBe("252 GB");
  expect(formatBytes(Number.NaN)).toBe("unknown");
});
