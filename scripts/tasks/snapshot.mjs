// What a task's HOME looked like, and what changed in it: the records the checks compare against
// (test/tasks/checklib.py describes a path the same way), and the globs that say which changes a task may make.
import { createHash } from "node:crypto";
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";
import path from "node:path";

/** AstrOS's own folders: never part of a task's snapshot. */
export const ASTROS_OWN = [".local/state/astros", ".local/share/astros", ".config/astros", ".cache/astros"];
export const TRASH = ".local/share/Trash";

function sha256File(file) {
  const hash = createHash("sha256");
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, "r");
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** One path's record: type (f file, d folder, l link, o other), permission bits, and for files size and sha256. */
export function describePath(file) {
  let info;
  try {
    info = lstatSync(file);
  } catch {
    return undefined;
  }
  const mode = info.mode & 0o7777;
  if (info.isSymbolicLink()) return { type: "l", target: readlinkSync(file), mode };
  if (info.isDirectory()) return { type: "d", mode };
  if (info.isFile()) {
    let sha256;
    try {
      sha256 = sha256File(file);
    } catch {
      sha256 = "unreadable";
    }
    return { type: "f", size: info.size, sha256, mode };
  }
  return { type: "o", mode };
}

/** Every path under home (relative, "." for home itself) with its record, leaving out the excluded folders. */
export function snapshot(home, excluded) {
  const skip = new Set(excluded);
  const entries = { ".": describePath(home) };
  const walk = (relative) => {
    let names;
    try {
      names = readdirSync(path.join(home, relative)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const inner = relative === "." ? name : `${relative}/${name}`;
      if (skip.has(inner)) continue;
      const record = describePath(path.join(home, inner));
      if (!record) continue;
      entries[inner] = record;
      if (record.type === "d") walk(inner);
    }
  };
  walk(".");
  return entries;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The paths added, removed or modified between two snapshots, in path order. */
export function changesBetween(before, after) {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes = [];
  for (const p of paths) {
    if (same(before[p], after[p])) continue;
    changes.push({ path: p, change: !before[p] ? "added" : !after[p] ? "removed" : "modified" });
  }
  return changes;
}

/**
 * A glob relative to HOME as a regular expression: `*` and `?` within one name, `**` across folders,
 * `Dir/**` (or `Dir/`) the folder itself and everything in it.
 */
export function globToRegExp(glob) {
  let rest = glob.trim().replace(/^(?:\.\/|~\/)+/, "");
  if (rest.endsWith("/")) rest += "**";
  let source = "";
  for (let i = 0; i < rest.length; ) {
    if (rest.startsWith("/**", i) && i + 3 === rest.length) {
      source += "(?:/.*)?";
      i += 3;
    } else if (rest.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 3;
    } else if (rest.startsWith("**", i)) {
      source += ".*";
      i += 2;
    } else if (rest[i] === "*") {
      source += "[^/]*";
      i += 1;
    } else if (rest[i] === "?") {
      source += "[^/]";
      i += 1;
    } else {
      source += rest[i].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      i += 1;
    }
  }
  return new RegExp(`^${source}$`, "s");
}

/** Splits a line into words the way a shell would for plain quoting (no expansions); a comment ends it. */
export function shellWords(line) {
  const words = [];
  let word = null;
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[++i];
    } else if (/\s|;|\||&|\(|\)/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "#" && word === null) {
      break;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/**
 * For a change task without allowed_changes: the places its check names (a folder: all of it; a file in a
 * folder: that folder; a file directly in HOME: that file).
 */
export function impliedAllowedChanges(check, before, after) {
  const known = { ...before, ...after };
  const tops = new Set(Object.keys(known).map((p) => p.split("/")[0]));
  const globs = new Set();
  for (const line of check.split("\n")) {
    for (const raw of shellWords(line)) {
      const word = raw
        .replace(/^(?:\$HOME|\$\{HOME\}|~)\//, "")
        .replace(/^\.\//, "")
        .replace(/\/+$/, "");
      if (!word || word === "." || word.startsWith("-") || word.startsWith("$") || word.includes("://")) continue;
      const nested = word.includes("/") && tops.has(word.split("/")[0]);
      if (!(word in known) && !nested) continue;
      if (known[word]?.type === "d") globs.add(`${word}/**`);
      else if (word.includes("/")) globs.add(`${path.posix.dirname(word)}/**`);
      else globs.add(word);
    }
  }
  return [...globs].sort();
}

/** The changed paths that no glob allows. */
export function unexpectedChanges(changes, globs) {
  const patterns = globs.map(globToRegExp);
  return changes.filter((c) => !patterns.some((p) => p.test(c.path))).map((c) => c.path);
}
