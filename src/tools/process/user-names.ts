import { readFile } from "node:fs/promises";

/**
 * User names by uid, from /etc/passwd (local accounts). A uid not found there (LDAP, containers)
 * is shown as its number.
 */
export async function readUserNames(passwdFile = "/etc/passwd"): Promise<(uid: number) => string> {
  const names = new Map<number, string>();
  try {
    for (const line of (await readFile(passwdFile, "utf8")).split("\n")) {
      const [name, , uid] = line.split(":");
      if (name !== undefined && name !== "" && uid !== undefined && /^\d+$/.test(uid)) names.set(Number(uid), name);
    }
  } catch {
    // No passwd file (some containers): numbers it is.
  }
  return (uid) => names.get(uid) ?? String(uid);
}
