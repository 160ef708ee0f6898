import os from "node:os";
import { formatBytes } from "../shared/format-bytes.js";
import { formatDuration } from "./format-duration.js";
import type { SystemInformation } from "./load-systeminformation.js";
import type { TtlCache } from "./ttl-cache.js";

export const systemInfoTopics = ["cpu", "memory", "disk", "network", "os", "uptime", "battery", "gpu", "hostname"] as const;
export type SystemInfoTopic = (typeof systemInfoTopics)[number];
/** What "all" reports: every topic but the host name alone (the os line names the host). */
export const allTopics: readonly SystemInfoTopic[] = systemInfoTopics.filter((topic) => topic !== "hostname");

/** What one topic reports: numbers a program can use (bytes, percent, seconds), and a line for people. */
export interface TopicReport {
  data: Record<string, unknown> & { sampledAt: string };
  summary: string;
}

interface TopicReader {
  /** How long a reading stays fresh: seconds for what changes (load, memory), minutes for what does not. */
  ttlMilliseconds: number;
  read(system: SystemInformation, cache: TtlCache): Promise<Omit<TopicReport["data"], "sampledAt"> & { summary: string }>;
}

const second = 1_000;
const minute = 60 * second;

const readers: Record<SystemInfoTopic, TopicReader> = {
  cpu: {
    ttlMilliseconds: 3 * second,
    async read(system, cache) {
      // The model and core counts do not change while AstrOS runs; the load does.
      const [cpu, load] = await Promise.all([cache.get("cpu-model", 10 * minute, () => system.cpu()), system.currentLoad()]);
      const [one, five, fifteen] = os.loadavg();
      const cores = cpu.cores || os.availableParallelism();
      const loadPercent = round(load.currentLoad);
      return {
        model: `${cpu.manufacturer} ${cpu.brand}`.trim(),
        cores,
        physicalCores: cpu.physicalCores || cores,
        speedGHz: cpu.speed || null,
        loadPercent,
        loadPercentPerCore: load.cpus.map((core) => round(core.load)),
        loadAverage: { oneMinute: one, fiveMinutes: five, fifteenMinutes: fifteen },
        summary: `CPU: ${`${cpu.manufacturer} ${cpu.brand}`.trim()}, ${cores} cores, ${loadPercent}% busy (load average ${one?.toFixed(2)})`,
      };
    },
  },
  memory: {
    ttlMilliseconds: 3 * second,
    async read(system) {
      const memory = await system.mem();
      // "Used" as people mean it: what programs hold, not the cache the kernel would give back.
      const used = memory.total - memory.available;
      const usedPercent = round((used / memory.total) * 100);
      return {
        totalBytes: memory.total,
        usedBytes: used,
        availableBytes: memory.available,
        freeBytes: memory.free,
        cacheBytes: memory.buffcache,
        usedPercent,
        swapTotalBytes: memory.swaptotal,
        swapUsedBytes: memory.swapused,
        summary:
          `Memory: ${formatBytes(used)} of ${formatBytes(memory.total)} used (${usedPercent}%), ${formatBytes(memory.available)} available` +
          (memory.swaptotal > 0 ? `; swap ${formatBytes(memory.swapused)} of ${formatBytes(memory.swaptotal)}` : ""),
      };
    },
  },
  disk: {
    ttlMilliseconds: 15 * second,
    async read(system) {
      const filesystems = (await system.fsSize())
        .filter((entry) => entry.size > 0)
        .map((entry) => ({
          filesystem: entry.fs,
          type: entry.type,
          mount: entry.mount,
          sizeBytes: entry.size,
          usedBytes: entry.used,
          availableBytes: entry.available,
          usedPercent: round(entry.use),
          readOnly: entry.rw === false,
        }));
      const lines = filesystems.map(
        (entry) =>
          `${entry.mount} ${formatBytes(entry.usedBytes)} of ${formatBytes(entry.sizeBytes)} used (${entry.usedPercent}%), ${formatBytes(entry.availableBytes)} free`,
      );
      return { filesystems, summary: `Disks: ${lines.length === 0 ? "none found" : lines.join("; ")}` };
    },
  },
  network: {
    ttlMilliseconds: 15 * second,
    async read(system) {
      const interfaces = (await system.networkInterfaces()).map((entry) => ({
        name: entry.iface,
        default: entry.default,
        ip4: entry.ip4 || null,
        ip6: entry.ip6 || null,
        mac: entry.mac || null,
        state: entry.operstate,
        type: entry.type,
        internal: entry.internal,
        virtual: entry.virtual,
        speedMbps: entry.speed,
      }));
      const shown = interfaces
        .filter((entry) => !entry.internal)
        .map(
          (entry) =>
            `${entry.name}${entry.default ? " (default)" : ""} ${entry.ip4 ?? entry.ip6 ?? "no address"}, ${entry.state}`,
        );
      return {
        interfaces,
        defaultInterface: interfaces.find((entry) => entry.default)?.name ?? null,
        summary: `Network: ${shown.length === 0 ? "no interfaces besides loopback" : shown.join("; ")}`,
      };
    },
  },
  os: {
    ttlMilliseconds: 10 * minute,
    async read(system) {
      const info = await system.osInfo();
      return {
        platform: info.platform,
        distro: info.distro,
        release: info.release,
        codename: info.codename,
        kernel: info.kernel,
        arch: info.arch,
        hostname: info.hostname,
        summary: `System: ${info.distro} ${info.release}${info.codename === "" ? "" : ` (${info.codename})`}, kernel ${info.kernel}, ${info.arch}, host ${info.hostname}`,
      };
    },
  },
  hostname: {
    ttlMilliseconds: 10 * minute,
    async read() {
      const hostname = os.hostname();
      return { hostname, summary: `Hostname: ${hostname}` };
    },
  },
  uptime: {
    ttlMilliseconds: 1 * second,
    async read(system) {
      const time = system.time();
      const uptimeSeconds = Math.round(Number(time.uptime));
      const bootTime = new Date(Number(time.current) - uptimeSeconds * 1000).toISOString();
      return {
        uptimeSeconds,
        bootTime,
        timezone: time.timezoneName,
        summary: `Uptime: ${formatDuration(uptimeSeconds)} (since ${bootTime})`,
      };
    },
  },
  battery: {
    ttlMilliseconds: 30 * second,
    async read(system) {
      const battery = await system.battery();
      if (!battery.hasBattery) return { hasBattery: false, summary: "Battery: none (this computer has no battery)" };
      const healthPercent =
        battery.designedCapacity > 0 && battery.maxCapacity > 0
          ? round((battery.maxCapacity / battery.designedCapacity) * 100)
          : null;
      const minutesLeft = battery.timeRemaining > 0 ? battery.timeRemaining : null;
      return {
        hasBattery: true,
        percent: battery.percent,
        isCharging: battery.isCharging,
        acConnected: battery.acConnected,
        timeRemainingMinutes: minutesLeft,
        cycleCount: battery.cycleCount || null,
        healthPercent,
        summary:
          `Battery: ${battery.percent}%, ${battery.isCharging ? "charging" : battery.acConnected ? "plugged in" : "on battery"}` +
          (minutesLeft === null ? "" : `, about ${formatDuration(minutesLeft * 60)} left`),
      };
    },
  },
  gpu: {
    ttlMilliseconds: 10 * minute,
    async read(system) {
      const graphics = await system.graphics();
      const controllers = graphics.controllers.map((controller) => ({
        vendor: controller.vendor,
        model: controller.model,
        bus: controller.bus,
        vramBytes: controller.vram === null || controller.vram <= 0 ? null : controller.vram * 1024 * 1024,
        vramDynamic: controller.vramDynamic,
        ...(controller.driverVersion === undefined ? {} : { driverVersion: controller.driverVersion }),
        ...(controller.utilizationGpu === undefined ? {} : { utilizationPercent: controller.utilizationGpu }),
      }));
      const displays = graphics.displays.map((display) => ({
        model: display.model,
        main: display.main,
        resolution: display.currentResX === null ? null : { width: display.currentResX, height: display.currentResY },
      }));
      const names = controllers.map(
        (controller) =>
          `${controller.vendor} ${controller.model}`.trim() +
          (controller.vramBytes === null ? "" : ` (${formatBytes(controller.vramBytes)})`),
      );
      return {
        hasGpu: controllers.length > 0,
        controllers,
        displays,
        summary: `GPU: ${names.length === 0 ? "none found (no graphics controller is visible to the system)" : names.join("; ")}`,
      };
    },
  },
};

/** Read one topic, through the cache: within its time to live, the same report object is returned. */
export function readTopic(
  topic: SystemInfoTopic,
  system: () => Promise<SystemInformation>,
  cache: TtlCache,
): Promise<TopicReport> {
  const reader = readers[topic];
  return cache.get(`topic:${topic}`, reader.ttlMilliseconds, async () => {
    const { summary, ...data } = await reader.read(await system(), cache);
    return { data: { ...data, sampledAt: new Date().toISOString() }, summary };
  });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
