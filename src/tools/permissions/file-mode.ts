/**
 * Permission changes as people say them, turned into the bits a file or folder gets:
 * - octal as chmod takes it: `600`, `0755`;
 * - chmod's symbolic form: `+x`, `u+x`, `go-w`, `a=r`, `u=rw,go=`;
 * - words: `private` (only the owner: rw for a file, rwx for a folder), `private-read` (only the owner may read:
 *   r), `read-only` (nobody may write), `executable` (x where there is r), `not-executable`, `shared-read`
 *   (everyone may read).
 */
export const modeWords = [
  "private",
  "private-read",
  "read-only",
  "executable",
  "not-executable",
  "shared-read",
  "writable",
] as const;
export type ModeWord = (typeof modeWords)[number];

/** The bits `change` gives an entry that has `current` (a folder keeps the x it needs to be entered). */
export function applyModeChange(change: string, current: number, isDirectory: boolean): number {
  const spec = change.trim().toLowerCase();
  if (/^0?[0-7]{3,4}$/.test(spec)) return Number.parseInt(spec, 8) & 0o7777;
  switch (spec as ModeWord) {
    case "private":
      return isDirectory ? 0o700 : (current & 0o100) !== 0 ? 0o700 : 0o600;
    case "private-read":
      return isDirectory ? 0o500 : 0o400;
    case "read-only":
      return current & ~0o222;
    case "executable":
      // As `chmod +x` with the usual umask: the owner may run it, and so may whoever may read it.
      return current | 0o100 | (current & 0o040 ? 0o010 : 0) | (current & 0o004 ? 0o001 : 0);
    case "not-executable":
      return isDirectory ? current : current & ~0o111;
    case "shared-read":
      return current | 0o444 | (isDirectory ? 0o111 : 0);
    case "writable":
      return current | 0o200;
  }
  return applySymbolic(spec, current, isDirectory);
}

/** chmod's symbolic form: clauses `[ugoa]*[+-=][rwxX]*`, comma-separated. */
function applySymbolic(spec: string, current: number, isDirectory: boolean): number {
  let mode = current;
  for (const clause of spec.split(",")) {
    const match = /^([ugoa]*)([+=-])([rwxX]*)$/.exec(clause.trim());
    if (match === null) throw new Error(`not a permission change: ${JSON.stringify(spec)}`);
    const [, who = "", operator, perms = ""] = match;
    const users = who === "" || who.includes("a") ? "ugo" : who;
    let bits = 0;
    for (const user of users) {
      const shift = user === "u" ? 6 : user === "g" ? 3 : 0;
      let value = 0;
      if (perms.includes("r")) value |= 4;
      if (perms.includes("w")) value |= 2;
      if (perms.includes("x") || (perms.includes("X") && (isDirectory || (mode & 0o111) !== 0))) value |= 1;
      bits |= value << shift;
    }
    const whole = [...users].reduce((sum, user) => sum | (7 << (user === "u" ? 6 : user === "g" ? 3 : 0)), 0);
    if (operator === "+") mode |= bits;
    else if (operator === "-") mode &= ~bits;
    else mode = (mode & ~whole) | bits;
  }
  return mode & 0o7777;
}

/** Whether `change` is something applyModeChange understands. */
export function isModeChange(change: string): boolean {
  try {
    applyModeChange(change, 0o644, false);
    return true;
  } catch {
    return false;
  }
}

/** `rw-r--r--`, as ls shows the bits. */
export function modeLetters(mode: number): string {
  return [6, 3, 0]
    .map((shift) => {
      const value = (mode >> shift) & 7;
      return `${value & 4 ? "r" : "-"}${value & 2 ? "w" : "-"}${value & 1 ? "x" : "-"}`;
    })
    .join("");
}

/** The bits in words: who may read, write and run (or enter) it. */
export function describeMode(mode: number, isDirectory: boolean): string {
  const run = isDirectory ? "open" : "run";
  const can = (shift: number) => {
    const value = (mode >> shift) & 7;
    const verbs = [value & 4 ? "read" : "", value & 2 ? "change" : "", value & 1 ? run : ""].filter((verb) => verb !== "");
    return verbs.length === 0 ? "nothing" : verbs.join(", ");
  };
  const owner = can(6);
  const group = can(3);
  const others = can(0);
  if (group === "nothing" && others === "nothing") return `only you can ${owner === "nothing" ? "do nothing with it" : owner}`;
  if (group === others) return `you: ${owner}; everyone else: ${others}`;
  return `you: ${owner}; your group: ${group}; others: ${others}`;
}
