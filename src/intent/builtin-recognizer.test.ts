import { describe, expect, it } from "vitest";
import { createResponse } from "../core/types/response.js";
import { createUserRequest } from "../core/types/user-request.js";
import { BuiltinRecognizer } from "./builtin-recognizer.js";

const context = { cwd: "/home/alice", home: "/home/alice" };

/** One turn of a session: understood, then answered with `answer` (what the tool did). */
async function turn(
  recognizer: BuiltinRecognizer,
  text: string,
  answer: { success: boolean; data?: Record<string, unknown> } = { success: true },
) {
  const request = createUserRequest({ text, context, sessionId: "s1", timestamp: new Date("2026-03-18T10:00:00Z") });
  const intent = await recognizer.recognize(request);
  recognizer.observeResult(request, createResponse({ message: "", ...answer }));
  return intent;
}

const found = ["/home/alice/Downloads/a.tmp", "/home/alice/Downloads/b.tmp"];

describe("what 'them', 'it' and 'there' stand for", () => {
  it("keeps 'them' as the files found after a delete was declined, never the folder they are in", async () => {
    const recognizer = new BuiltinRecognizer();
    await turn(recognizer, "find tmp files in Downloads", { success: true, data: { matches: found.map((path) => ({ path })) } });
    const first = await turn(recognizer, "delete them", { success: false });
    expect(first).toMatchObject({ type: "files.delete", entities: { files: found } });
    expect(await turn(recognizer, "no", { success: false })).toMatchObject({ type: "unknown" });
    const again = await turn(recognizer, "delete them", { success: false });
    expect(again).toMatchObject({ type: "files.delete", entities: { files: found } });
  });

  it("reads 'stop it' as exactly the process the turn before found", async () => {
    const recognizer = new BuiltinRecognizer();
    await turn(recognizer, "what's using port 8765", {
      success: true,
      data: { port: 8765, listeners: [{ pid: 4242, visible: true }] },
    });
    expect(await turn(recognizer, "stop it")).toMatchObject({ type: "process.kill", entities: { pids: [4242] } });
  });

  it("reads 'kill them' as the processes a listing showed, after a declined kill too", async () => {
    const recognizer = new BuiltinRecognizer();
    await turn(recognizer, "list running python processes", {
      success: true,
      data: { processes: [{ pid: 11 }, { pid: 12 }] },
    });
    expect(await turn(recognizer, "kill them", { success: false })).toMatchObject({ entities: { pids: [11, 12] } });
    expect(await turn(recognizer, "kill them")).toMatchObject({ entities: { pids: [11, 12] } });
  });

  it("reads 'there' as the folder of the turn before, and 'into it' as the folder just made", async () => {
    const recognizer = new BuiltinRecognizer();
    await turn(recognizer, "what's in Downloads?");
    expect(await turn(recognizer, "delete the zip files there")).toMatchObject({
      type: "files.delete",
      entities: { path: "/home/alice/Downloads", ext: ["zip"] },
    });
    await turn(recognizer, "make a folder called Receipts in Documents");
    expect(await turn(recognizer, "move the receipt pdfs from Downloads into it")).toMatchObject({
      type: "files.move",
      entities: { source: "/home/alice/Downloads", ext: ["pdf"], name: "receipt", destination: "/home/alice/Documents/Receipts" },
    });
  });

  it("reads 'delete the duplicates' as those of the folder just searched", async () => {
    const recognizer = new BuiltinRecognizer();
    await turn(recognizer, "find duplicate files in Music");
    expect(await turn(recognizer, "ok delete the duplicates but keep the oldest")).toMatchObject({
      type: "files.duplicates",
      entities: { path: "/home/alice/Music", action: "trash" },
    });
  });

  it("has nothing for 'it' to stand for in a first turn, and says which word", async () => {
    const recognizer = new BuiltinRecognizer();
    expect(await turn(recognizer, "stop it")).toMatchObject({
      type: "unknown",
      entities: { notUnderstood: ["it"], noEarlierResult: true },
    });
    expect(await turn(recognizer, "delete the zip files there")).not.toMatchObject({ type: "files.delete" });
  });
});
