/** Which copy a group of duplicates keeps: the oldest (the original, usually), the newest, or the shortest path. */
export const keepRules = ["oldest", "newest", "shortestPath"] as const;

export type KeepRule = (typeof keepRules)[number];

export interface KeeperCandidate {
  path: string;
  modifiedMs: number;
}

/** The copy to keep by `rule`; ties go to the shorter path, then the first in alphabetical order, so the choice is stable. */
export function chooseKeeper<T extends KeeperCandidate>(files: readonly T[], rule: KeepRule): T {
  const byPath = (a: T, b: T) => a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const compare: (a: T, b: T) => number =
    rule === "oldest"
      ? (a, b) => a.modifiedMs - b.modifiedMs || byPath(a, b)
      : rule === "newest"
        ? (a, b) => b.modifiedMs - a.modifiedMs || byPath(a, b)
        : (a, b) => byPath(a, b) || a.modifiedMs - b.modifiedMs;
  const [first, ...rest] = files;
  if (first === undefined) throw new RangeError("chooseKeeper needs at least one file");
  return rest.reduce((best, file) => (compare(file, best) < 0 ? file : best), first);
}
