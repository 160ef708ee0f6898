import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const parse = (text: string) => parseRequest(text, { context: referenceContext });

describe("system.info: the host name", () => {
  it.each([
    "what's this computer's hostname",
    "what is my hostname",
    "show the host name",
    "what's the name of this machine",
    "tell me the computer name",
  ])("%s asks for the host name alone", (text) => {
    expect(parse(text)).toMatchObject({ intent: "system.info", slots: { topic: "hostname" } });
  });

  it("keeps the IP address and the operating system apart from the host name", () => {
    expect(parse("what's my ip address").slots).toEqual({ topic: "network" });
    expect(parse("what's the operating system's name").slots).toEqual({ topic: "os" });
  });
});
