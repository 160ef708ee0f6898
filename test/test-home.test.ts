import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("the test run's own home (test/test-home.ts)", () => {
  it("gives every test a home folder that is not the person's", () => {
    expect(os.homedir()).not.toBe(os.userInfo().homedir);
    expect(os.homedir()).toMatch(/astros-test-run-[^/]+\/home$/);
  });

  it("puts the XDG folders, where AstrOS keeps its audit log and journal, inside it", () => {
    for (const name of ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"]) {
      expect(process.env[name]?.startsWith(`${os.homedir()}${path.sep}`), name).toBe(true);
    }
  });

  it("gives temporary files a folder that is removed after the run", () => {
    expect(os.tmpdir()).toBe(path.join(path.dirname(os.homedir()), "tmp"));
  });
});
