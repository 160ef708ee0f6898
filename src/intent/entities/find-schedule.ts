import * as chrono from "chrono-node";
import { isoMinute, weekdayIndex } from "./date-math.js";
import { numberWords } from "./find-modified.js";

/** When a reminder or scheduled request happens: once (`at`) or again and again (`cron`). */
export interface When {
  at?: string;
  cron?: string;
  /** The span of the request that said when, so the rest is what to do. */
  spans: Array<{ start: number; end: number }>;
}

const timeOfDay = String.raw`(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|o'clock)?|(?:at\s+)?(noon|midday|midnight)`;
const recurring = new RegExp(
  String.raw`\b(?:every|each)\s+(day|morning|evening|night|afternoon|weekday|weekend|hour|minute|week|month|(?:(\d+)\s+(minutes?|hours?|days?))|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)s?(?:\s*(?:,|and)\s*(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))*)(?:\s+(?:${timeOfDay}))?|\b(daily|hourly|weekly|monthly|nightly)\b(?:\s+(?:${timeOfDay}))?|\b(?:on\s+)?(weekdays|weekends|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\s+(?:${timeOfDay})`,
);
const timeAfter = new RegExp(String.raw`^\s*(?:${timeOfDay})`);

function hourOf(hour: string | undefined, minute: string | undefined, meridiem: string | undefined, word: string | undefined) {
  if (word === "noon" || word === "midday") return { hour: 12, minute: 0 };
  if (word === "midnight") return { hour: 0, minute: 0 };
  if (hour === undefined) return undefined;
  let h = Number(hour);
  const m = Number(minute ?? 0);
  if (meridiem?.startsWith("p") && h < 12) h += 12;
  if (meridiem?.startsWith("a") && h === 12) h = 0;
  if (h > 23 || m > 59) return undefined;
  return { hour: h, minute: m };
}

function dayList(text: string): string {
  const days = [
    ...text.matchAll(/monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thu|fri|sat|sun/g),
  ].map((match) => weekdayIndex(match[0]));
  return [...new Set(days)].sort((a, b) => a - b).join(",");
}

/** A cron expression for "every monday at 9am", "every day at 8am", "every 15 minutes", "weekdays at 6pm". */
function findCron(lower: string): { cron: string; start: number; end: number } | undefined {
  const match = recurring.exec(lower);
  if (match === null) return undefined;
  let end = match.index + match[0].length;
  const period = match[1] ?? match[8] ?? match[13] ?? "";
  let time =
    hourOf(match[4], match[5], match[6], match[7]) ??
    hourOf(match[9], match[10], match[11], match[12]) ??
    hourOf(match[14], match[15], match[16], match[17]);
  if (time === undefined) {
    const later = timeAfter.exec(lower.slice(end).replace(/^\s*(?:,|and)?\s*/, " "));
    const trailing = /\bat\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b|\bat\s+(noon|midday|midnight)\b/.exec(lower);
    time = hourOf(trailing?.[1], trailing?.[2], trailing?.[3], trailing?.[4]);
    if (later !== null && hourOf(later[1], later[2], later[3], later[4]) !== undefined && later[0].trim() !== "") {
      end += later[0].length;
    }
  }
  // "every night at 9", "every evening at 7": an hour said of the evening or night without am/pm is after noon.
  const saidMeridiem = /\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)/.test(lower);
  if (time !== undefined && !saidMeridiem && time.hour >= 1 && time.hour < 12) {
    const later =
      (/^(?:night|nightly)$/.test(period) && time.hour >= 5) ||
      (period === "evening" && time.hour >= 3) ||
      (period === "afternoon" && time.hour <= 6);
    if (later) time = { hour: time.hour + 12, minute: time.minute };
  }
  const at = (fallbackHour: number) => `${time?.minute ?? 0} ${time?.hour ?? fallbackHour}`;
  let cron: string | undefined;
  if (match[2] !== undefined) {
    const n = Number(match[2]);
    const unitWord = match[3] ?? "";
    if (unitWord.startsWith("minute")) cron = `*/${n} * * * *`;
    else if (unitWord.startsWith("hour")) cron = `0 */${n} * * *`;
    else cron = `${at(9)} */${n} * *`;
  } else if (/^(?:day|daily)$/.test(period)) cron = `${at(9)} * * *`;
  else if (/^(?:morning)$/.test(period)) cron = `${at(8)} * * *`;
  else if (/^(?:afternoon)$/.test(period)) cron = `${at(14)} * * *`;
  else if (/^(?:evening)$/.test(period)) cron = `${at(18)} * * *`;
  else if (/^(?:night|nightly)$/.test(period)) cron = `${at(21)} * * *`;
  else if (/^(?:hour|hourly)$/.test(period)) cron = `${time?.minute ?? 0} * * * *`;
  else if (period === "minute") cron = "* * * * *";
  else if (/^weekdays?$/.test(period)) cron = `${at(9)} * * 1-5`;
  else if (/^weekends?$/.test(period)) cron = `${at(10)} * * 0,6`;
  else if (/^(?:week|weekly)$/.test(period)) cron = `${at(9)} * * 1`;
  else if (/^(?:month|monthly)$/.test(period)) cron = `${at(9)} 1 * *`;
  else if (period !== "") cron = `${at(9)} * * ${dayList(period)}`;
  return cron === undefined ? undefined : { cron, start: match.index, end };
}

/**
 * When a reminder is for: a cron expression for recurring ones, else a local date-time read by
 * chrono with `now` as the reference ("at 5pm", "tomorrow at 9am", "in 30 minutes", "next monday").
 */
export function findWhen(lower: string, now: Date): When {
  const monthly =
    /\b(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?:every|each)\s+month\b(?:\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?)?|\b(?:every|each)\s+month\s+on\s+the\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?)?/.exec(
      lower,
    );
  if (monthly !== null) {
    const day = Number(monthly[1] ?? monthly[5]);
    const time =
      hourOf(monthly[2] ?? monthly[6], monthly[3] ?? monthly[7], monthly[4] ?? monthly[8], undefined) ??
      (() => {
        const at = /\bat\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/.exec(lower);
        return hourOf(at?.[1], at?.[2], at?.[3], undefined);
      })();
    const spans = [{ start: monthly.index, end: monthly.index + monthly[0].length }];
    const at = /\bat\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?\b/.exec(lower);
    if (at !== null && at.index >= monthly.index + monthly[0].length)
      spans.push({ start: at.index, end: at.index + at[0].length });
    if (day >= 1 && day <= 31) return { cron: `${time?.minute ?? 0} ${time?.hour ?? 9} ${day} * *`, spans };
  }
  const recurringMatch = findCron(lower);
  if (recurringMatch !== undefined) {
    return { cron: recurringMatch.cron, spans: [{ start: recurringMatch.start, end: recurringMatch.end }] };
  }
  const spoken = spokenTimes(lower);
  const ordinal = ordinalDay(spoken.text, now);
  const results = chrono.parse(ordinal?.rest ?? spoken.text, now, { forwardDate: true });
  const spans = results.map((result) => widen({ start: result.index, end: result.index + result.text.length }, spoken.rewritten));
  if (ordinal !== undefined) {
    // "on the 25th at 11am": that day of this month (or the next, once past), at the time said or 9:00.
    const timed = results.find((result) => result.start.isCertain("hour"));
    const time = timed?.start.date();
    ordinal.date.setHours(time?.getHours() ?? 9, time?.getMinutes() ?? 0, 0, 0);
    if (ordinal.date.getTime() <= now.getTime()) ordinal.date.setMonth(ordinal.date.getMonth() + 1);
    return { at: isoMinute(ordinal.date), spans: [ordinal.span, ...spans] };
  }
  const first = results[0];
  if (first === undefined) return { spans: [] };
  let date = first.start.date();
  if (!first.start.isCertain("hour") && !first.start.isCertain("minute") && !/\bin\s+\d|\bin\s+an?\b/.test(first.text)) {
    date.setHours(9, 0, 0, 0);
  }
  if (date.getTime() <= now.getTime() && !first.start.isCertain("day")) date.setDate(date.getDate() + 1);
  // "at 4:30" said in the morning, no am or pm: the next 4:30 is this afternoon, not tomorrow night.
  const hour = date.getHours();
  if (
    first.start.isCertain("hour") &&
    !first.start.isCertain("meridiem") &&
    !first.start.isCertain("day") &&
    hour >= 1 &&
    hour <= 11
  ) {
    const afternoon = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hour + 12, date.getMinutes());
    if (afternoon.getTime() > now.getTime() && afternoon.getTime() < date.getTime()) date = afternoon;
  }
  return { at: isoMinute(date), spans };
}

/** The hours said as words ("at four", "half past seven"). */
const hourWords: Record<string, number> = Object.fromEntries(
  Object.entries(numberWords).filter(([word, value]) => word.length > 2 && value >= 1 && value <= 12),
);
const hourNames = Object.keys(hourWords).join("|");
const spokenTime = new RegExp(
  String.raw`\b(?:(half|quarter)\s+past|(quarter)\s+to)\s+(${hourNames}|\d{1,2})\b|\bat\s+(${hourNames})(?:\s+(fifteen|thirty|forty[- ]five|o'clock))?\b(?!\s+(?:of|people|times|minutes?|mins?|hours?|days?|weeks?|months?|years?)\b)`,
  "g",
);

/**
 * Times said in words, rewritten in digits in place ("half past four" is "4:30", "quarter to
 * six" is "5:45", "at four" is "at 4"), padded so every position still points at the same text;
 * with the spans rewritten, so what said the time can be taken out whole.
 */
function spokenTimes(lower: string): { text: string; rewritten: Array<{ start: number; end: number }> } {
  const rewritten: Array<{ start: number; end: number }> = [];
  if (!/\b(?:past|quarter|at|for)\b/.test(lower)) return { text: lower, rewritten };
  let text = lower.replace(
    spokenTime,
    (
      phrase: string,
      part: string | undefined,
      to: string | undefined,
      hour: string | undefined,
      atHour: string | undefined,
      minutes: string | undefined,
      offset: number,
    ) => {
      const h = atHour === undefined ? (hourWords[hour ?? ""] ?? Number(hour)) : (hourWords[atHour] ?? 0);
      if (!(h >= 1 && h <= 12)) return phrase;
      rewritten.push({ start: offset, end: offset + phrase.length });
      const minute = { fifteen: ":15", thirty: ":30", "forty-five": ":45", "forty five": ":45" }[minutes ?? ""] ?? "";
      if (atHour !== undefined) return `at ${h}${minute}`.padEnd(phrase.length);
      return (to !== undefined ? `${h === 1 ? 12 : h - 1}:45` : `${h}:${part === "half" ? "30" : "15"}`).padEnd(phrase.length);
    },
  );
  // "set an alarm for 7 tomorrow": a bare hour after "for", when no other time is said.
  if (!/\d\s*(?:am|pm)\b|\d:\d\d|\bnoon\b|\bmidnight\b|\bat\s+\d/.test(text)) {
    text = text.replace(
      /\bfor(\s+\d{1,2}(?::\d{2})?)\b(?!\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|seconds?|secs?|people|persons|times|%|mb|gb|kb))/,
      "at $1",
    );
  }
  return { text, rewritten };
}

/** A span widened to cover every rewritten phrase it touches. */
function widen(span: { start: number; end: number }, rewritten: ReadonlyArray<{ start: number; end: number }>) {
  let { start, end } = span;
  for (const phrase of rewritten) {
    if (phrase.start < end && phrase.end > start) {
      start = Math.min(start, phrase.start);
      end = Math.max(end, phrase.end);
    }
  }
  return { start, end };
}

/**
 * "on the 25th": the next such day of the month (this month's, or the next month's once it is
 * past), and the text with that phrase blanked out for reading the time of day.
 */
function ordinalDay(lower: string, now: Date): { date: Date; span: { start: number; end: number }; rest: string } | undefined {
  const match =
    /\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:every|each|this|next|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/.exec(
      lower,
    );
  if (match === null) return undefined;
  const day = Number(match[1]);
  if (day < 1 || day > 31) return undefined;
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  let date = new Date(now.getFullYear(), now.getMonth(), day);
  for (let month = 1; month <= 3 && (date.getDate() !== day || date.getTime() < today.getTime()); month++) {
    date = new Date(now.getFullYear(), now.getMonth() + month, day);
  }
  const end = match.index + match[0].length;
  return {
    date,
    span: { start: match.index, end },
    rest: `${lower.slice(0, match.index)}${" ".repeat(match[0].length)}${lower.slice(end)}`,
  };
}
