/**
 * What an action does, whatever door it came through (a tool call, a command, a plan step, a plugin's own file
 * access): the policy judges these, never the door.
 *
 * - `read`: looks at the path; `create`: makes it (it did not exist); `modify`: changes what is in it (appending to a
 *   file, writing into a folder); `overwrite`: replaces a file's content whole;
 * - `delete`: removes the path (to the trash or not); `move`: takes it away from where it is (a rename too);
 *   `empty`: removes everything inside the folder, keeping the folder;
 * - `run`: starts a program; `signal`: stops or signals a process; `network`: talks to another machine.
 */
export const effectKinds = [
  "read",
  "create",
  "modify",
  "delete",
  "move",
  "empty",
  "overwrite",
  "run",
  "signal",
  "network",
] as const;

export type EffectKind = (typeof effectKinds)[number];

/** Effects on a path that take away what the path holds: never allowed on a protected place. */
export const destroyingKinds: ReadonlySet<EffectKind> = new Set(["delete", "move", "empty", "overwrite"]);

/** Effects on a path that put new content there: asked about on start-up files, hooks, keys and AstrOS's config. */
export const writingKinds: ReadonlySet<EffectKind> = new Set(["create", "modify", "overwrite"]);

/** One effect of an action. */
export interface Effect {
  kind: EffectKind;
  /** The real path (symbolic links resolved, absolute) the effect is on, for file effects. */
  path?: string;
  /** The path as the request wrote it (`~`, `$HOME`, a relative name), to show in a reason. */
  shown?: string;
  /** The program, for `run`. */
  program?: string;
  /** The process, for `signal`. */
  process?: number | string;
  /** The host, for `network`. */
  host?: string;
}

/** Whether `kind` is one of the known effect kinds (for declarations read from plugins). */
export function isEffectKind(kind: unknown): kind is EffectKind {
  return typeof kind === "string" && (effectKinds as readonly string[]).includes(kind);
}
