import { readFileSync } from "node:fs";

/** The machine's CPU time from /proc/stat: all cores' ticks together, and how many cores. */
export interface SystemCpuTicks {
  totalTicks: number;
  cores: number;
}

/** Parse /proc/stat's "cpu" line (the sum over cores) and count its "cpuN" lines. */
export function parseSystemCpuTicks(text: string): SystemCpuTicks {
  let totalTicks = 0;
  let cores = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("cpu ")) {
      totalTicks = line
        .slice(4)
        .trim()
        .split(/\s+/)
        // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
        .slice(0, 8)
        .reduce((sum, field) => sum + Number(field), 0);
    } else if (/^cpu\d+ /.test(line)) {
      cores += 1;
    }
  }
  return { totalTicks, cores: Math.max(1, cores) };
}

export function readSystemCpuTicks(): SystemCpuTicks {
  return parseSystemCpuTicks(readFileSync("/proc/stat", "utf8"));
}
