import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliSandbox, createCliSandbox } from "./run-cli.js";

/** `astros history` and `astros undo` as a person uses them, on a plugin that moves files through the journal. */
let sandbox: CliSandbox;
let inbox: string;

beforeEach(async () => {
  sandbox = await createCliSandbox();
  inbox = path.join(sandbox.home, "inbox");
  await mkdir(path.join(inbox, "sorted"), { recursive: true });
  for (let index = 0; index < 5; index += 1) await writeFile(path.join(inbox, `note-${index}.txt`), `note ${index}\n`);
  await writeFile(path.join(inbox, "sorted", "note-0.txt"), "an older note 0\n");
  const plugin = path.join(sandbox.home, "my-plugins", "tidy");
  await mkdir(plugin, { recursive: true });
  await writeFile(
    path.join(plugin, "plugin.yaml"),
    'metadata:\n  name: "tidy"\n  version: "1.0.0"\n  description: "sorts the inbox"\n  author: "tests"\ncapabilities:\n  requires_permissions: ["file_system"]\n',
  );
  await writeFile(
    path.join(plugin, "index.js"),
    `import { definePlugin, defineHandler } from "astros/sdk";
export default definePlugin({
  name: "tidy", version: "1.0.0", requiresPermissions: ["file_system"],
  handlers: {
    sort: defineHandler({ intent: "tidy.sort", examples: ["sort my inbox"], run: async (_args, context) => {
      const entries = await context.files.listDirectory("~/inbox");
      for (const entry of entries) if (entry.type === "file") await context.files.moveFile(entry.path, "~/inbox/sorted");
      return { success: true, message: "sorted " + entries.length };
    } }),
  },
});
`,
  );
  await writeFile(
    path.join(sandbox.configDirectory, "config.toml"),
    `[plugins]\nplugin_paths = ["~/my-plugins"]\n\n[permissions]\ntrusted_plugins = ["tidy"]\n`,
  );
});
afterEach(async () => {
  await sandbox.dispose();
});

async function tree(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const folder of [inbox, path.join(inbox, "sorted")]) {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.isFile())
        result[path.relative(inbox, path.join(folder, entry.name))] = await readFile(path.join(folder, entry.name), "utf8");
    }
  }
  return result;
}

describe("astros history and astros undo", () => {
  it("lists the change, undoes it byte for byte, and says when there is nothing left to undo", async () => {
    const before = await tree();
    const sorted = await sandbox.run(["sort my inbox"]);
    expect(sorted.code).toBe(0);
    expect(sorted.stderr).toContain('"undo"');
    expect(Object.keys(await tree())).toContain("sorted/note-0 (1).txt");

    const history = JSON.parse((await sandbox.run(["history", "--json"])).stdout);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ state: "committed", changes: 5, description: "sort my inbox", tool: "tidy.sort" });
    // Times in the computer's time zone (India: UTC+5:30, no daylight saving), not UTC.
    const listed = (await sandbox.run(["history"], { env: { TZ: "Asia/Kolkata" } })).stdout;
    const local = new Date(Date.parse(history[0].startedAt) + 5.5 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
    expect(listed).toContain(`${history[0].id}  ${local}  done        5 changes  sort my inbox`);

    const undone = await sandbox.run(["undo"]);
    expect(undone.stdout).toContain('Undid "sort my inbox": 5 of 5 changes put back.');
    expect(undone.code).toBe(0);
    expect(await tree()).toEqual(before);

    const again = await sandbox.run(["undo"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Nothing to undo");
    const after = JSON.parse((await sandbox.run(["history", "--json"])).stdout);
    expect(after.map((operation: { state: string }) => operation.state)).toEqual(["committed", "undone"]);
    const unknown = await sandbox.run(["undo", "20990101T000000-deadbeef"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No operation");
  });
});
