import * as z from "zod";
import { errorResponse } from "../../agent/error-response.js";
import { PluginError } from "../../core/errors/plugin-error.js";
import { createResponse, type Response } from "../../core/types/response.js";
import { confinedWorkspaceKey } from "../../core/types/user-request.js";
import { defineHandler, definePlugin } from "../../plugins/define-plugin.js";
import type { HandlerContext } from "../../plugins/handler-context.js";
import { pickByWords } from "../shared/pick-by-words.js";
import { cronRunTimes, localTimezone } from "./cron-times.js";
import { describeSchedule, scheduleView } from "./describe-schedule.js";
import { formatLocalTime } from "./format-local-time.js";
import { parseLocalDateTime } from "./parse-local-date-time.js";
import type { Schedule } from "./schedule.js";
import type { ScheduleStore } from "./schedule-store.js";
import type { Scheduler } from "./scheduler.js";

/** Most active schedules one user may have. */
const maximumActivePerUser = 500;
/** How long finished one-offs stay in `schedule.list` (unless `all`). */
const finishedShownFor = 24 * 60 * 60 * 1000;

export interface SchedulePluginOptions {
  version: string;
  store: ScheduleStore;
  /** Armed at once when it is running in this process; otherwise the next scheduler to start (or reload) runs it. */
  scheduler: Scheduler;
  /** safety.non_interactive: what happens to a scheduled request's steps that need confirmation. */
  nonInteractivePolicy: "deny" | "allow";
  now: () => number;
}

/**
 * schedule.create, schedule.list and schedule.cancel: reminders and requests at a time or on a cron
 * schedule, per user, kept in the database. Host-side (like the core plugin) because a scheduled
 * request runs through the agent.
 */
/** Cancels one active schedule and says which; an answer, not an error, when it has already run or been cancelled. */
async function cancelSchedule(options: SchedulePluginOptions & { target: Schedule; context: HandlerContext }) {
  const { store, scheduler, target, context } = options;
  if (target.status !== "active" || !(await store.cancel(context.userId, target.id))) {
    return {
      success: false,
      message: `Schedule ${target.id} ("${target.text}") has already ${target.status === "cancelled" ? "been cancelled" : "run"}.`,
    };
  }
  scheduler.track({ ...target, status: "cancelled", nextRunAt: null });
  return {
    success: true,
    message: `Cancelled ${target.id}: "${target.text}".`,
    data: { schedule: scheduleView({ ...target, status: "cancelled", nextRunAt: null }) },
  };
}

/**
 * "cancel the reminder about the dentist": the one active schedule whose text has every word asked about. Two or more
 * that do, or none, cancel nothing and say which there are.
 */
async function cancelByWords(options: SchedulePluginOptions & { words: string; context: HandlerContext }) {
  const { store, words, context } = options;
  const active = (await store.listForUser(context.userId)).filter((schedule) => schedule.status === "active");
  const picked = pickByWords(active, words, (schedule) => schedule.text);
  if (picked.chosen !== undefined) return cancelSchedule({ ...options, target: picked.chosen });
  return {
    success: false,
    message:
      picked.matches.length === 0
        ? `None of your ${active.length} active reminders and schedules mentions "${words}", so nothing was cancelled.`
        : [
            `${picked.matches.length} of your schedules mention "${words}", so nothing was cancelled; say which (by more of its words or its id):`,
            ...picked.matches.map((schedule) => `  ${schedule.id}: "${schedule.text}"`),
          ].join("\n"),
    data: { words, matches: picked.matches.map(scheduleView) },
    suggestions: ["what reminders do I have"],
  };
}

export function createSchedulePlugin(options: SchedulePluginOptions) {
  const { store } = options;
  return definePlugin({
    name: "schedule",
    version: options.version,
    description: "Reminders, and requests run later or on a schedule",
    author: "AstrOS",
    handles: ["schedule"],
    handlers: {
      create: defineHandler({
        intent: "schedule.create",
        description: "Remind you of something, or run a request, at a time or on a recurring schedule",
        examples: ["remind me to call mom at 5pm", "every monday at 9 check disk usage"],
        args: z.object({
          text: z
            .string({ error: "say what to remind you of, or what to run" })
            .trim()
            .min(1, "say what to remind you of, or what to run")
            .max(2000),
          at: z.string().optional(),
          cron: z.string().optional(),
          kind: z.enum(["reminder", "request"]).default("reminder"),
        }),
        run: (args, context) => createSchedule({ ...options, args, context }),
      }),
      list: defineHandler({
        intent: "schedule.list",
        readOnly: true,
        description: "List your reminders and scheduled requests",
        examples: ["what reminders do I have", "list scheduled tasks"],
        args: z.object({ all: z.boolean().optional() }),
        run: async (args, context) => {
          // What was cancelled is gone from the list (asked for "all", it is shown too).
          const schedules = (
            await store.listForUser(context.userId, { finishedSince: args.all ? 0 : options.now() - finishedShownFor })
          ).filter((schedule) => args.all === true || schedule.status !== "cancelled");
          const active = schedules.filter((schedule) => schedule.status === "active").length;
          if (schedules.length === 0) {
            return {
              success: true,
              message: 'You have no schedules. Try "remind me to call mom at 5pm".',
              data: { schedules: [] },
              suggestions: ["remind me to call mom at 5pm"],
            };
          }
          const heading = `You have ${active} active ${active === 1 ? "schedule" : "schedules"}${
            schedules.length > active ? ` (and ${schedules.length - active} finished${args.all ? "" : " recently"})` : ""
          }:`;
          return {
            success: true,
            message: [heading, ...schedules.map(describeSchedule)].join("\n"),
            data: { schedules: schedules.map(scheduleView) },
          };
        },
      }),
      cancel: defineHandler({
        intent: "schedule.cancel",
        description: "Cancel one of your schedules by its id, or by the words of what it reminds you of",
        examples: ["cancel reminder", "cancel the reminder about the dentist", "cancel the timesheet reminder"],
        args: z
          .object({
            id: z.string().trim().min(1).optional(),
            words: z.string().trim().min(1).max(1000).optional(),
          })
          .refine((args) => args.id !== undefined || args.words !== undefined, {
            message: "say which schedule: its id (from schedule.list) or words of what it reminds you of",
          }),
        run: async (args, context) => {
          if (args.id === undefined) return cancelByWords({ ...options, words: args.words ?? "", context });
          const matches = await store.findForUser(context.userId, args.id);
          const [target] = matches;
          if (target === undefined || matches.length > 1) {
            return {
              success: false,
              message:
                target === undefined
                  ? `You have no schedule with id ${args.id}.`
                  : `${matches.length} of your schedules start with ${args.id}: give more of the id.`,
              suggestions: ["what reminders do I have"],
            };
          }
          return cancelSchedule({ ...options, target, context });
        },
      }),
    },
  });
}

interface CreateArguments {
  text: string;
  at?: string | undefined;
  cron?: string | undefined;
  kind: "reminder" | "request";
}

async function createSchedule(
  options: SchedulePluginOptions & { args: CreateArguments; context: HandlerContext },
): Promise<Response> {
  const { args, context, store } = options;
  const at = blankToUndefined(args.at);
  const cron = blankToUndefined(args.cron);
  if (at !== undefined && cron !== undefined) {
    return invalid("Give either a time (at) or a recurring schedule (cron), not both.", { at, cron });
  }
  if (at === undefined && cron === undefined) {
    return invalid(
      'Say when: a time (at, e.g. 2026-03-18T17:00) or a recurring schedule (cron, five fields, e.g. "0 9 * * 1" for Mondays at 9:00).',
      {},
    );
  }
  if (args.kind === "request" && context.intent.originalRequest.metadata.channel === "schedule") {
    return invalid("A scheduled request cannot schedule further requests.", { kind: args.kind });
  }
  if ((await store.countActive(context.userId)) >= maximumActivePerUser) {
    return invalid(`You already have ${maximumActivePerUser} active schedules: cancel some first.`, {});
  }
  const now = options.now();
  const timezone = localTimezone();
  let nextRuns: number[];
  if (at !== undefined) {
    const parsed = parseLocalDateTime(at);
    if (!parsed.ok) return invalid(`${capitalize(parsed.reason)}.`, { at });
    const sameMinute = parsed.minutePrecision && Math.floor(now / 60_000) * 60_000 === parsed.time;
    if (parsed.time <= now && !sameMinute) {
      return invalid(`${formatLocalTime(parsed.time)} is in the past (it is now ${formatLocalTime(now)}).`, { at });
    }
    nextRuns = [Math.max(parsed.time, now)];
  } else {
    const check = await cronRunTimes({ expression: cron ?? "", timezone, after: now, count: 3 });
    if (!check.ok) return invalid(`${capitalize(check.reason)}.`, { cron });
    nextRuns = check.nextRuns;
  }
  const [nextRunAt = now] = nextRuns;
  const schedule = await store.create({
    userId: context.userId,
    kind: args.kind,
    text: args.text,
    ...(at === undefined ? {} : { runAt: nextRunAt }),
    ...(cron === undefined ? {} : { cron: cron.replace(/\s+/g, " ") }),
    timezone,
    context: requestContext(context.intent.context),
    nextRunAt,
  });
  options.scheduler.track(schedule);
  return createResponse({
    success: true,
    message: creationMessage(schedule, nextRuns, options),
    data: { schedule: scheduleView(schedule), nextRuns: nextRuns.map((time) => new Date(time).toISOString()) },
    suggestions: ["what reminders do I have"],
  });
}

function creationMessage(schedule: Schedule, nextRuns: readonly number[], options: SchedulePluginOptions): string {
  const what = schedule.kind === "reminder" ? `remind you "${schedule.text}"` : `run "${schedule.text}" for you`;
  const lines =
    schedule.cron === null
      ? [`OK, I'll ${what} at ${formatLocalTime(schedule.nextRunAt ?? 0)} (id ${schedule.id}).`]
      : [
          `OK, I'll ${what} on the schedule "${schedule.cron}" (id ${schedule.id}).`,
          `Next: ${nextRuns.map(formatLocalTime).join(", ")}.`,
        ];
  if (schedule.kind === "request") {
    lines.push(
      options.nonInteractivePolicy === "deny"
        ? "It will run as you with nobody there to confirm: steps that need confirmation will be refused (safety.non_interactive = deny), and each run is audited."
        : "It will run as you with nobody there to confirm: steps that need confirmation will go ahead without asking (safety.non_interactive = allow); forbidden ones never run, and each run is audited.",
    );
  }
  if (!options.scheduler.running) {
    lines.push("Schedules run while `astros worker` or the AstrOS shell is running.");
  }
  return lines.join("\n");
}

/** What a scheduled request keeps of the context it was created in: its folder and the user's name. */
function requestContext(context: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  // A confined user's workspace goes with the schedule: the request runs confined to it later too.
  for (const key of ["cwd", "user_name", confinedWorkspaceKey]) {
    if (typeof context[key] === "string") kept[key] = context[key];
  }
  return kept;
}

function invalid(message: string, details: Record<string, unknown>): Response {
  return errorResponse(
    new PluginError(message, {
      code: "PLUGIN_ARGUMENTS_INVALID",
      details: { plugin: "schedule", handler: "create", ...details },
    }),
  );
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
