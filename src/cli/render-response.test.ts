import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { createResponse } from "../core/types/response.js";
import type { Output } from "./output.js";
import { renderResponse } from "./render-response.js";

function captured(): Output & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: (text) => lines.push(`out: ${text}`),
    err: (text) => lines.push(`err: ${text}`),
    colors: pc.createColors(false),
    interactive: false,
  };
}

describe("renderResponse", () => {
  it("quotes the requests it suggests, and shows advice as a tip, never as something to type", () => {
    const output = captured();
    renderResponse(
      createResponse({
        success: true,
        message: "Nothing is listening on port 3000.",
        suggestions: ["what is using port 8080", "Check that the service is started", "undo"],
      }),
      output,
    );
    expect(output.lines).toEqual([
      "out: Nothing is listening on port 3000.",
      'err: Next you could try: "what is using port 8080", "undo"',
      "err: Tip: Check that the service is started",
    ]);
  });

  it("shows a failure's advice alone as a tip", () => {
    const output = captured();
    renderResponse(
      createResponse({
        success: false,
        message: "There is no desktop session to open https://example.com in.",
        suggestions: ["Run AstrOS from a terminal inside your desktop session"],
      }),
      output,
    );
    expect(output.lines).toEqual([
      "err: There is no desktop session to open https://example.com in.",
      "err: Tip: Run AstrOS from a terminal inside your desktop session",
    ]);
  });
});
