import { defineHandler, type HandlerResult, z } from "../../sdk.js";
import { loadSystemInformation } from "./load-systeminformation.js";
import { allTopics, readTopic, type SystemInfoTopic, systemInfoTopics } from "./system-info-topics.js";
import type { TtlCache } from "./ttl-cache.js";

/** A topic that takes longer than this (a hung vendor tool behind the GPU query, say) is reported as unavailable. */
const topicTimeoutMilliseconds = 10_000;

/** `system.info`: the machine's CPU, memory, disks, network, OS, uptime, battery and GPU. */
export function createSystemInfoHandler(cache: TtlCache) {
  return defineHandler({
    intent: "system.info",
    description:
      "Tell about this computer: CPU and load, memory, disks, network, operating system, uptime, battery, GPU, host name (or all)",
    examples: [
      "how much memory do I have",
      "how busy is the CPU",
      "how much disk space is left",
      "what's my IP address",
      "what's this computer's hostname",
      "which OS is this",
      "how long has the computer been up",
      "battery level",
      "what graphics card do I have",
      "system info",
    ],
    args: z.object({ topic: z.enum([...systemInfoTopics, "all"]).default("all") }),
    readOnly: true,
    run: async ({ topic }, context): Promise<HandlerResult> => {
      const topics: readonly SystemInfoTopic[] = topic === "all" ? allTopics : [topic];
      if (topics.length > 1) context.progress(undefined, `reading ${topics.join(", ")}`);
      const settled = await Promise.allSettled(
        topics.map((name) => withTimeout(readTopic(name, loadSystemInformation, cache), `${name} information`)),
      );
      const data: Record<string, unknown> = { topic };
      const lines: string[] = [];
      const failed: string[] = [];
      settled.forEach((result, index) => {
        const name = topics[index] as SystemInfoTopic;
        if (result.status === "fulfilled") {
          data[name] = result.value.data;
          lines.push(result.value.summary);
        } else {
          const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
          data[name] = { error: reason };
          failed.push(name);
          lines.push(`${name}: unavailable (${reason})`);
        }
      });
      return {
        success: failed.length < topics.length,
        message: lines.join("\n"),
        data,
        ...(failed.length === 0 ? {} : { suggestions: [`Ask again for ${failed.join(", ")} in a moment`] }),
      };
    },
  });
}

function withTimeout<Value>(promise: Promise<Value>, what: string): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`reading ${what} took longer than ${topicTimeoutMilliseconds / 1000} s`)),
      topicTimeoutMilliseconds,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
