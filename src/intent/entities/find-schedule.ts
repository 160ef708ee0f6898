import * as chrono from "chrono-node";
import { isoMinute, weekdayIndex } from "./date-math.js";

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
  const results = chrono.parse(lower, now, { forwardDate: true });
  if (results.length === 0) return { spans: [] };
  const spans = results.map((result) => ({ start: result.index, end: result.index + result.text.length }));
  const first = results[0];
  if (first === undefined) return { spans: [] };
  const date = first.start.date();
  if (!first.start.isCertain("hour") && !first.start.isCertain("minute") && !/\bin\s+\d|\bin\s+an?\b/.test(first.text)) {
    date.setHours(9, 0, 0, 0);
  }
  if (date.getTime() <= now.getTime() && !first.start.isCertain("day")) date.setDate(date.getDate() + 1);
  return { at: isoMinute(date), spans };
}
