import type { ProcessRow } from "./describe-process.js";

/**
 * The process listing where there is no /proc (macOS, Windows): systeminformation's processes(),
 * loaded only when needed. Its CPU figure comes from `ps` (on a first call, the lifetime average).
 */
export async function listWithSystemInformation(options: {
  sort: "cpu" | "memory";
  name: string | undefined;
  limit: number;
}): Promise<{ matched: number; processes: ProcessRow[] }> {
  const { default: systemInformation } = await import("systeminformation");
  const wanted = options.name?.toLowerCase();
  const list = (await systemInformation.processes()).list.filter(
    (entry) => wanted === undefined || entry.name.toLowerCase().includes(wanted) || entry.command.toLowerCase().includes(wanted),
  );
  const rows = list.map((entry) => ({
    pid: entry.pid,
    name: entry.name,
    command: [entry.command, entry.params].filter((part) => part !== "").join(" "),
    user: entry.user,
    memoryBytes: entry.memRss * 1024,
    memoryPercent: entry.mem,
    cpuPercent: Math.round(entry.cpu * 10) / 10,
  }));
  rows.sort((a, b) => (options.sort === "cpu" ? b.cpuPercent - a.cpuPercent : 0) || b.memoryBytes - a.memoryBytes);
  return { matched: rows.length, processes: rows.slice(0, options.limit) };
}
