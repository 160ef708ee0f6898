import { describe, expect, it } from "vitest";
import { parseRequest } from "../parse-request.js";
import { referenceContext } from "../testing/score-labelled-set.js";

const home = referenceContext.home;
const cwd = referenceContext.cwd;

function reading(text: string) {
  const { intent, slots } = parseRequest(text, { context: referenceContext });
  return { intent, slots };
}

describe("permission changes, said in English or typed like chmod", () => {
  it.each([
    ["make backup.sh in scripts executable", `${cwd}/scripts/backup.sh`, "executable"],
    ["make run.sh executable", `${cwd}/run.sh`, "executable"],
    ["make the file start.sh executable please", `${cwd}/start.sh`, "executable"],
    ["give build.sh execute permission", `${cwd}/build.sh`, "executable"],
    ["chmod +x scripts/deploy.sh", `${cwd}/scripts/deploy.sh`, "+x"],
    ["chmod 644 notes.txt", `${cwd}/notes.txt`, "644"],
    ["change the permissions on Documents/private.txt so only I can read it", `${cwd}/Documents/private.txt`, "private"],
    ["make Documents/diary.txt private", `${cwd}/Documents/diary.txt`, "private"],
    ["make ~/Documents/journal.md readable only by me", `${home}/Documents/journal.md`, "private"],
    ["lock down Documents/passwords.txt", `${cwd}/Documents/passwords.txt`, "private"],
    ["make my notes.txt read-only", `${cwd}/notes.txt`, "read-only"],
    ["set the permissions of secret.key to 600", `${cwd}/secret.key`, "600"],
    ["remove the execute permission from notes.txt", `${cwd}/notes.txt`, "not-executable"],
    ["allow everyone to read shared/readme.txt", `${cwd}/shared/readme.txt`, "shared-read"],
    ["give everyone read access to notes.txt", `${cwd}/notes.txt`, "shared-read"],
    ["chmod u+x scripts/deploy.sh", `${cwd}/scripts/deploy.sh`, "u+x"],
    ["make sure only I can open Documents/taxes.pdf", `${cwd}/Documents/taxes.pdf`, "private"],
    ["set notes.txt to read only", `${cwd}/notes.txt`, "read-only"],
  ])("%s", (text, path, mode) => {
    expect(reading(text)).toEqual({ intent: "permissions.change", slots: { path, mode } });
  });

  it("never runs make for a sentence that starts with make", () => {
    expect(reading("make backup.sh in scripts executable").intent).not.toBe("shell.run");
    expect(reading("make the directory projects/newapp/src")).toEqual({
      intent: "files.mkdir",
      slots: { path: `${cwd}/projects/newapp/src` },
    });
  });

  it.each([
    "make report.txt lunch",
    "change the permissions on notes.txt somehow",
    "make run.sh executable and copy it to Desktop",
  ])("does not guess a mode it was not told: %s", (text) => {
    expect(reading(text).intent).not.toBe("permissions.change");
  });

  it("leaves chmod with options to the shell, as typed", () => {
    expect(reading("chmod -R 755 www").intent).not.toBe("permissions.change");
  });
});

describe("creating files as said", () => {
  it("writes the text after the colon, not 'the following'", () => {
    expect(reading("write the following to notes/today.md: standup at 10, lunch with Mira")).toEqual({
      intent: "files.write",
      slots: { path: `${cwd}/notes/today.md`, content: "standup at 10, lunch with Mira" },
    });
  });

  it("makes an empty file with an empty text", () => {
    expect(reading("create an empty file named TODO.md here")).toEqual({
      intent: "files.write",
      slots: { path: `${cwd}/TODO.md`, content: "" },
    });
  });

  it("makes no folder of a word that is no name", () => {
    expect(reading("make the folder private").intent).not.toBe("files.mkdir");
  });
});
