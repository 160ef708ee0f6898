import os from "node:os";
import { defineHandler, type HandlerResult, z } from "../../sdk.js";
import { formatBytes } from "../shared/format-bytes.js";
import { type ProcessRow, processData } from "./describe-process.js";
import { readProcessTable } from "./proc-process-table.js";
import { mentions, shortCommand } from "./process-matching.js";
import { sampleCpuUsage } from "./sample-cpu-usage.js";
import { readSystemCpuTicks } from "./system-cpu-ticks.js";
import { listWithSystemInformation } from "./systeminformation-processes.js";

/** How long CPU use is watched: long enough for 2% steps at 100 ticks a second, short enough to wait for. */
export const cpuSampleMilliseconds = 500;

const listArguments = z.object({
  sort: z.enum(["cpu", "memory"]).default("cpu"),
  name: z.string().trim().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(10),
});

/**
 * `process.list`: the busiest processes. On Linux it reads /proc itself: measured here, a full
 * scan cost about 4-12 ms (6 ms of CPU) for ~100 processes against 150-380 ms for
 * systeminformation's processes(), which starts `ps` and, on a first call, reports each process's
 * lifetime average instead of its current CPU use. CPU use needs two readings, so a CPU listing
 * takes half a second; a memory listing needs one.
 */
export const listProcessesHandler = defineHandler({
  intent: "process.list",
  description: "List the processes using the most CPU or memory, optionally only those whose name or command mentions a word",
  examples: [
    "what's eating my CPU",
    "which processes use the most memory",
    "top processes",
    "show running node processes",
    "is postgres running",
  ],
  args: listArguments,
  readOnly: true,
  requiresPermissions: ["process"],
  run: async ({ sort, name, limit }, context): Promise<HandlerResult> => {
    const totalMemory = os.totalmem();
    if (process.platform !== "linux") {
      context.progress(undefined, "asking the system for its processes");
      const rows = await listWithSystemInformation({ sort, name, limit });
      return answer({ sort, name, limit, matched: rows.matched, rows: rows.processes, sampleMilliseconds: undefined });
    }
    const before = readSystemCpuTicks();
    let table = await readProcessTable();
    // AstrOS's own command line holds the request ("is postgres running"): it never counts as a match.
    // Nor does the shell that started it, when only its command line (the request again) mentions the name.
    if (name !== undefined)
      table = table.filter(
        (record) =>
          record.pid !== process.pid &&
          mentions(record, name) &&
          !(record.pid === process.ppid && !record.name.toLowerCase().includes(name.toLowerCase())),
      );
    let cpu: Map<number, number> | undefined;
    if (sort === "cpu" && table.length > 0) {
      context.progress(10, `watching CPU use for ${cpuSampleMilliseconds / 1000} s`);
      cpu = await sampleCpuUsage(table, { before, intervalMilliseconds: cpuSampleMilliseconds, signal: context.signal });
      const sampled = cpu;
      table = table.filter((record) => sampled.has(record.pid)); // Exited while it was watched.
    }
    const rows = table
      .map((record) => ({
        ...processData(record),
        ...(cpu === undefined ? {} : { cpuPercent: round(cpu.get(record.pid) ?? 0) }),
        memoryPercent: round((record.memoryBytes / totalMemory) * 100),
      }))
      .sort((a, b) => (sort === "cpu" ? (b.cpuPercent ?? 0) - (a.cpuPercent ?? 0) : 0) || b.memoryBytes - a.memoryBytes)
      .slice(0, limit);
    return answer({
      sort,
      name,
      limit,
      matched: table.length,
      rows,
      sampleMilliseconds: cpu === undefined ? undefined : cpuSampleMilliseconds,
    });
  },
});

function answer(listing: {
  sort: "cpu" | "memory";
  name: string | undefined;
  limit: number;
  matched: number;
  rows: ProcessRow[];
  sampleMilliseconds: number | undefined;
}): HandlerResult {
  const { sort, name, rows } = listing;
  const data = {
    sort,
    ...(name === undefined ? {} : { name }),
    limit: listing.limit,
    matched: listing.matched,
    ...(listing.sampleMilliseconds === undefined ? {} : { sampleMilliseconds: listing.sampleMilliseconds }),
    processes: rows,
  };
  if (rows.length === 0) {
    return {
      success: true,
      message: name === undefined ? "No processes found." : `No running process mentions "${name}".`,
      data,
      suggestions: name === undefined ? [] : ["List all processes without a name filter"],
    };
  }
  const heading =
    `${name === undefined ? "Top" : `Processes mentioning "${name}", top`} ${rows.length}` +
    `${listing.matched > rows.length ? ` of ${listing.matched}` : ""} by ${sort === "cpu" ? "CPU" : "memory"}:`;
  const lines = rows.map(
    (row) =>
      `  ${row.cpuPercent === undefined ? "" : `${row.cpuPercent.toFixed(1).padStart(5)}% CPU  `}` +
      `${formatBytes(row.memoryBytes).padStart(8)}  ${row.name} (pid ${row.pid}, ${row.user}) ${shortCommand(row.command, 60)}`,
  );
  return { success: true, message: [heading, ...lines].join("\n"), data };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
