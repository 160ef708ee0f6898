import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import type { PreviousTurn } from "../rule-input.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const parse = (text: string, previous?: PreviousTurn) =>
  parseRequest(text, { context: referenceContext, ...(previous === undefined ? {} : { previous }) });

describe("processes by name", () => {
  it.each([
    ["list running python processes", "python"],
    ["show active node processes", "node"],
    ["list the postgres processes", "postgres"],
  ])("%s lists those mentioning %s", (text, name) => {
    expect(parse(text)).toMatchObject({ intent: "process.list", slots: { name } });
  });

  it.each([
    ["how much memory is cachewarm using", "cachewarm", "memory"],
    ["how much ram does chrome use", "chrome", "memory"],
    ["how much cpu is the ffmpeg process taking", "ffmpeg", "cpu"],
  ])("%s tells the %s process's %s", (text, name, sort) => {
    expect(parse(text)).toMatchObject({ intent: "process.list", slots: { name, sort } });
  });

  it("keeps questions about the machine's memory as system questions", () => {
    expect(parse("how much memory is being used").intent).toBe("system.info");
    expect(parse("how much ram does this computer have").intent).toBe("system.info");
  });

  it.each([
    ["kill all the sleepy processes", "sleepy"],
    ["stop every worker process", "worker"],
    ["terminate all napper processes", "napper"],
  ])("%s stops every process named %s", (text, name) => {
    expect(parse(text)).toMatchObject({ intent: "process.kill", slots: { name } });
  });
});

describe("every process", () => {
  it.each(["kill all processes", "stop every process", "kill everything running", "terminate all running programs"])(
    "%s is read as every process, which the tool refuses",
    (text) => {
      expect(parse(text)).toMatchObject({ intent: "process.kill", slots: { everything: true } });
    },
  );
});

describe("'it' and 'them' after processes were found", () => {
  const found: PreviousTurn = { intent: "process.list", slots: { name: "python" }, pids: [101, 102] };

  it("stops exactly the processes the turn before found", () => {
    expect(parse("kill them", found).slots).toEqual({ pids: [101, 102] });
    expect(parse("stop those processes", found).slots).toEqual({ pids: [101, 102] });
  });

  it("stops what listens on the port the turn before looked at, when it named no pid", () => {
    expect(parse("stop it", { intent: "process.find_port", slots: { port: 8765 } }).slots).toEqual({ port: 8765 });
  });

  it("has nothing to stop when nothing was found before", () => {
    expect(parse("stop it").intent).toBe("unknown");
    expect(parse("kill them", { intent: "files.search", slots: { ext: ["log"] } }).intent).not.toBe("process.kill");
  });
});

describe("the heaviest processes, asked in everyday words", () => {
  it.each([
    ["which program is eating my cpu?", "cpu"],
    ["what's hogging all the ram", "memory"],
    ["which app uses the most memory", "memory"],
    ["what is chewing up my processor", "cpu"],
  ])("%s lists processes by %s", (text, sort) => {
    expect(parse(text)).toMatchObject({ intent: "process.list", slots: { sort } });
  });
});

describe("stopping every process of one name", () => {
  it.each([
    ["end all the chewer processes", "chewer"],
    ["close all the cruncher processes", "cruncher"],
    ["terminate all the sleepy processes", "sleepy"],
    ["stop every worker process", "worker"],
  ])("%s stops those named %s", (text, name) => {
    expect(parse(text)).toMatchObject({ intent: "process.kill", slots: { name } });
  });

  it.each(["end the meeting", "close all tabs", "close the door"])("%s stops nothing", (text) => {
    expect(parse(text).intent).not.toBe("process.kill");
  });
});
