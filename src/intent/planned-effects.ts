import path from "node:path/posix";
import type { Effect, EffectKind } from "../safety/effect-policy/effect.js";

/** Slots that narrow a selection to some of a folder's files. */
const filterSlots = ["ext", "kind", "name", "minSize", "maxSize", "modifiedAfter", "modifiedBefore"];

/** What taking a selection away does to its folder: all of it empties it, some of it changes it, itself goes whole. */
function selectionEffect(slots: Record<string, unknown>, taken: "delete" | "move"): EffectKind {
  // A name pattern that matches every name ("*", "*.*") takes everything, as "everything in" does.
  const matchesAll = typeof slots.name === "string" && /^\*+(?:\.\*)?$/.test(slots.name.trim());
  const others = ["ext", "kind", "minSize", "maxSize", "modifiedAfter", "modifiedBefore"].some((key) => slots[key] !== undefined);
  if (slots.contents === true || (matchesAll && !others && !Array.isArray(slots.files))) return "empty";
  if (Array.isArray(slots.files) || filterSlots.some((slot) => slots[slot] !== undefined)) return "modify";
  return taken;
}

/** Each builtin file intent's effect on each path slot: what the files tools declare (src/tools/files). */
const slotEffects: Record<string, (slots: Record<string, unknown>) => Record<string, EffectKind>> = {
  "files.delete": (slots) => ({ path: selectionEffect(slots, "delete"), files: "delete" }),
  "files.move": (slots) => ({ source: selectionEffect(slots, "move"), files: "move", destination: "create" }),
  "files.copy": () => ({ source: "read", files: "read", destination: "create" }),
  "files.rename": () => ({ path: "move", source: "move" }),
  "files.write": (slots) => ({ path: slots.append === true ? "modify" : "overwrite" }),
  "files.mkdir": () => ({ path: "create" }),
  "files.organize": () => ({ path: "modify" }),
  "files.duplicates": () => ({ path: "modify" }),
  // What the archive and permissions tools declare (src/tools/archive, src/tools/permissions).
  "archive.create": () => ({ paths: "read", source: "read", destination: "create" }),
  "archive.extract": () => ({ path: "read", destination: "modify" }),
  "permissions.change": () => ({ path: "overwrite" }),
};

/**
 * The effects a planned step would have on the paths in its slots, as written (the engine never looks at the
 * disk): `folder/*` is everything in the folder. Steps of other intents have no file effects here (a command is
 * judged by the command guard when it runs).
 */
export function plannedEffects(step: { intent: string; slots: Record<string, unknown> }): Effect[] {
  const effects = slotEffects[step.intent]?.(step.slots);
  if (effects === undefined) return [];
  return Object.entries(effects).flatMap(([slot, kind]) => {
    const value = step.slots[slot];
    const paths =
      typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
    return paths.map((typed: string): Effect => {
      const normal = path.normalize(typed);
      if (normal.endsWith("/*") && (kind === "delete" || kind === "move"))
        return { kind: "empty", path: normal.slice(0, -2) || "/", shown: typed };
      return { kind, path: normal, shown: typed };
    });
  });
}
