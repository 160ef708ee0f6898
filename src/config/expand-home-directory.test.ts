import { describe, expect, it } from "vitest";
import { expandHomeDirectory } from "./expand-home-directory.js";

describe("expandHomeDirectory", () => {
  it("expands a lone ~ and a leading ~/", () => {
    expect(expandHomeDirectory({ filePath: "~", homeDirectory: "/home/u" })).toBe("/home/u");
    expect(expandHomeDirectory({ filePath: "~/plugins", homeDirectory: "/home/u" })).toBe("/home/u/plugins");
  });

  it("leaves ~user, a ~ further in and ordinary paths alone", () => {
    expect(expandHomeDirectory({ filePath: "~other/plugins", homeDirectory: "/home/u" })).toBe("~other/plugins");
    expect(expandHomeDirectory({ filePath: "/opt/~/x", homeDirectory: "/home/u" })).toBe("/opt/~/x");
    expect(expandHomeDirectory({ filePath: "relative", homeDirectory: "/home/u" })).toBe("relative");
  });
});
