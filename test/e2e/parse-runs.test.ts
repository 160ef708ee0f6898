import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstPartyPhrases } from "../../src/agent/first-party-phrases.js";
import { createUserRequest } from "../../src/core/types/user-request.js";
import { parseRequest } from "../../src/intent/parse-request.js";
import { AstrOSTestClient } from "../../src/testing.js";

/**
 * What `astros parse` shows is what runs: over every labelled set, the builtin engine alone (the parse command)
 * and the agent's recognizer with every first-party tool's examples learned (what a request runs) give the same
 * intent and the same slots. A plugin's example phrase ("how much memory do I have") must never replace the
 * grammar's reading of it (topic memory) with a bare one (topic all).
 */
const home = "/home/alice";
const cwd = "/home/alice/projects/site";
const now = new Date("2026-03-18T10:00:00Z");
const sets = ["intents-fresh", "intents-varied", "intents-heldout", "intents-blind"].map((name) =>
  path.join(import.meta.dirname, "..", "data", `${name}.jsonl`),
);
const shared = path.join(import.meta.dirname, "..", "..", "..", "shared", "eval", "intents-dev.jsonl");

function lines(file: string): Array<{ id: string; text: string }> {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { id: string; text: string });
}

let client: AstrOSTestClient;
beforeAll(async () => {
  client = new AstrOSTestClient({ includeTools: true });
  await client.agent.start();
});
afterAll(async () => {
  await client.stop();
});

describe("astros parse shows the call that runs", () => {
  for (const file of [...sets, ...(existsSync(shared) ? [shared] : [])]) {
    it(`${path.basename(file)}: the parse and the executed reading are identical`, async () => {
      const differ: string[] = [];
      for (const { id, text } of lines(file)) {
        const parsed = parseRequest(text, { context: { now, home, cwd }, rules: [firstPartyPhrases()] });
        const run = await client.agent.recognizer.recognize(
          createUserRequest({ text, sessionId: randomUUID(), timestamp: now, context: { home, cwd } }),
        );
        // Not understood either way: what the answer explains (the words, what would have run) may differ; nothing runs.
        const same =
          run.type === parsed.intent && (run.type === "unknown" || JSON.stringify(run.entities) === JSON.stringify(parsed.slots));
        if (!same)
          differ.push(
            `${id} "${text}": parse ${parsed.intent} ${JSON.stringify(parsed.slots)}, runs ${run.type} ${JSON.stringify(run.entities)}`,
          );
      }
      expect(differ).toEqual([]);
    });
  }
});
