import pc from "picocolors";
import { describe, expect, it } from "vitest";
import type { ConfirmationRequest, ToolCall } from "../agent/pipeline-seams.js";
import { terminalConfirmation } from "./create-cli-agent.js";
import type { Output } from "./output.js";

function captured(): Output & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: (text) => lines.push(text),
    err: (text) => lines.push(text),
    colors: pc.createColors(false),
    interactive: true,
  };
}

const call = { plugin: "process", tool: "process.kill", args: { port: 3000, force: false } } as unknown as ToolCall;

describe("the terminal's confirmation question", () => {
  it("shows a tool's own summary in words, without the raw arguments beside it", async () => {
    const output = captured();
    const ask = terminalConfirmation(output, async () => "y");
    const request: ConfirmationRequest = {
      kind: "action",
      risk: "DANGEROUS",
      call,
      summary: "Stop 1 process (the process listening on port 3000):\n  4242 python3",
      reasons: ["SIGTERM first"],
    };
    expect(await ask?.(request)).toMatchObject({ approved: true });
    expect(output.lines).toEqual([
      "⚠ DANGEROUS: process wants to run process.kill",
      "  Stop 1 process (the process listening on port 3000):\n  4242 python3",
      "  why: SIGTERM first",
    ]);
  });

  it("shows the arguments when there is no summary", async () => {
    const output = captured();
    const ask = terminalConfirmation(output, async () => "n");
    expect(await ask?.({ kind: "action", risk: "DANGEROUS", call, reasons: ["risky"] })).toMatchObject({ approved: false });
    expect(output.lines).toContain('  with: {"port":3000,"force":false}');
  });
});
