import { readFileSync } from "node:fs";
import { destructiveIntents, type ParseContext } from "../parse-context.js";
import { parseRequest } from "../parse-request.js";

/** The reference context of the labelled sets (../shared/eval/README.md). */
export const referenceContext: ParseContext = {
  now: new Date("2026-03-18T10:00:00Z"),
  home: "/home/alice",
  cwd: "/home/alice/projects/site",
};

interface LabelledLine {
  id: string;
  text: string;
  intent: string;
  slots: Record<string, unknown>;
}

function normText(value: unknown): string {
  return String(value)
    .trim()
    .replace(/^['"`]+|['"`]+$/g, "")
    .trim()
    .toLowerCase()
    .replaceAll("*", "")
    .trim();
}

function normPath(value: unknown): string {
  const text = String(value).trim();
  return text.length > 1 && text.endsWith("/") ? text.slice(0, -1) : text;
}

/** The slot rules of ../shared/eval/score-intents, so the suite scores a set the way the scorer does. */
function slotMatches(key: string, expected: unknown, got: unknown): boolean {
  if (got === undefined || got === null) return false;
  if (key === "path" || key === "source" || key === "destination") return normPath(expected) === normPath(got);
  if (key === "ext") {
    const values = new Set((Array.isArray(got) ? got : [got]).map((item) => String(item).toLowerCase().replace(/^\./, "")));
    return (expected as string[]).every((item) => values.has(item));
  }
  if (["minSize", "maxSize", "port", "pid", "limit"].includes(key)) return Number(expected) === Number(got);
  if (key === "modifiedAfter" || key === "modifiedBefore") return String(got).slice(0, 10) === expected;
  if (key === "at") return String(got).slice(0, 16) === expected;
  if (key === "cron") return String(got).split(/\s+/).join(" ") === expected;
  if (key === "target") return normPath(normText(expected)) === normPath(normText(got));
  return normText(expected) === normText(got);
}

export interface SetScore {
  rows: number;
  intentAccuracy: number;
  fullAccuracy: number;
  destructiveMisfires: number;
  misses: string[];
}

/** Parses every line of a labelled JSON-lines set and scores it like ../shared/eval/score-intents. */
export function scoreLabelledSet(file: string): SetScore {
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LabelledLine);
  let intentRight = 0;
  let fullRight = 0;
  let destructiveMisfires = 0;
  const misses: string[] = [];
  for (const line of lines) {
    const parsed = parseRequest(line.text, { context: referenceContext });
    const intentOk = parsed.intent === line.intent;
    const badSlots = Object.entries(line.slots).filter(([key, value]) => !slotMatches(key, value, parsed.slots[key]));
    if (intentOk) intentRight++;
    if (intentOk && badSlots.length === 0) fullRight++;
    else misses.push(`${line.id} "${line.text}": want ${line.intent}, got ${parsed.intent} ${JSON.stringify(parsed.slots)}`);
    if (destructiveIntents.has(parsed.intent) && parsed.intent !== line.intent) destructiveMisfires++;
  }
  return {
    rows: lines.length,
    intentAccuracy: intentRight / lines.length,
    fullAccuracy: fullRight / lines.length,
    destructiveMisfires,
    misses,
  };
}
