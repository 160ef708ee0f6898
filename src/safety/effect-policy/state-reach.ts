import path from "node:path";
import picomatch from "picomatch";
import type { ProtectedPlace } from "./protected-places.js";

/** A place a pattern or a find may delete, and how: the place itself, or what is inside it. */
export interface ReachedPlace {
  kind: "delete" | "empty";
  path: string;
}

/** Names AstrOS gives the files inside its own folders: a pattern or a find test that matches one reaches its state. */
const ownNames = [
  "audit.log",
  "audit.log.head",
  "audit.log.head.1.tmp",
  "audit.log.lock",
  "audit.log.000000000001",
  "audit.anchor",
  "astros.db",
  "astros.db-wal",
  "astros.db-shm",
  "astros.db-journal",
  "journal",
  "0001.json",
  "Trash",
  "files",
  "config.toml",
  "token.key",
  "credentials.json",
  "workspaces",
  "plugins",
  "history",
];

/** What find's tests compare: the name, or the whole path (where `*` also matches `/`), or a regular expression. */
export interface FindTest {
  test: string;
  pattern: string;
}

function fnmatch(pattern: string, caseless: boolean): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const letter = pattern[index] as string;
    if (letter === "*") source += ".*";
    else if (letter === "?") source += ".";
    else if (letter === "[") {
      const end = pattern.indexOf("]", index + 2);
      if (end < 0) source += "\\[";
      else {
        source += `[${pattern
          .slice(index + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        index = end;
      }
    } else if (letter === "\\" && index + 1 < pattern.length)
      source += (pattern[++index] as string).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    else source += letter.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, caseless ? "is" : "s");
}

/** Whether one of find's tests may select `candidate` (a test the policy cannot read counts as matching). */
function testMatches(test: FindTest, candidate: string): boolean {
  const caseless = test.test.startsWith("-i");
  try {
    if (test.test === "-name" || test.test === "-iname")
      return fnmatch(test.pattern, caseless).test(path.posix.basename(candidate));
    if (test.test.endsWith("regex")) return new RegExp(`^(?:${test.pattern})$`, caseless ? "i" : "").test(candidate);
    return fnmatch(test.pattern, caseless).test(candidate);
  } catch {
    return true;
  }
}

/** The folders above `place` up to (not including) `top`, then the place, then what AstrOS keeps inside it. */
function candidatesUnder(top: string, place: string): string[] {
  const above: string[] = [];
  const prefix = top === "/" ? "/" : `${top}/`;
  for (let folder = path.posix.dirname(place); folder !== "/" && folder.startsWith(prefix); folder = path.posix.dirname(folder))
    above.push(folder);
  return [...above, place, ...ownNames.map((name) => path.posix.join(place, name))];
}

function reached(place: string, candidate: string): ReachedPlace {
  if (candidate === place || !candidate.startsWith(`${place}/`)) return { kind: "delete", path: candidate };
  return { kind: "empty", path: place };
}

/**
 * What a find that deletes or rewrites its matches reaches of AstrOS's own places: from each start folder (absolute),
 * every place under it that its tests may select, the place itself or something AstrOS keeps inside it; a start inside
 * a place reaches what is in it. Tests it cannot read (negations, alternatives) may select anything.
 */
export function reachedByFind(
  scope: { starts: readonly string[]; tests: readonly FindTest[]; opaque: boolean },
  places: readonly ProtectedPlace[],
): ReachedPlace[] {
  const found: ReachedPlace[] = [];
  for (const start of scope.starts.map((value) => path.posix.normalize(value).replace(/(.)\/+$/, "$1"))) {
    for (const place of places) {
      if (start === place.path || start.startsWith(`${place.path}/`)) {
        found.push({ kind: "empty", path: place.path });
        continue;
      }
      if (!place.path.startsWith(start === "/" ? "/" : `${start}/`)) continue;
      const hit = candidatesUnder(start, place.path).find(
        (candidate) => scope.opaque || scope.tests.every((test) => testMatches(test, candidate)),
      );
      if (hit !== undefined) found.push(reached(place.path, hit));
    }
  }
  return found;
}

/**
 * What a shell pattern (`~/.local/state/*\/audit.log`, `…/astros/audit*`, an absolute path with `*`, `?` or `[…]`)
 * reaches of AstrOS's own places: a place it matches, a folder above one, or something AstrOS keeps inside one.
 */
export function reachedByPattern(pattern: string, places: readonly ProtectedPlace[]): ReachedPlace[] {
  const matches = picomatch(pattern.replace(/\/+$/, ""), { dot: false });
  const found: ReachedPlace[] = [];
  for (const place of places) {
    const hit = candidatesUnder("", place.path).find((candidate) => matches(candidate));
    if (hit !== undefined) found.push(reached(place.path, hit));
  }
  return found;
}
