import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuthenticationManager } from "../../src/auth/authentication-manager.js";
import { openDatabase } from "../../src/store/open-database.js";
import { type CliResult, type CliSandbox, createCliSandbox } from "./run-cli.js";

// The built CLI (dist/cli/main.js, `npm run build` first) with a throwaway HOME: users live in the default
// SQLite database in the sandbox's data folder. Standard input is a pipe, so passwords are read from it.

const password = "correct horse battery staple";
const newPassword = "a brand new passphrase";

let sandbox: CliSandbox;
beforeEach(async () => {
  sandbox = await createCliSandbox();
});
afterEach(async () => {
  await sandbox.dispose();
});

function expectNoSecretIn(result: CliResult, ...secrets: string[]): void {
  for (const secret of secrets) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
}

interface ListedUser {
  id: string;
  username: string;
  role: string;
  disabled: boolean;
  createdAt: string;
  activeSessions: number;
}

async function listUsers(): Promise<ListedUser[]> {
  const result = await sandbox.run(["users", "list", "--json"]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ListedUser[];
}

/** Signs in against the sandbox's database the way the server will, to see which password the CLI stored. */
async function signsIn(username: string, attempt: string): Promise<boolean> {
  const database = await openDatabase({ url: `sqlite://${path.join(sandbox.dataDirectory, "astros.db")}` });
  try {
    const users = new AuthenticationManager({ database, secret: randomBytes(32) });
    return (await users.authenticateUser(username, attempt)) !== undefined;
  } finally {
    await database.close();
  }
}

describe("astros users", () => {
  it("adds users with the password on stdin, lists, changes a password and removes, printing no password", async () => {
    const added = await sandbox.run(["users", "add", "ann", "--admin"], { input: `${password}\n` });
    expect(added).toMatchObject({ code: 0, stdout: "" });
    expect(added.stderr).toContain("✓ added user ann (admin)");
    expectNoSecretIn(added, password);
    expect((await sandbox.run(["users", "add", "bob"], { input: `${password}\nignored second line\n` })).code).toBe(0);
    expect(await readdir(sandbox.dataDirectory)).toContain("astros.db");

    const listed = await listUsers();
    expect(listed.map((user) => [user.username, user.role, user.disabled, user.activeSessions])).toEqual([
      ["ann", "admin", false, 0],
      ["bob", "user", false, 0],
    ]);
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(["activeSessions", "createdAt", "disabled", "id", "role", "username"]);
    expect(listed[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const table = await sandbox.run(["users", "list"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^USERNAME\s+ROLE\s+CREATED\s+SESSIONS$/m);
    expect(table.stdout).toMatch(/^ann\s+admin\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+0$/m);
    expect(table.stdout).toMatch(/^bob\s+user\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+0$/m);
    expect(`${table.stdout}${table.stderr}`).not.toContain("argon2");

    const changed = await sandbox.run(["users", "passwd", "BOB"], { input: `${newPassword}\n` });
    expect(changed.code).toBe(0);
    expect(changed.stderr).toContain("✓ changed the password of BOB");
    expectNoSecretIn(changed, newPassword);
    expect(await signsIn("bob", newPassword)).toBe(true);
    expect(await signsIn("bob", password)).toBe(false);
    expect(await signsIn("ann", password)).toBe(true);

    const removed = await sandbox.run(["users", "remove", "bob"]);
    expect(removed.code).toBe(0);
    expect(removed.stderr).toContain("✓ removed user bob");
    expect((await listUsers()).map((user) => user.username)).toEqual(["ann"]);
    const again = await sandbox.run(["users", "remove", "bob"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('astros: no user named "bob"');
  });

  it("refuses a short password, saying how long it must be, and adds nobody", async () => {
    const result = await sandbox.run(["users", "add", "ann"], { input: "short\n" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("astros: the password is not acceptable: it must be at least 12 characters long");
    expectNoSecretIn(result, "short\n");
    const none = await sandbox.run(["users", "add", "ann"], { input: "" });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("the password is not acceptable: none was given");
    const passwd = await sandbox.run(["users", "passwd", "ann"], { input: "short\n" });
    expect(passwd.code).toBe(1);
    expect(passwd.stderr).toContain("at least 12 characters long");
    expect(await listUsers()).toEqual([]);
  });

  it("refuses a duplicate username in any letter case, an invalid one, and an unknown user", async () => {
    expect((await sandbox.run(["users", "add", "ann"], { input: `${password}\n` })).code).toBe(0);
    const duplicate = await sandbox.run(["users", "add", "Ann"], { input: `${password}\n` });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('astros: a user named "Ann" already exists');
    const invalid = await sandbox.run(["users", "add", "has space"], { input: `${password}\n` });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('astros: "has space" is not a valid username');
    const unknown = await sandbox.run(["users", "passwd", "nobody"], { input: `${password}\n` });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('astros: no user named "nobody"');
    expect((await listUsers()).map((user) => user.username)).toEqual(["ann"]);
  });

  it("says when there are no users, and how to add one", async () => {
    const result = await sandbox.run(["users", "list"]);
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(result.stderr).toContain("No users. Add one with: astros users add <username> --admin");
  });
});
