import type { CommandContext, RuleFinding } from "./code-runners.js";
import { maxRisk } from "./risk-level.js";
import type { ShellWord } from "./shell-words.js";

/** ssh options that take a value (OpenSSH's getopt string). */
const sshOptionsWithValue = new Set(
  [
    "-B",
    "-b",
    "-c",
    "-D",
    "-E",
    "-e",
    "-F",
    "-I",
    "-i",
    "-J",
    "-L",
    "-l",
    "-m",
    "-O",
    "-o",
    "-P",
    "-p",
    "-Q",
    "-R",
    "-S",
    "-W",
    "-w",
  ].map((option) => option.slice(1)),
);

/** Options of `docker run` / `podman run` that take a value, as far as mounts and privileges are concerned. */
const containerOptionsWithValue = new Set([
  "-v",
  "--volume",
  "--mount",
  "-e",
  "--env",
  "--name",
  "-w",
  "--workdir",
  "-u",
  "--user",
  "-p",
  "--publish",
  "--network",
  "--entrypoint",
  "-h",
  "--hostname",
  "--cap-add",
  "--device",
  "--pid",
  "--ipc",
  "--userns",
  "--security-opt",
]);

const moderate = (reason: string): RuleFinding => ({ level: "MODERATE", reason });
const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });

function nestedFinding(label: string, code: string, context: CommandContext, atLeast?: RuleFinding): RuleFinding {
  const nested = context.judgeNested(code);
  const finding = { level: nested.level, reason: `${label} runs: ${nested.reasons.join("; ") || code}` };
  return atLeast === undefined ? finding : { ...finding, level: maxRisk(finding.level, atLeast.level) };
}

/**
 * `ssh host 'rm -rf /'`: the remote command is a shell line like any other (ssh joins its words
 * with spaces and the remote shell parses them), and it is judged as one: wiping a server is no
 * better than wiping this machine.
 */
function judgeSsh(words: ShellWord[], context: CommandContext): RuleFinding {
  let index = 1;
  for (; index < words.length; index++) {
    const value = words[index]?.value;
    if (value === undefined) return dangerous("ssh with arguments computed at run time");
    if (value === "--") {
      index++;
      break;
    }
    if (!value.startsWith("-")) break;
    const letters = value.slice(1);
    // `-p22` carries its value; `-p 22` takes the next word; `-tt`, `-vA` are flags only.
    const takesValue = [...letters].findIndex((letter) => sshOptionsWithValue.has(letter));
    if (takesValue >= 0 && takesValue === letters.length - 1) index++;
  }
  const remote = words.slice(index + 1);
  if (remote.length === 0) return moderate("ssh opens a shell on another machine");
  if (remote.some((word) => word.value === undefined)) return dangerous("ssh runs a remote command computed at run time");
  return nestedFinding(
    "ssh",
    remote.map((word) => word.value).join(" "),
    context,
    moderate("ssh runs a command on another machine"),
  );
}

/** Host paths a container may not see writable: the root, system trees, the home folder. */
function sensitiveMount(spec: string, home: string): string | undefined {
  const source =
    spec.startsWith("type=") || spec.includes("source=") || spec.includes("src=")
      ? /(?:^|,)(?:source|src)=([^,]+)/.exec(spec)?.[1]
      : spec.split(":")[0];
  if (source === undefined) return undefined;
  const trimmed = source.replace(/\/+$/, "") || "/";
  if (trimmed === "/" || /^\/(?:etc|usr|bin|sbin|lib|lib64|boot|dev|proc|sys|var|root)(?:\/|$)/.test(trimmed)) return source;
  if (trimmed === home || trimmed === "~" || trimmed === "$HOME") return source;
  if (/\/var\/run\/docker\.sock$|\/run\/docker\.sock$/.test(trimmed)) return source;
  return undefined;
}

/**
 * `docker run -v /:/host …`, `--privileged`, `--pid=host`: a container given the host's root, its
 * system folders, the docker socket or its privileges can change the machine as root.
 */
function judgeContainer(name: string, words: ShellWord[], context: CommandContext): RuleFinding {
  const values = words.map((word) => word.value ?? word.text);
  const subcommand = values.slice(1).find((value) => !value.startsWith("-"));
  if (subcommand !== "run" && subcommand !== "create" && subcommand !== "exec")
    return moderate(`${name} ${subcommand ?? ""}`.trim());
  for (let index = 1; index < values.length; index++) {
    const value = values[index] ?? "";
    if (value === "--privileged" || /^--(?:pid|ipc|userns|network|net)=host$/.test(value))
      return dangerous(`${name} ${subcommand} gives the container the host's privileges (${value})`);
    if (/^--cap-add(=|$)/.test(value) && /SYS_ADMIN|ALL/i.test(value + (values[index + 1] ?? "")))
      return dangerous(`${name} ${subcommand} gives the container administrator capabilities`);
    const inline = /^(?:-v|--volume|--mount)=(.+)$/.exec(value) ?? /^-v(\/.+)$/.exec(value);
    const spec = inline?.[1] ?? (["-v", "--volume", "--mount"].includes(value) ? values[index + 1] : undefined);
    const mounted = spec === undefined ? undefined : sensitiveMount(spec, context.homeDirectory);
    if (mounted !== undefined) return dangerous(`${name} ${subcommand} mounts ${mounted} from this machine into the container`);
    if (containerOptionsWithValue.has(value)) index++;
  }
  return moderate(`${name} ${subcommand} runs a container`);
}

/** `vim -c '!rm -rf ~'`, `vim +'!cmd'`, `gdb -ex 'shell cmd'`: editor and debugger commands that shell out. */
function judgeShellOut(name: string, words: ShellWord[], context: CommandContext): RuleFinding | undefined {
  const commands: string[] = [];
  const values = words.map((word) => word.value ?? word.text);
  for (let index = 1; index < values.length; index++) {
    const value = values[index] ?? "";
    if (name === "gdb" && (value === "-ex" || value === "--ex" || value === "-eval-command"))
      commands.push(values[++index] ?? "");
    else if (name !== "gdb" && (value === "-c" || value === "--cmd")) commands.push(values[++index] ?? "");
    else if (name !== "gdb" && value.startsWith("+")) commands.push(value.slice(1));
  }
  const shellLines = commands
    .map((command) =>
      name === "gdb" ? /^\s*(?:shell|!)\s*(.*)$/.exec(command)?.[1] : /^\s*(?:\d*,?\d*)?!\s*(.*)$/.exec(command)?.[1],
    )
    .filter((line): line is string => line !== undefined);
  if (shellLines.length === 0) return undefined;
  const findings = shellLines.map((line) => nestedFinding(name, line, context, dangerous(`${name} runs a shell command`)));
  return findings.reduce((worst, finding) => (maxRisk(worst.level, finding.level) === worst.level ? worst : finding));
}

const editors = new Set(["vim", "vi", "nvim", "view", "ex", "gdb"]);

/** Programs that run commands elsewhere (another machine, a container) or shell out on request; undefined for others. */
export function judgeRemoteRunner(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] | undefined {
  if (name === "ssh") return [judgeSsh(words, context)];
  if (name === "docker" || name === "podman") return [judgeContainer(name, words, context)];
  if (editors.has(name)) {
    const finding = judgeShellOut(name, words, context);
    return finding === undefined ? undefined : [finding];
  }
  return undefined;
}
