import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLocalDateTime } from "./parse-local-date-time.js";

// A zone with daylight-saving changes; each test file runs in its own process.
const savedTimezone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "Europe/Paris";
});
afterAll(() => {
  if (savedTimezone === undefined) delete process.env.TZ;
  else process.env.TZ = savedTimezone;
});

describe("parseLocalDateTime", () => {
  it("reads YYYY-MM-DDTHH:MM as this machine's local time, with optional seconds", () => {
    expect(parseLocalDateTime("2026-03-18T17:00")).toEqual({
      ok: true,
      time: Date.parse("2026-03-18T16:00:00Z"),
      minutePrecision: true,
    });
    expect(parseLocalDateTime(" 2026-07-01 08:30:15.5 ")).toEqual({
      ok: true,
      time: Date.parse("2026-07-01T06:30:15.500Z"),
      minutePrecision: false,
    });
  });

  it("honours an explicit UTC offset", () => {
    expect(parseLocalDateTime("2026-03-18T17:00Z")).toMatchObject({ ok: true, time: Date.parse("2026-03-18T17:00:00Z") });
    expect(parseLocalDateTime("2026-03-18T17:00-05:30")).toMatchObject({ ok: true, time: Date.parse("2026-03-18T22:30:00Z") });
  });

  it("refuses anything else: other forms, dates and times that do not exist", () => {
    for (const text of ["5pm", "tomorrow at 9", "2026-03-18", "2026-3-18T17:00", "2026-03-18T17", "18/03/2026 17:00", ""]) {
      expect(parseLocalDateTime(text)).toMatchObject({
        ok: false,
        reason: expect.stringContaining("is not a date-time of the form"),
      });
    }
    expect(parseLocalDateTime("2026-02-29T10:00")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("not a real date"),
    });
    expect(parseLocalDateTime("2028-02-29T10:00").ok).toBe(true);
    expect(parseLocalDateTime("2026-13-01T10:00")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("not a real date"),
    });
    expect(parseLocalDateTime("2026-03-18T23:60")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("not a real time"),
    });
    expect(parseLocalDateTime("2026-03-18T17:00+15:00")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("UTC offset"),
    });
  });

  it("refuses a local time a daylight-saving change skips", () => {
    expect(parseLocalDateTime("2026-03-29T02:30")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("does not exist on this machine's clock"),
    });
    expect(parseLocalDateTime("2026-03-29T03:30")).toMatchObject({ ok: true, time: Date.parse("2026-03-29T01:30:00Z") });
  });
});
