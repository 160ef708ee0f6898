import { defineHandler, type HandlerResult, z } from "../../sdk.js";
import { processData, processLine } from "./describe-process.js";
import { portArgument } from "./find-port-handler.js";
import { readProcessStat } from "./proc-process-table.js";
import { type KillTargets, resolveKillTargets, type Stopper } from "./resolve-kill-targets.js";
import { stopProcesses } from "./stop-processes.js";

const killArguments = z
  .object({
    pid: z.coerce.number().int().positive().optional(),
    /** Several processes by pid: those an earlier answer found ("stop them"). */
    pids: z.array(z.coerce.number().int().positive()).min(1).max(1_000).optional(),
    name: z.string().trim().min(1).optional(),
    port: portArgument.optional(),
    force: z.boolean().default(false),
    /** "kill all processes": never done; asked for, it is refused with the reason. */
    everything: z.boolean().optional(),
  })
  .refine(
    (args) =>
      args.pid !== undefined ||
      args.pids !== undefined ||
      args.name !== undefined ||
      args.port !== undefined ||
      args.everything === true,
    { message: "Say which process to stop: a pid, a name or a port" },
  );

export interface KillTiming {
  /** How long SIGTERM gets before SIGKILL. */
  graceMilliseconds: number;
  killWaitMilliseconds: number;
}

/**
 * `process.kill`: stop processes chosen by pid, name or port, only after the user has seen exactly
 * which ones and said yes. Signals go through `context.exec("kill ...")` so the command guard
 * judges them and the audit log records them; the result is what /proc shows afterwards.
 */
export function createKillProcessHandler(timing: KillTiming = { graceMilliseconds: 3_000, killWaitMilliseconds: 2_000 }) {
  return defineHandler({
    intent: "process.kill",
    description:
      "Stop processes by pid, by exact name, or the one listening on a port: asks first, sends SIGTERM, then SIGKILL after a grace period (force: SIGKILL at once), and checks they are gone",
    examples: ["free up port 3000", "kill process 4242", "stop all node processes", "force kill firefox"],
    args: killArguments,
    requiresPermissions: ["process", "shell"],
    run: async (args, context): Promise<HandlerResult> => {
      if (process.platform !== "linux") {
        return {
          success: false,
          message: `Stopping processes is only supported on Linux so far (this is ${process.platform}).`,
        };
      }
      if (args.everything === true) {
        return {
          success: false,
          message:
            "Not stopping every process: that would end your session, the programs you are working in and the system's own services, and AstrOS with them. Nothing was stopped.",
          data: { outcome: "refused" },
          suggestions: ["Name the one to stop: stop firefox, kill process 4242, free up port 3000", "List the busiest processes"],
        };
      }
      const stopper: Stopper = { pid: process.pid, parentPid: process.ppid, uid: process.geteuid?.() ?? -1 };
      const found = await resolveKillTargets(args, stopper);
      if (found.targets.length === 0) return nothingToStop(found, args);

      const signalPlan = args.force
        ? "SIGKILL at once: they get no chance to save their work or clean up"
        : `SIGTERM first, then SIGKILL if still running after ${timing.graceMilliseconds / 1000} s`;
      const count = `${found.targets.length} process${found.targets.length === 1 ? "" : "es"}`;
      const summary = [
        `Stop ${count} (${found.described}):`,
        ...found.targets.map((target) => `  ${processLine(target, 400)}`),
      ].join("\n");
      const reasons = [
        signalPlan,
        "unsaved work in them is lost",
        ...found.spared.map(({ process: spared, reason }) => `left alone: ${spared.name} (pid ${spared.pid}), ${reason}`),
        ...found.notPermitted.map((other) => `left alone: pid ${other.pid} belongs to ${other.user}`),
      ];
      if (!(await context.confirm(summary, reasons))) {
        return {
          success: false,
          message: `Nothing was stopped: stopping ${count} was not confirmed.`,
          data: { outcome: "not-confirmed", targets: found.targets.map(processData) },
          suggestions: ["Ask again and confirm to stop them"],
        };
      }
      // Time has passed while the user read the question: never signal a pid that now names another process.
      const reused = found.targets.filter((target) => {
        const now = readProcessStat(target.pid);
        return now !== undefined && now.startTicks !== target.startTicks;
      });
      const targets = found.targets.filter((target) => !reused.includes(target));
      const outcome = await stopProcesses({
        processes: targets,
        force: args.force,
        exec: (command) => context.exec(command),
        graceMilliseconds: timing.graceMilliseconds,
        killWaitMilliseconds: timing.killWaitMilliseconds,
        signal: context.signal,
        progress: (percent, message) => context.progress(percent, message),
      });
      const lines = [
        ...outcome.stopped.map(
          ({ process: stopped, by }) =>
            `  stopped ${stopped.name} (pid ${stopped.pid})${by === "exited" ? ": it had already exited" : ` with ${by}`}`,
        ),
        ...outcome.notPermitted.map(
          (other) => `  not allowed to stop ${other.name} (pid ${other.pid}): it belongs to ${other.user}`,
        ),
        ...outcome.stillRunning.map(
          (left) => `  could not verify ${left.name} (pid ${left.pid}) stopped: it is still there after SIGKILL`,
        ),
        ...reused.map((target) => `  left alone: pid ${target.pid} exited and now names another process`),
        ...found.spared.map(({ process: spared, reason }) => `  left alone: ${spared.name} (pid ${spared.pid}), ${reason}`),
      ];
      const success = outcome.stopped.length > 0 && outcome.notPermitted.length === 0 && outcome.stillRunning.length === 0;
      const heading = success
        ? `Stopped ${outcome.stopped.length} process${outcome.stopped.length === 1 ? "" : "es"}:`
        : "Not everything could be stopped:";
      return {
        success,
        message: [heading, ...lines].join("\n"),
        data: {
          outcome: success ? "stopped" : "partly-stopped",
          stopped: outcome.stopped.map(({ process: stopped, by }) => ({ ...processData(stopped), by })),
          notPermitted: outcome.notPermitted.map(processData),
          stillRunning: outcome.stillRunning.map(processData),
          spared: found.spared.map((spared) => ({ ...processData(spared.process), reason: spared.reason })),
        },
        suggestions: [
          ...(outcome.notPermitted.length > 0 ? ["Stop those as their owner, or run AstrOS with sudo"] : []),
          ...(outcome.stillRunning.length > 0 ? ["A process stuck in the kernel (state D) ends only when its I/O does"] : []),
        ],
      };
    },
  });
}

function nothingToStop(found: KillTargets, args: { name?: string | undefined }): HandlerResult {
  const data = {
    outcome: found.spared.length > 0 ? "protected" : found.notPermitted.length > 0 ? "not-permitted" : "not-found",
    spared: found.spared.map((spared) => ({ ...processData(spared.process), reason: spared.reason })),
    notPermitted: found.notPermitted.map(processData),
  };
  const refusals = [
    ...found.spared.map(({ process: spared, reason }) => `Not stopping ${spared.name} (pid ${spared.pid}): ${reason}.`),
    ...found.notPermitted.map(
      (other) =>
        `Cannot stop ${other.name} (pid ${other.pid}): it belongs to ${other.user}, and AstrOS may only signal its own user's processes.`,
    ),
  ];
  if (refusals.length > 0) {
    return {
      success: false,
      message: refusals.join("\n"),
      data,
      suggestions: found.notPermitted.length > 0 ? ["Stop it as its owner, or run AstrOS with sudo"] : [],
    };
  }
  if (found.hiddenSockets > 0) {
    return {
      success: false,
      message: `Cannot stop ${found.described}: it belongs to another user, and AstrOS cannot see which process it is.`,
      data: { ...data, outcome: "not-permitted" },
      suggestions: ["Run AstrOS as that user (or as root)"],
    };
  }
  return {
    success: false,
    message: `No running process matches: ${found.described}.`,
    data,
    suggestions:
      args.name !== undefined
        ? [`List processes mentioning "${args.name}" to find its exact name or pid`]
        : ["List the busiest processes to find its pid"],
  };
}
