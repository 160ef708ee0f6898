/**
 * Where an archive entry goes, as plain names under the folder it is extracted into, or why it cannot go there.
 * An entry whose name leads out of that folder (`../x`, `/etc/passwd`, `C:\x`, a NUL) is an escape: the whole
 * archive is refused, never extracted in part. `./` and empty parts are only spelling (`tar cf x.tar .` writes them).
 */
export type EntryPath = { parts: string[] } | { escape: string };

export function entryPath(name: string): EntryPath {
  if (name.includes("\0")) return { escape: "its name holds a NUL character" };
  if (name.startsWith("/")) return { escape: "its name is an absolute path" };
  if (/^[A-Za-z]:[\\/]/.test(name) || name.startsWith("\\")) return { escape: "its name is a Windows absolute path" };
  // A zip made on Windows may separate folders with backslashes; they are separators there, never part of a name.
  const parts = name
    .replace(/\\/g, "/")
    .split("/")
    .filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) return { escape: "its name climbs out with .." };
  return { parts };
}

/** Whether a link's target, read from the link's own folder inside the archive, stays inside it. */
export function linkStaysInside(linkParts: readonly string[], target: string): boolean {
  if (target.startsWith("/") || target.includes("\0")) return false;
  const folder = linkParts.slice(0, -1);
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (folder.length === 0) return false;
      folder.pop();
    } else folder.push(part);
  }
  return true;
}
