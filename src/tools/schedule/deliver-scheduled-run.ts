import { randomUUID } from "node:crypto";
import type { AuditSink } from "../../agent/pipeline-seams.js";
import type { EventBus } from "../../core/events/event-bus.js";
import type { Logger } from "../../core/logging/logger.js";
import type { Response } from "../../core/types/response.js";
import type { UserRequestInit } from "../../core/types/user-request.js";
import { formatDuration } from "./format-local-time.js";
import { scheduleSessionId } from "./schedule-session.js";
import type { RunSchedule } from "./scheduler.js";

export interface ScheduledRunDeliveryOptions {
  events: EventBus;
  audit: AuditSink;
  /** The agent's own pipeline: a scheduled request meets the same permissions, guard and audit as any other. */
  processRequest: (request: UserRequestInit) => Promise<Response>;
  logger: Logger;
  now: () => number;
}

/**
 * What a due schedule does. A reminder is emitted as a `reminder` event and audited. A request runs
 * through the agent as its user on the "schedule" channel, which has no way to ask for confirmation,
 * so the non-interactive policy decides what needs one (refused by default, and audited).
 */
export function createScheduledRunDelivery(options: ScheduledRunDeliveryOptions): RunSchedule {
  return async ({ schedule, dueAt, lateMs }) => {
    const sessionId = scheduleSessionId(schedule.id);
    if (schedule.kind === "reminder") {
      const requestId = randomUUID();
      const time = options.now();
      const listening = options.events.listenerCount > 0;
      options.events.emit({
        type: "reminder",
        scheduleId: schedule.id,
        text: schedule.text,
        dueAt,
        late: lateMs !== null,
        requestId,
        userId: schedule.userId,
        sessionId,
        time,
      });
      await options.audit
        .record({
          type: "reminder-delivered",
          requestId,
          userId: schedule.userId,
          sessionId,
          time,
          detail: { scheduleId: schedule.id, text: schedule.text, dueAt, lateMs, listening },
          outcome: lateMs === null ? "on-time" : "late",
        })
        .catch((error: unknown) =>
          options.logger.error("could not write the audit log", { error: (error as Error)?.message ?? String(error) }),
        );
      const when = lateMs === null ? "Delivered" : `Delivered ${formatDuration(lateMs)} late`;
      return { outcome: "delivered", message: listening ? when : `${when} (nothing was showing reminders)` };
    }
    const response = await options.processRequest({
      text: schedule.text,
      userId: schedule.userId,
      sessionId,
      context: schedule.context,
      metadata: { channel: "schedule", scheduleId: schedule.id, ...(lateMs === null ? {} : { lateMs }) },
    });
    const refused = response.metadata.error?.category === "permission";
    return { outcome: response.success ? "succeeded" : refused ? "refused" : "failed", message: response.message };
  };
}
