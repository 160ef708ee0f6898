import type { AuditEntry } from "../../agent/pipeline-seams.js";
import { summarizeAuditEntry } from "./summarize-audit-entry.js";

/**
 * Entries that only say what the next entry of the same request confirms: the request arrived,
 * a check allowed the call, a call completed. They may wait for that entry; nothing else does.
 */
export function isRoutineEntry(entry: AuditEntry): boolean {
  return (
    entry.type === "request-received" ||
    entry.type === "tool-call-completed" ||
    (entry.type === "decision-made" && entry.outcome === "allow")
  );
}

/** An entry written inside the next one of its request: its time as an offset from that entry's. */
interface FoldedEntry {
  type: AuditEntry["type"];
  /** Milliseconds before the entry it is written in (negative or zero). */
  dt: number;
  outcome?: string;
  detail: Record<string, unknown>;
  [extra: string]: unknown;
}

/** An allow verdict written inside the call it allowed: which check, why, and the paths it saw (when they differ from the verdict before). */
interface AllowedVerdict {
  step?: unknown;
  reason?: unknown;
  [extra: string]: unknown;
}

/** Written for a completed call's `message` that is the request's answer too. */
const sameAsAnswer = "(the answer)";

/** Detail fields a folded entry leaves out when the entry it is written in has the same value. */
const inheritedKeys = ["tool", "plugin", "handler"] as const;

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function withoutInherited(detail: Record<string, unknown>, hostDetail: Record<string, unknown>): Record<string, unknown> {
  const kept = { ...detail };
  for (const key of inheritedKeys) if (key in kept && sameJson(kept[key], hostDetail[key])) delete kept[key];
  return kept;
}

/**
 * The fields that carry `folded` (held) entries inside the entry they are written with: allow
 * verdicts as `allowed` (step, reason, risk; paths when they differ from the verdict before), a call
 * completing as `completed` (tool, outcome, duration, error: its plugin and handler are on the call's line),
 * others as `folded` (type, time offset, outcome, detail); a verdict leaves out `tool`, `plugin` and
 * `handler` equal to the host's. `unfoldAuditEntry` gives them back as entries.
 */
export function foldedFields(host: AuditEntry, held: readonly AuditEntry[]): Record<string, unknown> {
  const hostDetail = summarizeAuditEntry(host).detail ?? {};
  const allowed: AllowedVerdict[] = [];
  const folded: FoldedEntry[] = [];
  const completed: Record<string, unknown>[] = [];
  let previousPaths: unknown;
  for (const entry of held) {
    const {
      requestId: _request,
      userId: _user,
      sessionId: _session,
      time,
      type,
      outcome,
      detail,
      ...extra
    } = summarizeAuditEntry(entry);
    if (type === "decision-made" && outcome === "allow" && Object.keys(extra).length === 0) {
      const { verdict: _verdict, paths, ...rest } = withoutInherited(detail ?? {}, hostDetail);
      allowed.push({ ...rest, ...(paths === undefined || sameJson(paths, previousPaths) ? {} : { paths }) });
      previousPaths = paths;
      continue;
    }
    if (type === "tool-call-completed" && Object.keys(extra).length === 0) {
      // The call's own line names its plugin and handler; its completion keeps the tool, outcome, duration and any error.
      const { plugin: _plugin, handler: _handler, ...rest } = detail ?? {};
      // A call whose answer is the request's answer (a builtin read) says so instead of repeating its size and hash.
      if (rest.message !== undefined && sameJson(rest.message, hostDetail.message)) rest.message = sameAsAnswer;
      completed.push({ ...rest, ...(outcome === undefined ? {} : { outcome }), dt: time - host.time });
      continue;
    }
    folded.push({ type, dt: time - host.time, ...(outcome === undefined ? {} : { outcome }), detail: detail ?? {}, ...extra });
  }
  return {
    ...(folded.length === 0 ? {} : { folded }),
    ...(allowed.length === 0 ? {} : { allowed }),
    ...(completed.length === 0 ? {} : { completed }),
  };
}

/**
 * A stored entry as the entries it holds: those written folded into it (with the line's number,
 * request, user and session; an allow verdict takes the line's time), then itself.
 */
export function unfoldAuditEntry<Stored extends AuditEntry>(entry: Stored): Stored[] {
  const { folded, allowed, completed, ...host } = entry as Stored & { folded?: unknown; allowed?: unknown; completed?: unknown };
  if (!Array.isArray(folded) && !Array.isArray(allowed) && !Array.isArray(completed)) return [entry];
  const hostDetail = (host.detail ?? {}) as Record<string, unknown>;
  const inherited = Object.fromEntries(inheritedKeys.filter((key) => key in hostDetail).map((key) => [key, hostDetail[key]]));
  const shared = { requestId: host.requestId, userId: host.userId, sessionId: host.sessionId };
  const line = Object.fromEntries(["seq", "prev", "hash"].map((key) => [key, (host as Record<string, unknown>)[key]]));
  const before = (Array.isArray(folded) ? (folded as FoldedEntry[]) : []).map(({ dt, detail, ...rest }) => ({
    ...rest,
    ...shared,
    time: host.time + (typeof dt === "number" ? dt : 0),
    detail,
    ...line,
  }));
  let paths: unknown;
  const verdicts = (Array.isArray(allowed) ? (allowed as AllowedVerdict[]) : []).map((verdict) => {
    paths = verdict.paths ?? paths;
    return {
      type: "decision-made",
      ...shared,
      time: host.time,
      detail: { ...inherited, ...verdict, verdict: "allow", ...(paths === undefined ? {} : { paths }) },
      outcome: "allow",
      ...line,
    };
  });
  const completions = (Array.isArray(completed) ? (completed as Record<string, unknown>[]) : []).map(
    ({ dt, outcome, ...detail }) => ({
      type: "tool-call-completed",
      ...shared,
      time: host.time + (typeof dt === "number" ? dt : 0),
      detail: detail.message === sameAsAnswer ? { ...detail, message: hostDetail.message } : detail,
      ...(outcome === undefined ? {} : { outcome }),
      ...line,
    }),
  );
  // Order of recording: the request arriving comes first, allow verdicts come just before the call.
  const arrived = before.filter((item) => item.type === "request-received");
  const others = before.filter((item) => item.type !== "request-received");
  return [...arrived, ...others, ...verdicts, ...completions, host] as unknown as Stored[];
}
