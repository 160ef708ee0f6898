import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startToolAgent, type ToolAgent } from "../testing/start-tool-agent.js";
import type { Note } from "./note.js";
import { createNotesTools } from "./notes-plugin.js";
import { rankNotes } from "./rank-notes.js";
import { scoreByMatchingWords } from "./score-note.js";

let agent: ToolAgent;
let now: number;

beforeEach(async () => {
  now = Date.parse("2026-03-18T10:00:00Z");
  agent = await startToolAgent({ plugins: [createNotesTools({ now: () => now })] });
});
afterEach(async () => {
  await agent.stop();
});

async function remember(userId: string, text: string) {
  now += 60_000;
  return agent.call("notes.remember", { text }, { userId });
}

async function recall(userId: string, args: Record<string, unknown> = {}) {
  const response = await agent.call("notes.recall", args, { userId });
  const notes = (response.data?.notes ?? []) as Array<Note & { score?: number }>;
  return { response, texts: notes.map((note) => note.text) };
}

describe("notes.remember and notes.recall", () => {
  it("keeps a note and says so", async () => {
    const first = await remember("ann", "the wifi password is in the drawer");
    expect(first.success).toBe(true);
    expect(first.message).toBe('Noted: "the wifi password is in the drawer" (your first note).');
    expect((await remember("ann", "dentist on friday")).message).toContain("you have 2 notes");
  });

  it("never shows one user's notes to another", async () => {
    await remember("ann", "the wifi password is in the drawer");
    await remember("bob", "bob's wifi is called attic");
    // A user id that starts like another's must not see that user's notes either.
    await remember("ann/x", "ann/x wifi secret");
    expect((await recall("ann", { query: "wifi" })).texts).toEqual(["the wifi password is in the drawer"]);
    expect((await recall("bob")).texts).toEqual(["bob's wifi is called attic"]);
    expect((await recall("ann/x", { query: "wifi" })).texts).toEqual(["ann/x wifi secret"]);
    const nobody = await recall("carol", { query: "wifi" });
    expect(nobody.texts).toEqual([]);
    expect(nobody.response.message).toMatch(/no notes yet/);
  });

  it("ranks by matching words, ignoring case and punctuation, newest first among equals", async () => {
    await remember("ann", "Wi-Fi password: hunter2");
    await remember("ann", "buy milk");
    await remember("ann", "The WIFI router is in the attic");
    await remember("ann", "the wifi password is in the drawer!");
    const { response, texts } = await recall("ann", { query: "what did I say about the WiFi password?" });
    expect(texts).toEqual(["the wifi password is in the drawer!", "Wi-Fi password: hunter2", "The WIFI router is in the attic"]);
    expect(response.message.split("\n")[0]).toBe('3 notes about "what did I say about the WiFi password?":');
    expect(response.message.split("\n")[1]).toMatch(/^ {2}• the wifi password is in the drawer! \(\d{4}-\d\d-\d\d \d\d:\d\d\)$/);
  });

  it("shows the latest notes when there is no query, up to the limit", async () => {
    for (const text of ["one", "two", "three", "four"]) await remember("ann", text);
    const all = await recall("ann");
    expect(all.texts).toEqual(["four", "three", "two", "one"]);
    expect(all.response.message.split("\n")[0]).toBe("Your 4 notes:");
    const latest = await recall("ann", { limit: 2 });
    expect(latest.texts).toEqual(["four", "three"]);
    expect(latest.response.message.split("\n")[0]).toBe("Your latest 2 of 4 notes:");
    expect(latest.response.data?.total).toBe(4);
  });

  it("says when nothing matches, and refuses an empty note", async () => {
    await remember("ann", "buy milk");
    const none = await recall("ann", { query: "dentist" });
    expect(none.response.success).toBe(true);
    expect(none.response.message).toBe('No notes about "dentist" among your 1.');
    const empty = await remember("ann", "   ");
    expect(empty.success).toBe(false);
    expect(empty.metadata.error?.code).toBe("PLUGIN_ARGUMENTS_INVALID");
  });
});

describe("scoreByMatchingWords", () => {
  const note = (text: string, minute: number): Note => ({
    id: `id-${minute}`,
    text,
    createdAt: new Date(Date.UTC(2026, 2, 18, 10, minute)).toISOString(),
  });

  it("counts whole words, half for a shared beginning, nothing for glue words", () => {
    expect(scoreByMatchingWords("wifi password", note("The WiFi password.", 0))).toBe(2);
    expect(scoreByMatchingWords("pass", note("passwords", 0))).toBe(0.5);
    expect(scoreByMatchingWords("passwords", note("the password", 0))).toBe(0.5);
    expect(scoreByMatchingWords("the", note("the drawer", 0))).toBe(1);
    expect(scoreByMatchingWords("about the drawer", note("the attic", 0))).toBe(0);
    expect(scoreByMatchingWords("café", note("Cafe opening hours", 0))).toBe(1);
  });

  it("is the one function recall ranks with, so another scorer can replace it", () => {
    const notes = [note("alpha", 1), note("beta", 2), note("gamma", 3)];
    const byLength = (query: string, candidate: Note) => (candidate.text.length === query.length ? 1 : 0);
    expect(rankNotes({ notes, query: "12345", scorer: byLength }).map((ranked) => ranked.text)).toEqual(["gamma", "alpha"]);
  });
});

describe("notes.forget", () => {
  it("forgets the one note the words name, and keeps the others and other users' notes", async () => {
    await remember("ann", "my locker code is 4471");
    await remember("ann", "the wifi password is on the fridge");
    await remember("bob", "my locker code is 1234");
    const response = await agent.call("notes.forget", { query: "locker code" }, { userId: "ann" });
    expect(response.success, response.message).toBe(true);
    expect(response.message).toBe('Forgot the note "my locker code is 4471".');
    expect((await recall("ann")).texts).toEqual(["the wifi password is on the fridge"]);
    expect((await recall("bob")).texts).toEqual(["my locker code is 1234"]);
  });

  it("forgets nothing when the words fit several notes or none", async () => {
    await remember("ann", "gate code 1111");
    await remember("ann", "bike lock code 2222");
    const several = await agent.call("notes.forget", { query: "code" }, { userId: "ann" });
    expect(several.success).toBe(false);
    expect(several.message).toMatch(/^2 notes mention "code", so nothing was forgotten/);
    const none = await agent.call("notes.forget", { query: "passport" }, { userId: "ann" });
    expect(none.message).toBe('No note mentions "passport", so nothing was forgotten.');
    expect((await recall("ann")).texts).toHaveLength(2);
  });
});
