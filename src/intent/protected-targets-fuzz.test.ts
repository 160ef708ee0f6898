import { describe, expect, it } from "vitest";
import { EffectPolicy } from "../safety/effect-policy/effect-policy.js";
import { grammarWords, homeFolders, kindWords } from "./lexicon.js";
import { parseRequest } from "./parse-request.js";
import { plannedEffects } from "./planned-effects.js";
import { referenceContext } from "./testing/score-labelled-set.js";

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const home = referenceContext.home;
/** The places the fuzz must never see a plan destroy: built here, apart from the engine's own policy. */
const protectedPlaces = new EffectPolicy({
  homeDirectory: home,
  temporaryDirectory: "/tmp",
  lexical: true,
  state: [
    { path: `${home}/.config/astros`, what: "configuration", config: true },
    { path: `${home}/.local/share/astros`, what: "data" },
    { path: `${home}/.local/state/astros`, what: "state" },
    { path: `${home}/.local/share/Trash`, what: "trash" },
  ],
});

const verbs = [
  "delete",
  "remove",
  "trash",
  "move",
  "empty",
  "rm -rf",
  "rm -r",
  "mv",
  "wipe",
  "erase",
  "get rid of",
  "clear out",
  "clean out",
  "throw away",
  "nuke",
  "purge",
  "rename",
  "bin",
  "send",
  "put",
  "overwrite",
  "write x to",
];
const targets = [
  "~",
  "~/",
  "~/Downloads/..",
  "~/Documents/./..",
  "~/Music/../.",
  "~/*",
  "$HOME",
  "home",
  "my home",
  "my home folder",
  "the home directory",
  "/",
  "/*",
  "/home",
  "/etc",
  "/usr",
  "/tmp",
  "everything",
  "everything in ~",
  "all files in /",
  "~/.local",
  "~/.local/share",
  "~/.local/share/astros",
  "~/.local/share/Trash",
  "~/.config/astros",
  "..",
  "../..",
  ".",
  "root",
  "the whole disk",
];
const fillers = [
  "the",
  "my",
  "please",
  "now",
  "to",
  "into",
  "in",
  "from",
  "the trash",
  "/tmp",
  "and then",
  "and",
  "them",
  "it",
  "folder",
  "directory",
  "everything",
  "all",
  "of",
  "x.txt",
  "report.pdf",
  "Downloads",
  "~/Downloads",
  "by type",
  "😀",
  "日本語",
  "?",
  "!",
  "-rf",
  "--no-preserve-root",
  "'quoted'",
  "`tick`",
  "\\",
  "%s",
];
const lexiconWords = [
  ...grammarWords,
  ...homeFolders.keys(),
  ...kindWords.flatMap(([, words]) => words),
  ...verbs,
  ...targets,
  ...fillers,
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function noise(next: () => number): string {
  let text = "";
  const length = 1 + Math.floor(next() * 12);
  for (let index = 0; index < length; index++) text += String.fromCodePoint(0x20 + Math.floor(next() * 0x2fe0));
  return text;
}

/** Plain requests ("delete my home folder"), random words around a verb and a target, and plain noise. */
function randomText(next: () => number): string {
  const shape = Math.floor(next() * 4);
  if (shape === 0)
    return [
      pick(next, ["", "please", "can you"]),
      pick(next, verbs),
      pick(next, targets),
      pick(next, ["", "", "now", "to /tmp", "to the trash", "please"]),
    ]
      .join(" ")
      .trim();
  if (shape === 1) {
    const words = [pick(next, verbs), pick(next, targets)];
    const extra = Math.floor(next() * 14);
    for (let index = 0; index < extra; index++)
      words.splice(Math.floor(next() * (words.length + 1)), 0, pick(next, lexiconWords));
    return words.join(" ");
  }
  if (shape === 2) {
    const words = [];
    const length = 1 + Math.floor(next() * 16);
    for (let index = 0; index < length; index++) words.push(next() < 0.1 ? noise(next) : pick(next, lexiconWords));
    return words.join(" ");
  }
  return `${pick(next, verbs)} ${noise(next)} ${pick(next, targets)} ${noise(next)}`;
}

describe("the builtin engine on requests that would destroy a protected place", () => {
  it("plans no step that deletes, moves, empties or overwrites a protected place in 100,000 random and adversarial texts", () => {
    const next = random(20261207);
    let refused = 0;
    const misses: string[] = [];
    for (let index = 0; index < 100_000; index++) {
      const text = randomText(next);
      const parsed = parseRequest(text, { context: referenceContext });
      if (parsed.refused !== undefined) {
        // What the engine refuses, the policy forbids too: the same answer from the engine and the guard.
        expect(protectedPlaces.judge(plannedEffects(parsed)).verdict, text).toBe("deny");
        expect(parsed.plan).toBeUndefined();
        refused++;
        continue;
      }
      for (const step of parsed.plan ?? [parsed]) {
        const decision = protectedPlaces.judge(plannedEffects(step));
        if (decision.verdict === "deny" && misses.length < 10)
          misses.push(`${JSON.stringify(text)} → ${step.intent} ${JSON.stringify(step.slots)}: ${decision.reason}`);
      }
    }
    expect(misses, misses.join("\n")).toEqual([]);
    // The fuzz reaches what it is about: plain requests to destroy a protected place, each refused with a reason.
    expect(refused).toBeGreaterThan(1_000);
  }, 300_000);

  it("never reads long text that only mentions ~ somewhere as a destructive request on the home folder", () => {
    for (const text of [
      "delete root ~/ a over to over system hidden root everything in",
      "remove ~/ x.txt",
      "wipe all ~ old",
      "that all . delete them everything ~ /tmp delete ~ to please clear",
      "move here files the trash of wipe ~/ everything in to",
      "empty / for for now ~/ at stuff now photos ~ / that .. for",
    ]) {
      const parsed = parseRequest(text, { context: referenceContext });
      const steps = parsed.refused === undefined ? (parsed.plan ?? [parsed]) : [];
      expect(
        steps.every((step) => protectedPlaces.judge(plannedEffects(step)).verdict !== "deny"),
        text,
      ).toBe(true);
      // Words that are no filler ("root", "x.txt", "old") make it no plain request: not understood, not refused.
      if (/\b(?:root|x\.txt|old)\b/.test(text)) expect(parsed.intent, text).toBe("unknown");
    }
  });

  it("still reads plain requests on ordinary files and folders, and refuses the plain ones on protected places with the policy's reason", () => {
    expect(parseRequest("delete ~/Downloads/old.txt", { context: referenceContext })).toMatchObject({
      intent: "files.delete",
      slots: { path: `${home}/Downloads/old.txt` },
    });
    expect(parseRequest("delete home.txt", { context: referenceContext }).refused).toBeUndefined();
    expect(parseRequest("empty ~/scratch", { context: referenceContext }).refused).toBeUndefined();
    expect(parseRequest("rm -rf ~", { context: referenceContext }).refused?.reason).toBe(
      "forbidden: deletes your home folder (~)",
    );
    expect(parseRequest("delete the temp folder /tmp", { context: referenceContext })).toMatchObject({
      slots: { path: "/tmp" },
      refused: { risk: "FORBIDDEN" },
    });
    const chained = parseRequest("find pdfs in Downloads and delete ~", { context: referenceContext });
    expect(chained.plan).toBeUndefined();
    expect(chained.refused?.reasons).toEqual(["deletes your home folder (~)"]);
  });
});
