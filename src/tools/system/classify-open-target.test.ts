import { describe, expect, it } from "vitest";
import { classifyOpenTarget } from "./classify-open-target.js";

describe("classifyOpenTarget", () => {
  it("takes web and mail links as links", () => {
    expect(classifyOpenTarget("https://example.com")).toEqual({ kind: "url", url: "https://example.com" });
    expect(classifyOpenTarget("mailto:ann@example.com")).toEqual({ kind: "url", url: "mailto:ann@example.com" });
  });

  it("takes paths, file links and names with an extension as files", () => {
    expect(classifyOpenTarget("~/Downloads")).toMatchObject({ kind: "path", path: "~/Downloads" });
    expect(classifyOpenTarget("./notes.txt")).toMatchObject({ kind: "path", looksLikeWebSite: false });
    expect(classifyOpenTarget("file:///tmp/a%20b.txt")).toMatchObject({ kind: "path", path: "/tmp/a b.txt" });
    expect(classifyOpenTarget("report.pdf")).toMatchObject({ kind: "path", path: "report.pdf" });
  });

  it("notes when a bare name could be a web site instead of a file", () => {
    expect(classifyOpenTarget("example.com")).toMatchObject({ kind: "path", looksLikeWebSite: true });
    expect(classifyOpenTarget("github.com/astros/astros")).toMatchObject({ kind: "path", looksLikeWebSite: true });
    expect(classifyOpenTarget("www.example.xyz")).toMatchObject({ kind: "path", looksLikeWebSite: true });
    expect(classifyOpenTarget("report.pdf")).toMatchObject({ kind: "path", looksLikeWebSite: false });
    expect(classifyOpenTarget("notes.md")).toMatchObject({ kind: "path", looksLikeWebSite: false });
  });

  it("takes a plain word as an application", () => {
    expect(classifyOpenTarget("firefox")).toEqual({ kind: "app", name: "firefox" });
    expect(classifyOpenTarget("Visual Studio Code")).toEqual({ kind: "app", name: "Visual Studio Code" });
  });

  it("refuses schemes that could start any registered program", () => {
    expect(classifyOpenTarget("javascript:alert(1)")).toMatchObject({ kind: "refused" });
    expect(classifyOpenTarget("steam://run/1")).toMatchObject({ kind: "refused" });
  });
});
