import { existsSync } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileTools } from "../files/files-plugin.js";
import { startToolAgent, type ToolAgent, type ToolCallOptions } from "../testing/start-tool-agent.js";
import { createArchiveTools } from "./archive-plugin.js";

let base: string;
let agent: ToolAgent;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "astros-archive-"));
  agent = await startToolAgent({
    root: base,
    plugins: [createArchiveTools(), createFileTools()],
    safety: { bulk_threshold: 20 },
  });
});
afterEach(async () => {
  await agent.stop();
  await rm(base, { recursive: true, force: true });
});

const yes = { confirm: async () => true } satisfies ToolCallOptions;
const at = (...parts: string[]) => path.join(base, ...parts);

function tool(name: string, args: Record<string, unknown>, options: ToolCallOptions = {}) {
  return agent.call(name, args, { ...options, cwd: base });
}

async function put(relative: string, content: string | Buffer) {
  await mkdir(path.dirname(at(relative)), { recursive: true });
  await writeFile(at(relative), content);
}

/** The names an archive.list answer gives, files only. */
async function listed(archive: string): Promise<string[]> {
  const response = await tool("archive.list", { path: archive });
  expect(response.success, response.message).toBe(true);
  const entries = (response.data?.entries ?? []) as Array<{ name: string; type: string }>;
  return entries
    .filter((entry) => entry.type === "file")
    .map((entry) => entry.name)
    .sort();
}

/** A tar made by hand, entry by entry (names as given: the ones a hostile archive would carry). */
async function handMadeTar(
  file: string,
  entries: Array<{ name: string; content?: string; type?: "file" | "symlink"; linkname?: string }>,
) {
  const tar = await import("tar-stream");
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) =>
      entry.type === "symlink"
        ? pack.entry({ name: entry.name, type: "symlink", linkname: entry.linkname ?? "" }, (error) =>
            error ? reject(error) : resolve(),
          )
        : pack.entry({ name: entry.name, mode: 0o644 }, entry.content ?? "", (error) => (error ? reject(error) : resolve())),
    );
  }
  pack.finalize();
  await done;
  await put(file, Buffer.concat(chunks));
}

describe("making archives", () => {
  it("zips a folder beside it, every file under the folder's name, and undo removes the zip", async () => {
    await put("Documents/taxes/w2.pdf", "%PDF w2");
    await put("Documents/taxes/2023/1099.pdf", "%PDF 1099");
    await put("Documents/other.txt", "not in it");
    const response = await tool("archive.create", { paths: ["Documents/taxes"] });
    expect(response.success, response.message).toBe(true);
    expect(await listed("Documents/taxes.zip")).toEqual(["taxes/2023/1099.pdf", "taxes/w2.pdf"]);
    const undone = await agent.call("files.undo", {}, yes);
    expect(undone.success, undone.message).toBe(true);
    expect(existsSync(at("Documents/taxes.zip"))).toBe(false);
    expect(await readFile(at("Documents/taxes/w2.pdf"), "utf8")).toBe("%PDF w2");
  });

  it("never writes over an archive that is there: the new one gets a free name", async () => {
    await put("site/index.html", "<html>");
    await put("site.tar.gz", "older archive");
    const response = await tool("archive.create", { paths: ["site"], format: "tar.gz" });
    expect(response.success, response.message).toBe(true);
    expect(await readFile(at("site.tar.gz"), "utf8")).toBe("older archive");
    expect(await listed("site (1).tar.gz")).toEqual(["site/index.html"]);
    expect(response.message).toMatch(/taken/);
  });

  it("packs exactly the named files into the named zip", async () => {
    await put("Documents/report.pdf", "%PDF r");
    await put("Documents/budget.xlsx", "xlsx");
    await put("Documents/diary.txt", "private");
    const response = await tool("archive.create", {
      paths: ["Documents/report.pdf", "Documents/budget.xlsx"],
      destination: "Desktop/for accountant.zip",
    });
    expect(response.success, response.message).toBe(true);
    expect(await listed("Desktop/for accountant.zip")).toEqual(["budget.xlsx", "report.pdf"]);
  });

  it("packs only the files of a kind picked out of a folder, into an archive in that folder", async () => {
    await put("Documents/a.pdf", "%PDF a");
    await put("Documents/sub/b.pdf", "%PDF b");
    await put("Documents/notes.txt", "not a pdf");
    const response = await tool("archive.create", { source: "Documents", ext: ["pdf"], recursive: true });
    expect(response.success, response.message).toBe(true);
    expect(await listed("Documents/Documents.zip")).toEqual(["a.pdf", "b.pdf"]);
  });

  it("gzips one file beside it and keeps the original", async () => {
    await put("logs/big.log", "line\n".repeat(1000));
    const response = await tool("archive.create", { paths: ["logs/big.log"], format: "gz" });
    expect(response.success, response.message).toBe(true);
    expect(gunzipSync(await readFile(at("logs/big.log.gz"))).toString()).toBe("line\n".repeat(1000));
    expect(existsSync(at("logs/big.log"))).toBe(true);
  });
});

describe("extracting archives", () => {
  it("extracts the one zip in a folder when asked for it by kind; several or none are named, and nothing is extracted", async () => {
    await put("src/a.txt", "a");
    await tool("archive.create", { paths: ["src/a.txt"], destination: "Desk/only.zip" });
    await put("Desk/note.txt", "n");
    const one = await tool("archive.extract", { path: "Desk", onlyOfFormat: "zip" });
    expect(one.success, one.message).toBe(true);
    expect(await readFile(at("Desk/only/a.txt"), "utf8")).toBe("a");
    await tool("archive.create", { paths: ["src/a.txt"], destination: "Desk/second.zip" });
    const two = await tool("archive.extract", { path: "Desk", onlyOfFormat: "zip" });
    expect(two.success).toBe(false);
    expect(two.message).toContain("only.zip, second.zip");
    const none = await tool("archive.extract", { path: "src", onlyOfFormat: "zip" });
    expect(none.success).toBe(false);
    expect(none.message).toContain("no zip file");
  });

  it("extracts into a named folder (made), and undo removes every file and the folder", async () => {
    await put("src/Inter.ttf", "inter");
    await put("src/Roboto.ttf", "roboto");
    await tool("archive.create", { paths: ["src/Inter.ttf", "src/Roboto.ttf"], destination: "Downloads/fonts.zip" });
    const response = await tool("archive.extract", { path: "Downloads/fonts.zip", destination: "Documents/My Fonts" });
    expect(response.success, response.message).toBe(true);
    expect(await readFile(at("Documents/My Fonts/Inter.ttf"), "utf8")).toBe("inter");
    expect(await readFile(at("Documents/My Fonts/Roboto.ttf"), "utf8")).toBe("roboto");
    const undone = await agent.call("files.undo", {}, yes);
    expect(undone.success, undone.message).toBe(true);
    expect(existsSync(at("Documents/My Fonts"))).toBe(false);
    expect(existsSync(at("Downloads/fonts.zip"))).toBe(true);
  });

  it("extracts beside the archive into a new folder named after it when nothing is said", async () => {
    await handMadeTar("Downloads/photos.tar", [
      { name: "sunset.jpg", content: "sun" },
      { name: "./lake.jpg", content: "lake" },
    ]);
    const response = await tool("archive.extract", { path: "Downloads/photos.tar" });
    expect(response.success, response.message).toBe(true);
    expect((await readdir(at("Downloads/photos"))).sort()).toEqual(["lake.jpg", "sunset.jpg"]);
  });

  it("refuses an archive with a name that climbs out, and writes nothing at all", async () => {
    await handMadeTar("Downloads/evil.tar", [
      { name: "fine.txt", content: "ok" },
      { name: "../../escaped.txt", content: "gotcha" },
    ]);
    const before = await readdir(base);
    const response = await tool("archive.extract", { path: "Downloads/evil.tar", destination: "Out" });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/outside/);
    expect(await readdir(base)).toEqual(before);
    expect(existsSync(path.join(path.dirname(base), "escaped.txt"))).toBe(false);
  });

  it("refuses absolute names too", async () => {
    await handMadeTar("Downloads/abs.tar", [{ name: "/tmp/astros-absolute-entry.txt", content: "x" }]);
    const response = await tool("archive.extract", { path: "Downloads/abs.tar", destination: "Out" });
    expect(response.success).toBe(false);
    expect(existsSync("/tmp/astros-absolute-entry.txt")).toBe(false);
  });

  it("leaves links out (one pointing outside is named) and extracts the rest", async () => {
    await handMadeTar("Downloads/links.tar", [
      { name: "notes.txt", content: "notes" },
      { name: "passwd", type: "symlink", linkname: "/etc/passwd" },
    ]);
    const response = await tool("archive.extract", { path: "Downloads/links.tar", destination: "Out" });
    expect(response.success, response.message).toBe(true);
    expect(await readFile(at("Out/notes.txt"), "utf8")).toBe("notes");
    expect(existsSync(at("Out/passwd"))).toBe(false);
    expect(response.message).toMatch(/points outside/);
  });

  it("never replaces a file that is there: the whole extraction is refused", async () => {
    await handMadeTar("Downloads/a.tar", [
      { name: "alpha.txt", content: "from the archive" },
      { name: "beta.txt", content: "beta" },
    ]);
    await put("Here/alpha.txt", "mine");
    const response = await tool("archive.extract", { path: "Downloads/a.tar", destination: "Here" });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/alpha\.txt/);
    expect(await readFile(at("Here/alpha.txt"), "utf8")).toBe("mine");
    expect(existsSync(at("Here/beta.txt"))).toBe(false);
  });

  it("keeps a script runnable, and gunzips one file beside the .gz", async () => {
    await put("tools/run.sh", "#!/bin/sh\necho hi\n");
    await chmod(at("tools/run.sh"), 0o755);
    await tool("archive.create", { paths: ["tools"], format: "tar.gz", destination: "tools.tgz" });
    await rm(at("tools"), { recursive: true });
    const response = await tool("archive.extract", { path: "tools.tgz" });
    expect(response.success, response.message).toBe(true);
    expect((await lstat(at("tools/run.sh"))).mode & 0o111).not.toBe(0);
    await put("data/values.csv", "1,2\n");
    await tool("archive.create", { paths: ["data/values.csv"], format: "gz" });
    await rm(at("data/values.csv"));
    const gunzipped = await tool("archive.extract", { path: "data/values.csv.gz" });
    expect(gunzipped.success, gunzipped.message).toBe(true);
    expect(await readFile(at("data/values.csv"), "utf8")).toBe("1,2\n");
  });

  it("says plainly when a file is no archive it can read", async () => {
    await put("notes.zip", "just text");
    const response = await tool("archive.list", { path: "notes.zip" });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/not an archive/);
  });
});
