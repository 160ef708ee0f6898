import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AstrOSAgent } from "./astros-agent.js";
import { createDeferringChannel, sameQuestion } from "./deferred-confirmation.js";
import { createTestAgent } from "./testing/test-agent.js";

let root: string;
let agent: AstrOSAgent;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "astros-deferred-"));
  agent = createTestAgent(root);
  await agent.start();
});
afterEach(async () => {
  await agent.stop();
  await rm(root, { recursive: true, force: true });
});

describe("a deferring confirmation channel (REST)", () => {
  it("stops at the first question and answers with exactly what needs a yes", async () => {
    const doomed = path.join(root, "doomed");
    await mkdir(doomed);
    const channel = createDeferringChannel();
    const response = await agent.processRequest(
      { text: `run find ${doomed} -delete`, context: { cwd: root } },
      { confirm: channel },
    );
    expect(existsSync(doomed)).toBe(true);
    expect(response).toMatchObject({ success: false, requiresFollowup: true });
    expect(response.metadata.error?.code).toBe("CONFIRMATION_REQUIRED");
    expect(response.data?.confirmation).toMatchObject({
      kind: "action",
      tool: "shell.run",
      risk: "DANGEROUS",
      command: `find ${doomed} -delete`,
    });
    expect(channel.deferred).toHaveLength(1);

    // The same action asked again is the same question; another folder is not.
    const again = createDeferringChannel();
    await agent.processRequest({ text: `run find ${doomed} -delete`, context: { cwd: root } }, { confirm: again });
    const [first] = channel.deferred;
    const [repeated] = again.deferred;
    if (first === undefined || repeated === undefined) throw new Error("no question was deferred");
    expect(sameQuestion(first, repeated)).toBe(true);
    const other = createDeferringChannel();
    await agent.processRequest({ text: `run find ${root}/other -delete`, context: { cwd: root } }, { confirm: other });
    const [elsewhere] = other.deferred;
    if (elsewhere === undefined) throw new Error("no question was deferred");
    expect(sameQuestion(first, elsewhere)).toBe(false);
  });

  it("defers a whole plan as one question listing its steps", async () => {
    await writeFile(path.join(root, "a.pdf"), "%PDF");
    await mkdir(path.join(root, "Docs"));
    const channel = createDeferringChannel();
    const response = await agent.processRequest(
      { text: `find pdfs in ${root} and move them to ${root}/Docs`, context: { cwd: root } },
      { confirm: channel },
    );
    expect(response.metadata.error?.code).toBe("CONFIRMATION_REQUIRED");
    expect(response.data?.confirmation).toMatchObject({ kind: "plan" });
    expect((response.data?.confirmation as { steps?: string[] } | undefined)?.steps).toHaveLength(2);
    expect(existsSync(path.join(root, "a.pdf"))).toBe(true);
  });
});
