import { desktopApps } from "../lexicon.js";
import { candidate, type IntentRule } from "../rule-input.js";

const topics: ReadonlyArray<readonly [topic: string, pattern: RegExp]> = [
  ["battery", /\b(?:battery|batteries|charge level|charge left|charge is left|charging|power level|plugged in)\b/],
  ["gpu", /\b(?:gpu|gpus|graphics card|graphics cards|video card|graphics|nvidia|cuda)\b/],
  ["memory", /\b(?:memory|ram|swap)\b/],
  [
    "disk",
    /\b(?:disk space|disk|disks|drive space|drives|storage|free space|space (?:left|free|available|remaining)|hard drive|ssd|partitions?|filesystems?|mounts?)\b/,
  ],
  [
    "network",
    /\b(?:ip|ip address|ips|network|networks|wifi|wi-fi|ethernet|interfaces?|internet connection|connected to the internet|mac address)\b/,
  ],
  [
    "uptime",
    /\b(?:uptime|been (?:up|on|running)|since (?:the )?(?:last )?boot|last boot|booted|last (?:restart|reboot)|up for|last (?:booted|started|restarted|rebooted)|when did (?:this|the|my) (?:computer|machine|system|pc|laptop|server) (?:last )?(?:boot|start|restart|reboot))\b/,
  ],
  [
    "os",
    /\b(?:os|operating system|version of (?:ubuntu|debian|fedora|linux|macos|windows)|(?:ubuntu|debian|fedora|arch|mint) version|kernel version|linux version|which linux|what linux|distro|distribution|kernel|os version|version of linux|ubuntu version|debian version|which os|what os)\b/,
  ],
  ["cpu", /\b(?:cpu|cpus|processor|processors|cores|core count|load average|system load|cpu load)\b/],
  [
    "hostname",
    /\b(?:hostname|host name|(?:computer|machine|pc|laptop|server)(?:'s)? name|name of (?:this|my|the) (?:computer|machine|pc|laptop|server|host))\b/,
  ],
];
const asking =
  /^(?:how|what|what's|whats|which|when|show|display|check|tell|give|get|report|list|is|am|are|do|does|print|view|see|my|the|current|system|battery|cpu|memory|ram|disk|uptime|os|gpu|network|free|available|remaining|kernel)\b/;
const allTopics =
  /\b(?:system (?:info|information|specs|details|status|overview|summary|stats|report)|(?:computer|machine|hardware|pc|laptop) (?:info|information|specs|details|status)|specs|about (?:this|my) (?:computer|machine|system|pc|laptop)|sysinfo|neofetch|system stats|everything about (?:the|my|this) (?:system|computer|machine))\b/;

/** system.info: "how much memory is free?", "what OS am I running", "battery status", "show system information". */
export const systemInfoRule: IntentRule = (input) => {
  const { lower } = input;
  if (allTopics.test(lower)) return candidate("system.info", 0.92, { topic: "all" });
  if (!asking.test(lower) && !/\b(?:status|usage|info|information|left|free|available)\b/.test(lower)) return undefined;
  if (
    /\b(?:taking|using|eating|hogging|filling)\s+(?:up\s+)?(?:all\s+)?(?:the\s+|my\s+)?(?:disk\s+)?space\b|\bhow (?:big|large) is\b|\bbiggest\b|\blargest\b/.test(
      lower,
    )
  )
    return undefined;
  if (/\b(?:process|processes|program|programs|port)\b/.test(lower) && !/\bhow many (?:cores|cpus)\b/.test(lower))
    return undefined;
  if (/\b(?:file|files|folder|folders|directory)\b/.test(lower)) return undefined;
  // "what was the wifi password at grandma's": a secret the person told AstrOS to keep, not this machine's facts.
  if (/\b(?:password|passcode|passphrase|pin|combination|code)\b|\bi (?:saved|told you|gave you|noted)\b/.test(lower))
    return undefined;
  if (/\bhow long\b.*\b(?:machine|computer|system|server|pc|laptop|it|box)\b.*\b(?:up|on|running)\b/.test(lower))
    return candidate("system.info", 0.9, { topic: "uptime" });
  if (/\bwhat(?:'s| is)? my ip\b|\bmy ip\b/.test(lower)) return candidate("system.info", 0.92, { topic: "network" });
  if (
    /\b(?:what|which) (?:os|operating system|linux|distro)\b.*\b(?:running|using|on|have|is this)\b|\bwhat (?:os|operating system) (?:am i|is this|do i)\b/.test(
      lower,
    )
  ) {
    return candidate("system.info", 0.92, { topic: "os" });
  }
  for (const [topic, pattern] of topics) {
    if (pattern.test(lower)) return candidate("system.info", 0.88, { topic });
  }
  return undefined;
};

/** system.open: "open firefox", "launch the terminal", "open https://example.com". */
export const openRule: IntentRule = (input) => {
  const { lower, text } = input;
  const verb =
    /^(?:open|launch|start|fire up|bring up|pull up|load|browse to|go to|visit|navigate to|run)\s+(?:up\s+)?(?:the\s+|my\s+|a\s+|an\s+)?/.exec(
      lower,
    );
  if (verb === null) return undefined;
  const rest = text
    .slice(verb[0].length)
    .trim()
    .replace(/[?!.]+$/, "");
  const restLower = rest.toLowerCase();
  if (rest === "") return undefined;
  if (
    /^(?:https?:\/\/|www\.)\S+$/i.test(rest) ||
    /^[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|edu|gov|co|uk|de|fr|app|ai)(?:\/\S*)?$/i.test(rest)
  ) {
    return candidate("system.open", 0.93, { target: rest });
  }
  const app = restLower.replace(/\s+(?:app|application|program|browser)$/, "");
  const inBrowser =
    /^(\S+\.\S+)\s+in\s+(?:the\s+|my\s+|a\s+)?(?:browser|web browser|firefox|chrome|chromium|a new tab|new tab)$/.exec(rest);
  if (inBrowser?.[1] !== undefined) return candidate("system.open", 0.9, { target: inBrowser[1] });
  const appWords = app.split(" ");
  const firstWord = appWords[0] ?? "";
  const lastWord = appWords[appWords.length - 1] ?? "";
  if (
    desktopApps.has(app) ||
    desktopApps.has(restLower) ||
    // "firefox developer edition", "google chrome", "microsoft teams"
    ((desktopApps.has(firstWord) || desktopApps.has(lastWord)) &&
      appWords.length <= 3 &&
      !/\b(?:and|then|tab|tabs|window|windows|file|files|with|in|on|to|for|my|the|a|an|source|new)\b/.test(app))
  ) {
    return candidate("system.open", /^run\b/.test(lower) ? 0.7 : 0.92, { target: app === "the terminal" ? "terminal" : app });
  }
  if (/^run\b/.test(lower)) return undefined;
  const file = input.mentions.find((mention) => mention.start >= verb[0].length && mention.kind !== "here");
  if (file !== undefined && /^(?:open|launch|load|pull up|bring up)\b/.test(lower) && lower.length - file.end < 3) {
    return candidate("system.open", 0.88, { target: file.path });
  }
  if (
    /^[\w.-]+$/.test(rest) &&
    /^(?:open|launch|start|fire up)\b/.test(lower) &&
    !/^(?:a|an|the|it|this|that|up|account|door|window|bottle|mind)$/.test(restLower)
  ) {
    return candidate("system.open", /^(?:launch|fire up)\b/.test(lower) ? 0.85 : 0.72, { target: rest });
  }
  return undefined;
};
