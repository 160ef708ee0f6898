import { programNames } from "../lexicon.js";
import { candidate, type IntentRule, type RuleInput } from "../rule-input.js";

const port = /\bport\s*(?:number\s*)?:?\s*(\d{1,5})\b|\b(?:on|at|using|to)\s+:(\d{1,5})\b|:(\d{2,5})\b/;
const listening = /\b(?:listening|running|bound|using|occupying|on|blocking|taking|holding|in use|serving|open)\b/;

function portOf(lower: string): number | undefined {
  const match = port.exec(lower);
  const value = Number(match?.[1] ?? match?.[2] ?? match?.[3]);
  return Number.isInteger(value) && value > 0 && value < 65536 ? value : undefined;
}

/** process.find_port: "what's running on port 3000", "which process is listening on 8080?". */
export const findPortRule: IntentRule = (input) => {
  const { lower } = input;
  if (killVerb.test(lower) || /^(?:take down|bring down|send)\b/.test(lower)) return undefined;
  let found = portOf(lower);
  if (found === undefined) {
    const bare = /\b(?:listening|running|bound|serving)\s+(?:on|at|to)\s+(\d{2,5})\b/.exec(lower);
    found = bare === null ? undefined : Number(bare[1]);
  }
  if (found === undefined || found > 65535) return undefined;
  if (/^(?:check|inspect|look at|status of|what about|port)\b/.test(lower))
    return candidate("process.find_port", 0.9, { port: found });
  if (!listening.test(lower) && !/\b(?:who|what|which|whats|what's|is)\b/.test(lower)) return undefined;
  return candidate("process.find_port", 0.93, { port: found });
};

const killVerb =
  /^(?:kill|nuke|force kill|force-kill|force quit|force-quit|stop|terminate|end task|end process|end|quit|close|shut down|shutdown|shut|halt|murder|pkill|killall|sigkill|abort|exit|free up|free|release|clear|unblock|take down|bring down|send (?:a\s+)?(?:sigterm|sigkill|sigint|sighup|kill signal|signal \d+|term signal)(?:\s+signal)?\s+to)\b/;
const processWords =
  /\b(?:process|processes|proc|pid|task|tasks|program|programs|app|application|server|service|daemon|job|instance|instances|port|script|scripts)\b/;

/** "all processes", "every running program", "everything that's running": every process there is. */
const everyProcess =
  /^(?:(?:all|every|each)\s+(?:of\s+)?(?:the\s+|my\s+)?(?:running\s+|open\s+|active\s+)?(?:processes|process|programs|program|apps|applications|tasks|jobs)(?:\s+(?:running|now|at once))?|everything(?:\s+(?:running|that'?s running|that is running|at once))?|all(?:\s+of\s+them)?\s+(?:processes|programs))$/;

/** Words that stand for what the turn before found ("stop it", "kill those", "end that process"). */
const processReference =
  /^(?:it|them|that|this|those|these|that one|this one|all of them|both|both of them|(?:that|this|the|those|these)\s+(?:process|processes|program|programs|server|servers|one|ones))$/;

/**
 * The processes "it"/"them" stand for: exactly those the turn before found (their pids), or the port it looked at.
 * Undefined when the words are no reference, or the turn before found no process.
 */
function previousProcesses(input: RuleInput, rest: string): Record<string, unknown> | undefined {
  const object = rest.replace(/\s+(?:now|immediately|please|right now|for me|down|off)$/, "").trim();
  if (!processReference.test(object)) return undefined;
  const previous = input.previous;
  if (previous === undefined || previous.sameRequest === true) return undefined;
  if (previous.pids !== undefined && previous.pids.length > 0) return { pids: previous.pids };
  if (previous.intent === "process.find_port" && typeof previous.slots.port === "number") return { port: previous.slots.port };
  if (previous.intent === "process.kill") {
    const { pid, pids, port, name } = previous.slots;
    const selector = Object.fromEntries(Object.entries({ pid, pids, port, name }).filter(([, value]) => value !== undefined));
    return Object.keys(selector).length > 0 ? selector : undefined;
  }
  return undefined;
}

/** process.kill: "kill process 4242", "stop firefox", "kill whatever is on port 3000", "end task chrome". */
export const killRule: IntentRule = (input) => {
  const { lower, text } = input;
  const verb = killVerb.exec(lower);
  if (verb === null) return undefined;
  const rest = lower.slice(verb[0].length).trim();
  const force = /^(?:force|sigkill)/.test(verb[0]) || /\b(?:force|forcefully|-9|sigkill|hard)\b/.test(lower) || undefined;
  const portNumber =
    portOf(lower) ?? Number(/\b(?:listening|running|bound|serving)\s+(?:on|at)\s+(\d{2,5})\b/.exec(lower)?.[1] ?? Number.NaN);
  if (portNumber !== undefined && !Number.isNaN(portNumber)) return candidate("process.kill", 0.92, { port: portNumber, force });
  if (/^(?:free|free up|release|clear|unblock)\b/.test(verb[0])) return undefined;
  const pid = /\b(?:pid|process(?:\s+(?:id|number))?|task)\s*#?\s*(\d+)\b|^(?:-9\s+|-kill\s+|-term\s+)?(\d+)$/.exec(rest);
  if (pid !== null) return candidate("process.kill", 0.93, { pid: Number(pid[1] ?? pid[2]), force });
  // "kill all processes", "stop everything running": never done; the tool refuses it and says why.
  if (everyProcess.test(rest)) return candidate("process.kill", 0.93, { everything: true });
  const referred = previousProcesses(input, rest);
  if (referred !== undefined) return candidate("process.kill", 0.9, { ...referred, force });
  const cleaned = rest
    .replace(/^(?:-9|-kill|-term|-f)\s+/, "")
    .replace(/^(?:all|every|any)\s+(?:of\s+)?(?:the\s+)?/, "")
    .replace(/^(?:the|my|that|this)\s+/, "")
    .replace(/\s+(?:that|which|who)(?:'s|\s+is|\s+are)?\s+.*$/, "")
    .replace(/\s+(?:now|immediately|please|right now|for me|down|off)$/, "")
    .replace(/\s+(?:down|off)$/, "");
  if (/^(?:it|them|that|this)$/.test(cleaned) && input.previous?.sameRequest === true) {
    const program = (input.previous.rest ?? "")
      .toLowerCase()
      .match(/[\w.+-]+/g)
      ?.find((word) => programNames.has(word));
    if (program !== undefined) return candidate("process.kill", 0.88, { name: program, force });
  }
  const named =
    /^([\w.+-]+)(?:\s+(?:process|processes|app|application|program|server|service|daemon|instances?|tasks?|windows?|script|scripts|job))?$/.exec(
      cleaned,
    );
  const name = named?.[1];
  if (name === undefined) {
    const after = /^(?:process|program|app|application|task)\s+(?:called|named)\s+([\w.+-]+)$/.exec(cleaned);
    if (after?.[1] === undefined) return undefined;
    return candidate("process.kill", 0.9, { name: after[1], force });
  }
  const known = programNames.has(name);
  const saysProcess = processWords.test(cleaned) && cleaned !== name;
  if (!known && !saysProcess) return undefined;
  // "end all the chewer processes": a soft verb stops an unknown name only when the words say it is a process's.
  const saysProcessByName = /\bprocess(?:es)?\b/.test(cleaned) && cleaned !== name;
  if (/^(?:end|exit|close|halt|abort|shut|shut down|shutdown|quit)$/.test(verb[0]) && !known && !saysProcessByName)
    return undefined;
  if (
    /^(?:the|it|this|that|everything|all|computer|machine|system|pc|laptop|music|lights?|timer|alarm|meeting|war|fight)$/.test(
      name,
    )
  )
    return undefined;
  const offset = lower.indexOf(name, verb[0].length);
  // "kill all the sleepy processes": a name said to be a process's is as sure as a program the lexicon knows.
  return candidate("process.kill", known || saysProcess ? 0.9 : 0.8, { name: text.slice(offset, offset + name.length), force });
};

const listVerb =
  /^(?:show|list|display|what|what's|whats|which|who|ps|top|htop|get|give|tell|check|are there|is there|how many|find)\b|\bprocesses\b|\btask manager\b/;

/** Words that are not a process's name in "how much memory is X using". */
const notAName =
  /^(?:it|this|that|everything|anything|something|being|the|my|this computer|the computer|the system|my computer|my system|my pc|my laptop|my machine|the machine|in use|left|free|available|used|there|installed)$/;

/**
 * "how much memory is cachewarm using", "how much ram does chrome use", "how much cpu is node taking": one named
 * program's share, listed by the resource asked about.
 */
function namedProcessUsage(lower: string): { name: string; sort: "memory" | "cpu" } | undefined {
  const match =
    /^(?:how much|what amount of|how many (?:mb|gb|megabytes|gigabytes) of)\s+(memory|ram|mem|cpu|processor)\s+(?:is|does|do|are)\s+(?:the\s+)?([\w.+-]+)(?:\s+(?:process|processes|program|app|server))?\s+(?:using|use|taking(?: up)?|take(?: up)?|eating(?: up)?|consuming|consume|hogging|need|needs|have|has)$/.exec(
      lower,
    );
  const name = match?.[2];
  if (match === null || name === undefined || notAName.test(name)) return undefined;
  return { name, sort: /^(?:cpu|processor)$/.test(match[1] ?? "") ? "cpu" : "memory" };
}

const countWords: Record<string, number> = { three: 3, five: 5, ten: 10, twenty: 20 };

function countOf(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  return countWords[word] ?? Number(word);
}

/**
 * "which program is eating my cpu?", "what's hogging all the ram", "which app uses the most memory": the heaviest
 * processes by the resource asked about.
 */
const hogQuestion =
  /^(?:what|which|who|whats|what's)\b.{0,40}?\b(?:eating|eats|hogging|hogs|using|uses|use|chewing|chews|chewing up|taking|takes|taking up|consuming|consumes|burning|maxing out|draining|hammering)\s+(?:up\s+)?(?:(?:the\s+)?most\s+(?:of\s+)?)?(?:all\s+)?(?:(?:my|the|so much|this|of the|of my|too much|that much|a lot of)\s+)*(cpu|memory|ram|processor|mem)\b|^(?:what|which|who)(?:'s| is)?\s+(?:the\s+)?(?:biggest\s+|worst\s+)?(cpu|memory|ram)\s+(?:hog|eater|user|consumer)s?\b/;

/** process.list: "show running processes", "top 5 processes by memory", "is nginx running?", "list all node processes". */
export const processListRule: IntentRule = (input) => {
  const { lower, text } = input;
  if (/^(?:kill|stop|terminate|end|quit|close|pkill|killall|force|murder|nuke|shut)\b/.test(lower)) return undefined;
  const usage = namedProcessUsage(lower);
  if (usage !== undefined) {
    const offset = lower.indexOf(usage.name);
    return candidate("process.list", 0.92, { sort: usage.sort, name: text.slice(offset, offset + usage.name.length) });
  }
  const hog = hogQuestion.exec(lower);
  if (hog !== null && !/\bport\b/.test(lower)) {
    const resource = hog[1] ?? hog[2] ?? "";
    return candidate("process.list", 0.92, { sort: /^(?:cpu|processor)$/.test(resource) ? "cpu" : "memory" });
  }
  if (/^ps(?:\s+\S+)*$|^top$|^htop$|\btask manager\b/.test(lower)) {
    // "ps for anything named postgres"
    const named = /\b(?:named|called|matching|like)\s+([\w.+-]+)$/.exec(lower);
    const offset = named === null ? -1 : named.index + named[0].length - (named[1]?.length ?? 0);
    return candidate("process.list", 0.9, { name: named === null ? undefined : text.slice(offset) });
  }
  const check =
    /^(?:check|see|tell me|find out)\s+(?:whether|if)\s+(?:the\s+)?([\w.+-]+)\s+(?:process\s+|server\s+|service\s+)?(?:is\s+)?(?:still\s+)?(?:running|up|alive|active)$|^(?:find|show|get)\s+(?:me\s+)?(?:the\s+)?([\w.+-]+)\s+process(?:es)?$/.exec(
      lower,
    );
  const checked = check?.[1] ?? check?.[2];
  if (checked !== undefined && (programNames.has(checked) || check?.[2] !== undefined)) {
    const offset = lower.indexOf(checked);
    return candidate("process.list", 0.88, { name: text.slice(offset, offset + checked.length) });
  }
  const running =
    /^is\s+(?:the\s+)?([\w.+-]+)(?:\s+(?:process|server|service|daemon|app))?\s+(?:still\s+)?(?:running|up|alive|active|started|on)$/.exec(
      lower,
    );
  if (running?.[1] !== undefined) {
    const offset = lower.indexOf(running[1]);
    return candidate("process.list", programNames.has(running[1]) ? 0.92 : 0.82, {
      name: text.slice(offset, offset + running[1].length),
    });
  }
  const memoryUsers = /\b(?:memory|ram|cpu)\s+(?:users|hogs|eaters|consumers)\b/.test(lower);
  const mentionsProcesses =
    (/\b(?:process|processes|procs|programs|apps|applications|tasks)\b/.test(lower) || memoryUsers) &&
    /\b(?:running|using|use|eating|hogging|consuming|taking|list|show|top|all|what|which|heaviest|busiest|biggest|most)\b/.test(
      lower,
    );
  const whatRuns =
    /\bwhat(?:'s| is)\s+running(?:\s+(?:right now|now|at the moment|on (?:this|my|the) (?:machine|computer|system|server|box|pc|laptop)))?$|\bwhat(?:'s| is)\s+(?:using|eating|hogging)\s+(?:my\s+|the\s+|all\s+|so much\s+)*(?:cpu|memory|ram)\b/.test(
      lower,
    );
  if (!mentionsProcesses && !whatRuns) return undefined;
  if (!listVerb.test(lower) && !whatRuns) return undefined;
  if (/\bport\b/.test(lower)) return undefined;
  const sort = /\b(?:memory|ram|mem)\b/.test(lower) ? "memory" : /\bcpu|processor\b/.test(lower) ? "cpu" : undefined;
  const limit =
    /\btop\s+(\d{1,4}|five|ten|twenty|three)\b|\b(\d{1,4}|three|five|ten|twenty)\s+(?:biggest|heaviest|busiest|top|largest|most|processes|programs|hungriest)\b/.exec(
      lower,
    );
  const nameMatch =
    /\b(?:all|the|any|my|running|active|open)\s+([\w.+-]+)\s+(?:processes|process|instances)\b|^(?:list|show|find)\s+([\w.+-]+)\s+process(?:es)?$|\bprocesses\s+(?:named|called|matching|for)\s+([\w.+-]+)\b|\b(?:anything|everything|something)\s+(?:named|called|matching)\s+([\w.+-]+)\b/.exec(
      lower,
    );
  const name = nameMatch?.[1] ?? nameMatch?.[2] ?? nameMatch?.[3] ?? nameMatch?.[4];
  const usable =
    name !== undefined && !/^(?:running|active|current|open|other|user|system|background|heavy|top|\d+)$/.test(name)
      ? name
      : undefined;
  return candidate("process.list", 0.88, {
    sort,
    limit: limit === null ? undefined : countOf(limit[1] ?? limit[2]),
    name: usable,
  });
};
