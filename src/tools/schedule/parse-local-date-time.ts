/** YYYY-MM-DDTHH:MM, optional :SS and .sss, optional Z or ±HH:MM (a space may stand for the T). */
const pattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;

export type ParsedDateTime =
  | {
      ok: true;
      /** Epoch milliseconds. */
      time: number;
      /** True when the text gave no seconds (a time to the minute). */
      minutePrecision: boolean;
    }
  | { ok: false; reason: string };

/**
 * Reads a local date-time such as `2026-03-18T17:00` strictly: the exact form, a real calendar
 * date, and a time that exists on this machine's clock (not one skipped by a daylight-saving
 * change). An explicit `Z` or offset is honoured.
 */
export function parseLocalDateTime(text: string): ParsedDateTime {
  const match = pattern.exec(text.trim());
  if (match === null) {
    return { ok: false, reason: `"${text}" is not a date-time of the form YYYY-MM-DDTHH:MM (for example 2026-03-18T17:00)` };
  }
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const fields = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second ?? 0),
    millisecond: Number((fraction ?? "0").padEnd(3, "0")),
  };
  if (fields.month < 1 || fields.month > 12 || fields.day < 1 || fields.day > daysInMonth(fields.year, fields.month)) {
    return { ok: false, reason: `"${text}" is not a real date` };
  }
  if (fields.hour > 23 || fields.minute > 59 || fields.second > 59) {
    return { ok: false, reason: `"${text}" is not a real time of day` };
  }
  const minutePrecision = second === undefined;
  if (zone !== undefined) {
    const offsetMinutes = zone === "Z" ? 0 : offsetOf(zone);
    if (offsetMinutes === undefined) return { ok: false, reason: `"${zone}" is not a valid UTC offset` };
    const utc = Date.UTC(
      fields.year,
      fields.month - 1,
      fields.day,
      fields.hour,
      fields.minute,
      fields.second,
      fields.millisecond,
    );
    return { ok: true, time: utc - offsetMinutes * 60_000, minutePrecision };
  }
  const local = new Date(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
    fields.millisecond,
  );
  if (local.getFullYear() !== fields.year || local.getHours() !== fields.hour || local.getMinutes() !== fields.minute) {
    return { ok: false, reason: `${text} does not exist on this machine's clock (a daylight-saving change skips it)` };
  }
  return { ok: true, time: local.getTime(), minutePrecision };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function offsetOf(zone: string): number | undefined {
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 14 || minutes > 59) return undefined;
  return (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}
