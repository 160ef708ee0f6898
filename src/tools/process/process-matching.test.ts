import { describe, expect, it } from "vitest";
import { isNamed, mentions, shortCommand } from "./process-matching.js";

describe("isNamed", () => {
  it("takes the kernel name or the program's file name, exactly, case aside", () => {
    expect(isNamed({ name: "node", program: "/usr/bin/node" }, "Node")).toBe(true);
    expect(isNamed({ name: "MainThread", program: "/opt/firefox/firefox" }, "firefox")).toBe(true);
    expect(isNamed({ name: "nodemon", program: "/usr/bin/nodemon" }, "node")).toBe(false);
    expect(isNamed({ name: "node", program: "node" }, "")).toBe(false);
  });

  it("matches a long name against the 15 characters the kernel keeps", () => {
    expect(isNamed({ name: "gnome-shell-cal" }, "gnome-shell-calendar-server")).toBe(true);
    expect(isNamed({ name: "gnome-shell" }, "gnome-shell-calendar-server")).toBe(false);
  });
});

describe("mentions", () => {
  it("finds a word anywhere in the name or command line", () => {
    expect(mentions({ name: "node", command: "node /srv/api/server.js" }, "API")).toBe(true);
    expect(mentions({ name: "node", command: "node x.js" }, "python")).toBe(false);
  });
});

it("cuts long command lines with an ellipsis", () => {
  expect(shortCommand("a".repeat(10), 5)).toBe("aaaa…");
  expect(shortCommand("short", 5)).toBe("short");
});
