/** YYYY-MM-DD of a local date. */
export function isoDate(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, "0");
  const day = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${month}-${day}`;
}

/** YYYY-MM-DDTHH:MM of a local date-time. */
export function isoMinute(date: Date): string {
  return `${isoDate(date)}T${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}

/** Local midnight of `date` moved by `days`. */
export function startOfDay(date: Date, days = 0): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

export const weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;

/** Index of a weekday name or its usual short form (sun, mon, tue, tues, …), or -1. */
export function weekdayIndex(word: string): number {
  const lower = word.toLowerCase();
  return weekdayNames.findIndex((name) => name === lower || (lower.length >= 3 && name.startsWith(lower)));
}

export const monthNames = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
] as const;
