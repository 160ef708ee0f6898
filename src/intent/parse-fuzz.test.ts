import { describe, expect, it } from "vitest";
import { bareCommands } from "./lexicon.js";
import { destructiveIntents } from "./parse-context.js";
import { parseRequest } from "./parse-request.js";
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

const harmlessWords = [
  "the",
  "my",
  "please",
  "files",
  "folder",
  "in",
  "on",
  "to",
  "from",
  "Downloads",
  "Desktop",
  "~/Documents",
  "/tmp",
  "report.pdf",
  "photos",
  "by",
  "type",
  "date",
  "size",
  "port",
  "3000",
  "process",
  "firefox",
  "show",
  "find",
  "list",
  "what",
  "is",
  "how",
  "much",
  "memory",
  "where",
  "remember",
  "note",
  "reminder",
  "at",
  "5pm",
  "tomorrow",
  "every",
  "monday",
  "'quoted text'",
  '"double"',
  "`tick`",
  "$",
  "and",
  "then",
  "them",
  "a",
  "party",
  "meeting",
  "lights",
  "account",
  "😀",
  "日本語",
  "résumé",
  "über",
  "?",
  "!",
  ",",
  "...",
  "-rf",
  "*",
  ".",
  "..",
  "../..",
  "\\",
  "%s",
  "{x}",
];
const destructiveVerb =
  /\$|`|\b(?:delete|remove|rm|trash|erase|get rid|throw|bin|discard|wipe|purge|nuke|dispose|clear|clean|empty|move|mv|relocate|transfer|shift|put|drag|stick|place|file|send|copy|cp|duplicate|back ?up|clone|replicate|rename|re-name|call|give|change|retitle|relabel|write|save|store|add|append|type|insert|create|make|new|start|overwrite|replace|set|fill|organi[sz]e|sort|tidy|arrange|group|categori[sz]e|declutter|reorgani[sz]e|order|kill|stop|terminate|end|quit|close|shut|halt|murder|pkill|killall|sigkill|abort|exit|free|release|unblock|take|bring|force|run|execute|exec|launch|invoke|do|enter|issue|excute|exectue|ls|git|npm|node|python|sudo)/i;

function randomText(next: () => number): string {
  const kind = Math.floor(next() * 5);
  if (kind === 0) {
    let text = "";
    const length = Math.floor(next() * 60);
    for (let index = 0; index < length; index++) text += String.fromCodePoint(Math.floor(next() * 0x2fff));
    return text;
  }
  if (kind === 1) {
    let text = "";
    const length = Math.floor(next() * 40);
    for (let index = 0; index < length; index++)
      text += " abcdefghijklmnopqrstuvwxyz'\"`~/.$-*?,:;()[]{}|&<>0123456789"[Math.floor(next() * 62)];
    return text;
  }
  const words = [];
  const length = 1 + Math.floor(next() * 12);
  for (let index = 0; index < length; index++) words.push(harmlessWords[Math.floor(next() * harmlessWords.length)]);
  return words.join(" ");
}

describe("the builtin intent engine under fuzzing", () => {
  it("parses 100,000 random and adversarial strings without a crash or a hang, and reads no destructive intent without a destructive verb", () => {
    const next = random(20261130);
    const adversarial = [
      "",
      " ".repeat(10_000),
      "a".repeat(100_000),
      `${"find ".repeat(5_000)}pdfs`,
      `'${"x".repeat(50_000)}`,
      "\u0000\u0001\u0002binary\uffff",
      "🗑️🔥💣".repeat(1000),
      "((((((((((((((((((((((((((((((((",
      `${"in ".repeat(3000)}Downloads`,
      `${"and then ".repeat(2000)}undo`,
      "~".repeat(20_000),
      "/".repeat(20_000),
      "supprime mon compte facebook",
      "löschen Sie die Datei",
      "ファイルを削除して",
    ];
    let slowest = 0;
    let misfires = 0;
    const examples: string[] = [];
    for (let index = 0; index < 100_000; index++) {
      const text = index < adversarial.length ? (adversarial[index] as string) : randomText(next);
      const started = performance.now();
      const parsed = parseRequest(text, { context: referenceContext });
      slowest = Math.max(slowest, performance.now() - started);
      expect(typeof parsed.intent).toBe("string");
      const steps = parsed.plan ?? [parsed];
      const namesCommand = bareCommands.has(text.trim().split(/\s+/)[0]?.toLowerCase() ?? "");
      if (steps.some((step) => destructiveIntents.has(step.intent)) && !destructiveVerb.test(text) && !namesCommand) {
        misfires++;
        if (examples.length < 5) examples.push(`${JSON.stringify(text)} → ${parsed.intent}`);
      }
    }
    expect(misfires, examples.join("\n")).toBe(0);
    expect(slowest, "no single parse may hang").toBeLessThan(2_000);
  }, 300_000);
});
