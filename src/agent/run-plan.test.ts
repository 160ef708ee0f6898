import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFileScanTools } from "../tools/file-scan/file-scan-plugin.js";
import { createFileTools } from "../tools/files/files-plugin.js";
import { startToolAgent, type ToolAgent } from "../tools/testing/start-tool-agent.js";
import type { ConfirmationRequest } from "./pipeline-seams.js";

let tools: ToolAgent | undefined;
afterEach(async () => {
  await tools?.stop();
  tools = undefined;
});

async function downloadsWithPdfs(root: string) {
  await mkdir(path.join(root, "Downloads/old"), { recursive: true });
  await mkdir(path.join(root, "Documents"));
  for (const name of ["a.pdf", "b.pdf", "notes.txt", "old/c.pdf"]) await writeFile(path.join(root, "Downloads", name), name);
}

const ask = (tools: ToolAgent, text: string, confirm?: (request: ConfirmationRequest) => Promise<boolean>) =>
  tools.agent.processRequest(
    { text, userId: "ann", sessionId: "s1", context: { cwd: tools.root, home: tools.root } },
    confirm === undefined ? {} : { confirm },
  );

describe("chained requests", () => {
  it("shows the whole plan, asks once, and moves exactly the files the search found; undo puts them back", async () => {
    tools = await startToolAgent({ plugins: [createFileTools(), createFileScanTools()] });
    await downloadsWithPdfs(tools.root);
    const questions: ConfirmationRequest[] = [];
    const response = await ask(tools, "find pdfs in Downloads and move them to Documents", async (request) => {
      questions.push(request);
      return true;
    });
    expect(response.success, response.message).toBe(true);
    expect(questions.map((question) => question.kind)).toEqual(["plan"]);
    expect(questions[0]?.steps).toEqual([
      expect.stringMatching(/^1\. files\.search/),
      expect.stringMatching(/^2\. files\.move.*on what step 1 finds/),
    ]);
    expect((await readdir(path.join(tools.root, "Documents"))).sort()).toEqual(["a.pdf", "b.pdf", "c.pdf"]);
    expect((await readdir(path.join(tools.root, "Downloads"))).sort()).toEqual(["notes.txt", "old"]);
    expect(tools.audit.entries.some((entry) => entry.type === "confirmation-answered" && entry.detail.kind === "plan")).toBe(
      true,
    );
    const undone = await ask(tools, "undo");
    expect(undone.success, undone.message).toBe(true);
    expect((await readdir(path.join(tools.root, "Downloads"))).sort()).toEqual(["a.pdf", "b.pdf", "notes.txt", "old"]);
  });

  it("changes nothing when the plan is not approved, or when nobody can be asked", async () => {
    tools = await startToolAgent({ plugins: [createFileTools(), createFileScanTools()] });
    await downloadsWithPdfs(tools.root);
    const refused = await ask(tools, "find pdfs in Downloads and move them to Documents", async () => false);
    expect(refused).toMatchObject({ success: false });
    expect(refused.message).toContain("not approved");
    const unattended = await ask(tools, "find pdfs in Downloads and move them to Documents");
    expect(unattended.success).toBe(false);
    expect(await readdir(path.join(tools.root, "Documents"))).toEqual([]);
  });

  it("lets a follow-up act on what the previous request found", async () => {
    tools = await startToolAgent({ plugins: [createFileTools(), createFileScanTools()] });
    await downloadsWithPdfs(tools.root);
    const found = await ask(tools, "find pdf files in Downloads");
    expect(found.success, found.message).toBe(true);
    const moved = await ask(tools, "move them to Documents", async () => true);
    expect(moved.success, moved.message).toBe(true);
    expect((await readdir(path.join(tools.root, "Documents"))).sort()).toEqual(["a.pdf", "b.pdf", "c.pdf"]);
  });
});
