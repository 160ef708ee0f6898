/** The files a response's data names: search matches, or a `files`/`paths` list (of a plan, its last step's; of an AI turn, its last tool's). */
export function filesFound(data: Record<string, unknown> | undefined): string[] {
  if (data === undefined) return [];
  const steps = data.steps;
  if (Array.isArray(steps) && steps.length > 0)
    return filesFound((steps[steps.length - 1] as { data?: Record<string, unknown> }).data);
  // An AI turn's answer carries its last tool's data as `result`.
  if (typeof data.result === "object" && data.result !== null && !Array.isArray(data.result))
    return filesFound(data.result as Record<string, unknown>);
  for (const key of ["matches", "files", "paths"]) {
    const value = data[key];
    if (!Array.isArray(value)) continue;
    return value.flatMap((item) =>
      typeof item === "string"
        ? [item]
        : typeof (item as { path?: unknown })?.path === "string"
          ? [(item as { path: string }).path]
          : [],
    );
  }
  // Groups of duplicates: the copies that would go ("delete them" keeps the one kept in each group).
  const groups = data.groups;
  if (Array.isArray(groups))
    return groups.flatMap((group) => {
      const remove = (group ?? {}) as { remove?: unknown };
      return Array.isArray(remove.remove) ? remove.remove.filter((item): item is string => typeof item === "string") : [];
    });
  // A folder listing: the files it showed ("copy them all to backup"); its subfolders are not what "them" picks.
  const entries = data.entries;
  if (Array.isArray(entries))
    return entries.flatMap((entry) => {
      const { path, type } = (entry ?? {}) as { path?: unknown; type?: unknown };
      return typeof path === "string" && type !== "directory" ? [path] : [];
    });
  return [];
}

/** Turns about one file: after them, "it" is that file ("make list.txt …", then "add bananas to it"). */
const oneFileIntents = new Set([
  "files.write",
  "files.read",
  "files.append",
  "files.info",
  "files.checksum",
  "files.head",
  "files.tail",
]);

/** The files a response names, or for a turn about one file, that file. */
export function filesOfTurn(intent: string, data: Record<string, unknown> | undefined): string[] {
  const found = filesFound(data);
  if (found.length > 0 || data === undefined) return found;
  return oneFileIntents.has(intent) && typeof data.path === "string" ? [data.path] : [];
}
