import os from "node:os";
import { type EffectDecision, EffectPolicy } from "../safety/effect-policy/effect-policy.js";
import type { Mention } from "./entities/find-mentions.js";
import type { ParseContext } from "./parse-context.js";
import { plannedEffects } from "./planned-effects.js";

/** Why the engine will not plan a request: what it would destroy, in the effect policy's words. */
export interface Refusal {
  risk: "FORBIDDEN";
  reason: string;
  reasons: readonly string[];
}

/** One lexical policy per home folder: the engine never looks at the disk. */
const policies = new Map<string, EffectPolicy>();

/**
 * The effect policy as the engine can apply it, from the words alone: `/`, the home folder, the temporary folder,
 * system folders, and AstrOS's state where it is by default (the guard judges the real paths again, wherever the
 * XDG folders really are, before anything runs).
 */
export function planningPolicy(home: string): EffectPolicy {
  let policy = policies.get(home);
  if (policy === undefined) {
    if (policies.size > 100) policies.clear();
    policy = new EffectPolicy({
      homeDirectory: home,
      lexical: true,
      state: [
        { path: "~/.config/astros", what: "configuration", config: true },
        { path: "~/.local/share/astros", what: "data" },
        { path: "~/.local/state/astros", what: "state" },
        { path: "~/.local/share/Trash", what: "trash" },
      ],
      temporaryDirectory: os.tmpdir(),
    });
    policies.set(home, policy);
  }
  return policy;
}

/** The policy's word on a planned step, from its slots as written. */
export function judgePlannedStep(
  step: { intent: string; slots: Record<string, unknown> },
  context: ParseContext,
): EffectDecision {
  return planningPolicy(context.home).judge(plannedEffects(step));
}

/** Words a plain request to destroy a place is made of, besides the place itself. */
const plainWords = new Set(
  `delete remove rm rmdir unlink trash erase get rid of shot throw away out bin discard wipe purge nuke dispose send move
  mv put clear clean empty relocate transfer shift drag stick place drop chuck rename ren destroy kill format
  the my your our a an this that all of everything every entire whole complete
  folder folders directory directories dir home files file contents content stuff things items data temp tmp temporary
  in inside from to into on onto under within at over
  please now just for me can could would will you pls kindly right completely entirely permanently recursively forever
  too also as well and it its with everything's what's whatever is there i want wanted need like be can should deleted removed
  trashed erased wiped moved emptied gone`.split(/\s+/),
);

/**
 * Whether a request says plainly what it destroys: besides the places it names (one, or a place and where it goes),
 * only verbs, articles and filler words ("delete my home folder", "rm -rf ~", "move ~ to /tmp"). Long text that
 * merely contains a destructive verb and a `~` somewhere is not a request to destroy the home folder.
 */
export function saidPlainly(lower: string, mentions: readonly Mention[], intent: string): boolean {
  const allowed = intent === "files.move" || intent === "files.copy" || intent === "files.rename" ? 2 : 1;
  if (mentions.length > allowed) return false;
  let rest = lower;
  for (const mention of [...mentions].sort((a, b) => b.start - a.start))
    rest = `${rest.slice(0, mention.start)} ${rest.slice(mention.end)}`;
  const words = rest.split(/[\s,.;:!?'"`()]+/).filter((word) => word !== "" && !/^-{1,2}[a-z-]+$/.test(word));
  return words.every((word) => plainWords.has(word));
}
