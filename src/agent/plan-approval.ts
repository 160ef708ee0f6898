import type { Intent } from "../core/types/intent.js";
import type { PlannedStep } from "../intent/parse-request.js";
import type { ConfirmationChannel } from "./pipeline-seams.js";
import { liveChannel } from "./turn-taint.js";

/** The plan of a chained request, when the recognizer found two or more steps. */
export function planOf(intent: Intent): PlannedStep[] | undefined {
  const plan = intent.context.plan;
  return Array.isArray(plan) && plan.length > 1 ? (plan as PlannedStep[]) : undefined;
}

/**
 * The confirmation channel for a plan's steps: once the person has approved the whole plan, its
 * steps' risky actions and bulk changes need no second yes (recorded as approved "by the plan");
 * a plugin's first use of a permission is still asked, and FORBIDDEN actions never reach a channel.
 * A question about what an AI model proposed after taint is never approved by the plan: the plan's
 * yes answers it in advance, so it goes to the person the channel can ask now (`live`), or nobody.
 */
export function approvedByPlan(
  channel: ConfirmationChannel | undefined,
  approved: () => boolean,
): ConfirmationChannel | undefined {
  if (channel === undefined) return undefined;
  const live = liveChannel(channel);
  const wrapped: ConfirmationChannel = async (request) => {
    if (request.taint !== undefined) {
      return live === undefined
        ? { approved: false, via: "an approved plan does not confirm what the AI model proposed" }
        : live(request);
    }
    if (approved() && (request.kind === "action" || request.kind === "bulk")) return { approved: true, via: "the approved plan" };
    return channel(request);
  };
  wrapped.inAdvance = channel.inAdvance ?? "the approved plan";
  if (live !== undefined) wrapped.live = live;
  return wrapped;
}
