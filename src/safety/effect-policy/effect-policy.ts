import os from "node:os";
import path from "node:path";
import { destroyingKinds, type Effect, type EffectKind, writingKinds } from "./effect.js";
import {
  describePlace,
  formsOf,
  isInside,
  isSystemFolder,
  type PlaceRole,
  type ProtectedPlace,
  type StatePlace,
  shownPath,
} from "./protected-places.js";
import { sensitiveWrite } from "./sensitive-writes.js";

/** The policy's answer: the shape of the pipeline's `Decision` (verdict, reason, risk level, each reason). */
export interface EffectDecision {
  verdict: "allow" | "ask" | "deny";
  reason: string;
  risk: "SAFE" | "DANGEROUS" | "FORBIDDEN";
  reasons: readonly string[];
  details?: Record<string, unknown>;
}

export interface EffectPolicyOptions {
  homeDirectory?: string;
  /** safety.allowed_roots as configured; none means the home folder and the temporary folder. */
  allowedRoots?: readonly string[];
  /** The system's temporary folder (default os.tmpdir()). */
  temporaryDirectory?: string;
  /** AstrOS's own files and folders: database, journal, trash, audit log, keys, configuration. */
  state?: readonly StatePlace[];
  /** Compare paths as written only, never looking at the disk (the intent engine judges plans this way). */
  lexical?: boolean;
}

export interface JudgeOptions {
  /** More places that are roots for this action: a session's workspace. */
  workspaces?: readonly string[];
}

/** How each destroying effect is said in a refusal. */
const verbs: Record<string, string> = {
  delete: "deletes",
  move: "moves away",
  empty: "empties",
  overwrite: "overwrites",
};

/** Which role names a place first when one path is several (the home folder is also an allowed root). */
const rolePriority: readonly PlaceRole[] = [
  "root",
  "home",
  "system",
  "workspace",
  "temporary",
  "allowed-root",
  "state",
  "config",
];

interface KnownPlace extends ProtectedPlace {
  forms: readonly string[];
}

/**
 * The one effect policy: whatever door an action came through (a tool call, a plan step, a plugin's file access,
 * a command), it is described by its effects and judged here.
 *
 * - FORBIDDEN, never asked: deleting, moving, emptying or overwriting `/`, the home folder, an allowed root (the
 *   configured ones, the temporary folder, a session's workspace), a system folder, AstrOS's own state (database,
 *   journal, trash, audit log, keys, configuration), or any folder that holds one of them; writing inside AstrOS's
 *   state (not its configuration).
 * - DANGEROUS, asked: writing anything a program runs by itself when it starts (one table, `autorunReason`: shell
 *   start-up files, `.pth` and `sitecustomize.py`, desktop launchers and autostart, user services, git hooks, config and
 *   attributes, `.npmrc`, ssh's config, `authorized_keys`, crontabs, `.envrc`…), or AstrOS's configuration.
 * - Everything else is allowed here (the path guard, permissions and the command guard judge the rest).
 *
 * Paths in effects are real paths (symbolic links resolved); the places are compared in every form they exist under.
 */
export class EffectPolicy {
  readonly homeDirectory: string;
  readonly #places: KnownPlace[];
  readonly #lexical: boolean;

  constructor(options: EffectPolicyOptions = {}) {
    this.homeDirectory = path.resolve(options.homeDirectory ?? os.homedir());
    const expand = (value: string) =>
      value === "~" ? this.homeDirectory : value.startsWith("~/") ? path.join(this.homeDirectory, value.slice(2)) : value;
    const temporary = options.temporaryDirectory ?? os.tmpdir();
    const roots = (options.allowedRoots ?? []).length === 0 ? [this.homeDirectory, temporary] : (options.allowedRoots ?? []);
    const places: ProtectedPlace[] = [
      { path: "/", role: "root" },
      { path: this.homeDirectory, role: "home" },
      { path: temporary, role: "temporary" },
      ...roots.map((root) => ({ path: expand(root), role: "allowed-root" as const })),
      ...(options.state ?? []).map((place) => ({
        path: expand(place.path),
        role: place.config === true ? ("config" as const) : ("state" as const),
        what: place.what,
      })),
    ];
    const forms = options.lexical === true ? (place: string) => [path.resolve(place)] : formsOf;
    this.#places = places.map((place) => ({ ...place, path: path.resolve(place.path), forms: forms(place.path) }));
    this.#lexical = options.lexical === true;
  }

  /** The protected places, each once (for tests and for telling a person what is protected). */
  get places(): readonly ProtectedPlace[] {
    return this.#places.map(({ forms: _forms, ...place }) => place);
  }

  /** Judge every effect of one action: the strictest answer, with every reason. */
  judge(effects: readonly Effect[], options: JudgeOptions = {}): EffectDecision {
    const places = this.#placesFor(options);
    const forbidden: string[] = [];
    const asked: string[] = [];
    for (const effect of effects) {
      const found = this.#judgeOne(effect, places);
      if (found?.risk === "FORBIDDEN") forbidden.push(found.reason);
      else if (found?.risk === "DANGEROUS") asked.push(found.reason);
    }
    const details = {
      effects: effects.map(({ kind, path: target }) => ({ kind, ...(target === undefined ? {} : { path: target }) })),
    };
    if (forbidden.length > 0) {
      const reasons = [...new Set(forbidden)];
      return { verdict: "deny", risk: "FORBIDDEN", reasons, reason: `forbidden: ${reasons.join("; ")}`, details };
    }
    if (asked.length > 0) {
      const reasons = [...new Set(asked)];
      return { verdict: "ask", risk: "DANGEROUS", reasons, reason: `dangerous: ${reasons.join("; ")}`, details };
    }
    return { verdict: "allow", risk: "SAFE", reasons: [], reason: "it touches no protected place" };
  }

  /** The protected place `target` is, or holds, for a destroying effect; undefined when none. */
  protectedBy(target: string, options: JudgeOptions = {}): { place: ProtectedPlace; holds: boolean } | undefined {
    return protectedIn(path.resolve(target), this.#placesFor(options));
  }

  #placesFor(options: JudgeOptions): KnownPlace[] {
    const workspaces = (options.workspaces ?? []).map((workspace) => ({
      path: path.resolve(workspace),
      role: "workspace" as const,
      forms: this.#lexical ? [path.resolve(workspace)] : formsOf(workspace),
    }));
    return workspaces.length === 0 ? this.#places : [...this.#places, ...workspaces];
  }

  #judgeOne(effect: Effect, places: KnownPlace[]): { risk: "FORBIDDEN" | "DANGEROUS"; reason: string } | undefined {
    if (effect.path === undefined) return undefined;
    const target = path.resolve(effect.path);
    const shown = shownPath(target, this.homeDirectory);
    if (destroyingKinds.has(effect.kind)) {
      const found = protectedIn(target, places);
      if (found !== undefined) {
        const verb = verbs[effect.kind] ?? effect.kind;
        const named = describePlace(found.place, this.homeDirectory);
        const said =
          effect.kind === "move" ? `moves ${found.holds ? shown : named} away` : `${verb} ${found.holds ? shown : named}`;
        return { risk: "FORBIDDEN", reason: found.holds ? `${said}, which holds ${named}` : said };
      }
    }
    if (writingKinds.has(effect.kind) || effect.kind === "delete" || effect.kind === "move") {
      // Inside AstrOS's state (not its configuration): its records, which only AstrOS itself writes.
      const state = places.find((place) => place.role === "state" && place.forms.some((form) => isInside(target, form)));
      // A session's or server user's workspace is kept in AstrOS's data but is theirs: what is inside it is not AstrOS's records.
      const inWorkspace = places.some(
        (place) => place.role === "workspace" && place.forms.some((form) => form !== target && isInside(target, form)),
      );
      if (state !== undefined && !inWorkspace) {
        return {
          risk: "FORBIDDEN",
          reason: `${changeVerb(effect.kind)} ${shown}, inside ${describePlace(state, this.homeDirectory)}`,
        };
      }
    }
    if (writingKinds.has(effect.kind)) {
      const config = places.find((place) => place.role === "config" && place.forms.some((form) => isInside(target, form)));
      if (config !== undefined)
        return {
          risk: "DANGEROUS",
          reason: `${changeVerb(effect.kind)} ${shown}, ${describePlace(config, this.homeDirectory)}, which decides what AstrOS may do`,
        };
      const why = sensitiveWrite(target);
      if (why !== undefined) return { risk: "DANGEROUS", reason: `${changeVerb(effect.kind)} ${shown}: ${why}` };
    }
    return undefined;
  }
}

/** The place `target` is (the strongest role when several), else the place it holds; undefined when none. */
function protectedIn(target: string, places: readonly KnownPlace[]): { place: ProtectedPlace; holds: boolean } | undefined {
  // One pass, no copies: a bulk move judges thousands of paths against the same few places.
  let same: ProtectedPlace | undefined;
  let held: ProtectedPlace | undefined;
  const prefix = target === "/" ? "/" : `${target}/`;
  for (const place of places) {
    for (const form of place.forms) {
      if (form === target) same = stronger(same, place);
      else if (form.startsWith(prefix)) held = stronger(held, place);
    }
  }
  if (same !== undefined) return { place: same, holds: false };
  if (isSystemFolder(target)) return { place: { path: target, role: "system" }, holds: false };
  return held === undefined ? undefined : { place: held, holds: true };
}

/** The place whose role names it first (the home folder before an allowed root). */
function stronger(current: ProtectedPlace | undefined, candidate: ProtectedPlace): ProtectedPlace {
  if (current === undefined) return candidate;
  return rolePriority.indexOf(candidate.role) < rolePriority.indexOf(current.role) ? candidate : current;
}

function changeVerb(kind: EffectKind): string {
  switch (kind) {
    case "create":
      return "creates";
    case "overwrite":
      return "overwrites";
    case "delete":
      return "deletes";
    case "move":
      return "moves";
    default:
      return "writes";
  }
}
