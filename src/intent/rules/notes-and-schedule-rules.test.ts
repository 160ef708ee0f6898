import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const parse = (text: string) => parseRequest(text, { context: referenceContext });

describe("cancelling a reminder by its words", () => {
  it.each([
    ["cancel the reminder about the dentist", "dentist"],
    ["cancel the timesheet reminder", "timesheet"],
    ["delete my reminder to call mom", "call mom"],
    ["stop reminding me about the bins", "bins"],
    ["remove the alarm for the school run", "school run"],
  ])("%s cancels the one about %s", (text, words) => {
    expect(parse(text)).toMatchObject({ intent: "schedule.cancel", slots: { words } });
  });

  it("still cancels by id, and never reads 'cancel all reminders' as one of them", () => {
    expect(parse("cancel reminder 3f2a9c").slots).toEqual({ id: "3f2a9c" });
    expect(parse("cancel all reminders").intent).not.toBe("schedule.cancel");
    expect(parse("remind me to cancel the gym membership tomorrow at 9").intent).toBe("schedule.create");
  });
});

describe("times are not read out of names", () => {
  it("reads no schedule from a word inside a path", () => {
    expect(parse("make the folder builds/nightly").intent).not.toBe("schedule.create");
    expect(parse("remind me to check reports/daily.txt at 5pm")).toMatchObject({
      intent: "schedule.create",
      slots: { text: "check reports/daily.txt", at: "2026-03-18T17:00" },
    });
  });
});

describe("hours said of the evening or the night", () => {
  it.each([
    ["every night at 9 back up ~/Documents", "0 21 * * *"],
    ["every evening at 7 remind me to take my pills", "0 19 * * *"],
    ["every night at 2 clean ~/tmp", "0 2 * * *"],
    ["every morning at 7 remind me to stretch", "0 7 * * *"],
  ])("%s runs at %s", (text, cron) => {
    expect(parse(text)).toMatchObject({ intent: "schedule.create", slots: { cron } });
  });
});

describe("forgetting a note by its words", () => {
  it.each([
    ["forget the note about my locker code", "locker code"],
    ["delete my note about the wifi password", "wifi password"],
    ["remove the parking note", "parking"],
  ])("%s forgets the note about %s", (text, query) => {
    expect(parse(text)).toMatchObject({ intent: "notes.forget", slots: { query } });
  });

  it("never reads a bare 'delete the note' or 'don't forget' as forgetting one", () => {
    expect(parse("delete the note").intent).not.toBe("notes.forget");
    expect(parse("don't forget to buy milk").intent).toBe("notes.remember");
  });
});

describe("recalling what the person told AstrOS, not this machine's facts", () => {
  it.each([
    ["what was the wifi password at grandmas?", "wifi password at grandmas"],
    ["what's the alarm code for the office", "alarm code for the office"],
    ["what was the door code I told you about", "door code"],
    ["what's the locker combination I saved", "locker combination"],
    ["what was the parking spot at the airport?", "parking spot at the airport"],
    ["what was the name of the plumber", "name of the plumber"],
  ])("%s recalls notes about %s", (text, query) => {
    expect(parse(text)).toMatchObject({ intent: "notes.recall", slots: { query } });
  });

  it.each([
    ["what's my ip", "network"],
    ["wifi status", "network"],
    ["how much memory is free", "memory"],
    ["what was my ip", "network"],
  ])("%s still tells this machine's %s", (text, topic) => {
    expect(parse(text)).toMatchObject({ intent: "system.info", slots: { topic } });
  });
});
