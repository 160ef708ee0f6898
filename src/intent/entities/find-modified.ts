import * as chrono from "chrono-node";
import { isoDate, monthNames, startOfDay, weekdayIndex } from "./date-math.js";

/** Modification-date bounds for file searches, as YYYY-MM-DD (after: on or after; before: before). */
export interface DateBounds {
  modifiedAfter?: string;
  modifiedBefore?: string;
}

/** Numbers people write as words ("two weeks", "an hour"). */
export const numberWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  sixty: 60,
  ninety: 90,
  couple: 2,
  few: 3,
  several: 3,
};
const amount = String.raw`(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|sixty|ninety|couple of|few|several)`;
const unit = `(days?|weeks?|months?|years?|hours?)`;

function count(word: string | undefined): number {
  const key = (word ?? "1").replace(/ of$/, "");
  return numberWords[key] ?? Number(key);
}

/** `now` moved back by `n` units (calendar months and years; days and weeks as days). */
function back(now: Date, n: number, unitWord: string): Date {
  if (unitWord.startsWith("hour")) return new Date(now.getTime() - n * 3_600_000);
  if (unitWord.startsWith("week")) return startOfDay(now, -7 * n);
  if (unitWord.startsWith("month")) return new Date(now.getFullYear(), now.getMonth() - n, now.getDate());
  if (unitWord.startsWith("year")) return new Date(now.getFullYear() - n, now.getMonth(), now.getDate());
  return startOfDay(now, -n);
}

const olderThan = new RegExp(
  String.raw`\b(?:older than|more than|over|at least|not (?:modified|changed|touched|opened|used|accessed)(?: (?:in|for))?(?: (?:the )?(?:last|past))?)\s+${amount}\s+${unit}(?:\s+old)?|\b${amount}\s+${unit}\s+old\b|\b(?:older than|not (?:modified|changed|touched|used)(?: in| for)?)\s+(?:a|one)\s+${unit}`,
);
const newerThan = new RegExp(
  String.raw`\b(?:newer than|less than|under|within|in|during|over|from|for)\s+(?:the\s+)?(?:last|past|previous)\s+${amount}?\s*${unit}|\b(?:last|past|previous)\s+${amount}\s+${unit}|\bnewer than\s+${amount}\s+${unit}|\bless than\s+${amount}\s+${unit}\s+old`,
);
const agoPattern = new RegExp(String.raw`\b${amount}\s+${unit}\s+ago\b`);

/**
 * Date bounds a request puts on when files were changed: "today", "yesterday", "last week",
 * "in the last 30 days", "this month", "since Monday", "older than 90 days", "in 2025",
 * "from March", "before 2026-01-01", "after last Tuesday".
 */
export function findModified(lower: string, now: Date): DateBounds {
  const today = startOfDay(now);
  if (/\byesterday\b/.test(lower) && !/\bsince yesterday\b/.test(lower)) {
    return { modifiedAfter: isoDate(startOfDay(now, -1)), modifiedBefore: isoDate(today) };
  }
  if (/\bsince yesterday\b/.test(lower)) return { modifiedAfter: isoDate(startOfDay(now, -1)) };
  if (/\btoday\b|\bthis morning\b/.test(lower)) return { modifiedAfter: isoDate(today) };
  const older = olderThan.exec(lower);
  if (older !== null) {
    const n = count(older[1] ?? older[3] ?? "1");
    const unitWord = older[2] ?? older[4] ?? older[5] ?? "day";
    return { modifiedBefore: isoDate(back(now, n, unitWord)) };
  }
  const newer = newerThan.exec(lower);
  if (newer !== null) {
    const n = count(newer[1] ?? newer[3] ?? newer[5] ?? newer[7] ?? "1");
    const unitWord = newer[2] ?? newer[4] ?? newer[6] ?? newer[8] ?? "day";
    return { modifiedAfter: isoDate(back(now, n, unitWord)) };
  }
  if (/\b(?:last|past|previous)\s+week\b/.test(lower)) return { modifiedAfter: isoDate(startOfDay(now, -7)) };
  if (/\b(?:last|past|previous)\s+month\b/.test(lower)) return { modifiedAfter: isoDate(back(now, 1, "month")) };
  if (/\b(?:last|past|previous)\s+year\b/.test(lower)) return { modifiedAfter: isoDate(back(now, 1, "year")) };
  if (/\bthis week\b/.test(lower)) return { modifiedAfter: isoDate(startOfDay(now, -((now.getDay() + 6) % 7))) };
  if (/\bthis month\b/.test(lower)) return { modifiedAfter: isoDate(new Date(now.getFullYear(), now.getMonth(), 1)) };
  if (/\bthis year\b/.test(lower)) return { modifiedAfter: isoDate(new Date(now.getFullYear(), 0, 1)) };
  const ago = agoPattern.exec(lower);
  if (ago !== null) {
    const day = back(now, count(ago[1]), ago[2] ?? "day");
    return { modifiedAfter: isoDate(startOfDay(day)), modifiedBefore: isoDate(startOfDay(day, 1)) };
  }
  const since =
    /\bsince\s+(?:last\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)\b/.exec(
      lower,
    );
  if (since !== null) {
    const target = weekdayIndex(since[1] ?? "");
    const daysBack = (now.getDay() - target + 7) % 7 || 7;
    return { modifiedAfter: isoDate(startOfDay(now, -daysBack)) };
  }
  const year = /\b(?:in|from|during|of|since|before|after)\s+(?:the\s+year\s+)?((?:19|20)\d\d)\b(?![-/])/.exec(lower);
  if (year !== null) {
    const value = Number(year[1]);
    const word = /\b(since|before|after)\s/.exec(year[0])?.[1];
    if (word === "before") return { modifiedBefore: `${value}-01-01` };
    if (word === "since" || word === "after")
      return { modifiedAfter: word === "after" ? `${value + 1}-01-01` : `${value}-01-01` };
    return { modifiedAfter: `${value}-01-01`, modifiedBefore: `${value + 1}-01-01` };
  }
  const month = new RegExp(`\\b(?:in|from|during)\\s+(?:last\\s+)?(${monthNames.join("|")})\\b(?!\\s+\\d)`).exec(lower);
  if (month !== null) {
    const index = monthNames.indexOf(month[1] as (typeof monthNames)[number]);
    const yearOf = index > now.getMonth() || /last/.test(month[0]) ? now.getFullYear() - 1 : now.getFullYear();
    return { modifiedAfter: isoDate(new Date(yearOf, index, 1)), modifiedBefore: isoDate(new Date(yearOf, index + 1, 1)) };
  }
  return explicitBounds(lower, now);
}

/** "since March 1", "before 2026-01-01", "after last tuesday": chrono reads the date. */
function explicitBounds(lower: string, now: Date): DateBounds {
  const bounds: DateBounds = {};
  const pattern = /\b(since|after|from|before|until|till|prior to)\s+(.{3,40})/g;
  for (const match of lower.matchAll(pattern)) {
    if (
      !/\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|last|next|yesterday|today|ago|week|month|year)/.test(
        match[2] ?? "",
      )
    )
      continue;
    const parsed = chrono.parse(match[2] ?? "", now, { forwardDate: false })[0];
    if (parsed === undefined || parsed.index > 1) continue;
    const date = isoDate(parsed.start.date());
    if (/before|until|till|prior/.test(match[1] ?? "")) bounds.modifiedBefore = date;
    else bounds.modifiedAfter = date;
  }
  return bounds;
}

/** Whether a request talks about when files were changed at all (cheap test before the work). */
export function mentionsDates(lower: string): boolean {
  return /\b(?:today|yesterday|weeks?|months?|years?|days?|hours?|since|before|after|older|newer|ago|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|(?:19|20)\d\d)\b/.test(
    lower,
  );
}
