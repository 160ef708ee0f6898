import type { CommandContext, RuleFinding } from "./code-runners.js";
import { sensitiveWrite, targetKind } from "./protected-targets.js";
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

/** Vim's command modifiers and ranges before a command: `:`, `silent!`, `sil`, `1,$`, `keepalt`. */
const vimPrefix = /^(?:\s*:?\s*(?:[\d.$%,']*|sil(?:ent)?!?|keepa(?:lt)?|noa(?:utocmd)?|uns(?:ilent)?|verb(?:ose)?!?)\s*)*/;

/**
 * The shell command a Vim command line runs: `!cmd`, `silent !cmd`, `:!cmd`, `exe "!cmd"`,
 * `call system("cmd")`; a line Vim evaluates in a way the guard cannot read (`exe` of anything
 * but a plain string, `lua`, `py`, `perl`, `ruby`) is given as undefined text to judge as unknown code.
 */
function vimShellLine(command: string): string | undefined {
  const rest = command.replace(vimPrefix, "");
  // `exe`, `exec`, `execu`…: Vim takes any abbreviation down to `exe`.
  const executed = /^exe(?:c(?:u(?:te?)?)?)?\s+(["'])(.*)\1\s*$/s.exec(rest);
  if (executed?.[2] !== undefined) return vimShellLine(executed[2]);
  const bang = /^\s*:?\s*(?:sil(?:ent)?!?\s*)*!\s*(.*)$/s.exec(rest);
  if (bang !== null) return bang[1];
  // `r !cmd` reads what cmd prints; `w !cmd` gives cmd the buffer: both run cmd (`w! file` only writes).
  const piped = /^(?:r(?:e(?:ad?)?)?\s*!|w(?:r(?:i(?:te?)?)?)?\s+!)\s*(.*)$/s.exec(rest);
  if (piped !== null) return piped[1];
  const system = /\b(?:system|systemlist|job_start|jobstart|termopen|term_start)\s*\(\s*["'](.*)["']/s.exec(command);
  if (system !== null) return system[1];
  if (
    /^\s*(?:exe(?:cute)?|lua|luado|luafile|py3?|python3?|pyx|perl|ruby|call|let|so(?:urce)?|r(?:ead)?\s*!|term(?:inal)?)\b/.test(
      rest,
    )
  )
    return "$(vim-evaluates-code)";
  return undefined;
}

/**
 * `vim -c 'w! FILE'`, `sav! FILE`, `w FILE`: writes judged as writes of FILE (a start-up file or a
 * protected folder is DANGEROUS); `-u FILE`, `-S FILE` run a Vim script the guard cannot read.
 */
function vimWritesAndScripts(name: string, words: ShellWord[], commands: string[], context: CommandContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const values = words.map((word) => word.value);
  for (const [index, value] of values.entries()) {
    if (value !== "-u" && value !== "-S" && value !== "-U") continue;
    const file = values[index + 1];
    if (file === "NONE" || file === "NORC" || file === "DEFAULTS") continue;
    findings.push(dangerous(`${name} ${value} runs the Vim script ${file ?? "named at run time"}, which can run commands`));
  }
  for (const command of commands) {
    const written = /^\s*(?:w(?:rite)?|sav(?:eas)?|x(?:it)?|wq|up(?:date)?)!?\s+(?:>>\s*)?(\S.*)$/s.exec(
      command.replace(vimPrefix, ""),
    );
    if (written?.[1] === undefined) continue;
    const target: ShellWord = { value: written[1].trim(), text: written[1].trim() };
    const why = sensitiveWrite(target, context.targets);
    const kind = targetKind(target, context.targets);
    if (why !== undefined) findings.push(dangerous(`${name} writes ${target.text}: ${why}`));
    else if (kind === "root" || kind === "system" || kind === "home" || kind === "dynamic")
      findings.push(dangerous(`${name} writes ${target.text}, a protected folder or a path known only at run time`));
  }
  return findings;
}

/** `gdb -x FILE`, `--command=FILE`, `-ix FILE`: a gdb script the guard cannot read, which can run shell commands. */
function gdbScripts(values: readonly string[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const [index, value] of values.entries()) {
    const attached = /^--?(?:command|init-command)=(.+)$/.exec(value)?.[1];
    const file = attached ?? (/^--?(x|ix|command|init-command)$/.test(value) ? (values[index + 1] ?? "") : undefined);
    if (file !== undefined)
      findings.push(dangerous(`gdb runs the script ${file || "named at run time"}, which can run commands`));
  }
  return findings;
}

/** `vim -c '!rm -rf ~'`, `vim +'!cmd'`, `gdb -ex 'shell cmd'`: editor and debugger commands that shell out. */
function judgeShellOut(name: string, words: ShellWord[], context: CommandContext): RuleFinding | undefined {
  const commands: string[] = [];
  const values = words.map((word) => word.value ?? word.text);
  for (let index = 1; index < values.length; index++) {
    const value = values[index] ?? "";
    if (name === "gdb" && /^--?(ex|iex|eval-command|init-eval-command)$/.test(value)) commands.push(values[++index] ?? "");
    else if (name === "gdb" && /^--?(eval-command|init-eval-command)=/.test(value)) commands.push(value.replace(/^[^=]*=/, ""));
    else if (name !== "gdb" && (value === "-c" || value === "--cmd")) commands.push(values[++index] ?? "");
    else if (name !== "gdb" && value.startsWith("+")) commands.push(value.slice(1));
  }
  const shellLines = commands
    .map((command) => (name === "gdb" ? /^\s*(?:shell|!)\s*(.*)$/.exec(command)?.[1] : vimShellLine(command)))
    .filter((line): line is string => line !== undefined);
  const findings = shellLines.map((line) => nestedFinding(name, line, context, dangerous(`${name} runs a shell command`)));
  if (name !== "gdb") findings.push(...vimWritesAndScripts(name, words, commands, context));
  else findings.push(...gdbScripts(values));
  if (findings.length === 0) return undefined;
  return findings.reduce((worst, finding) => (maxRisk(worst.level, finding.level) === worst.level ? worst : finding));
}

const editors = new Set(["vim", "vi", "nvim", "view", "ex", "gdb"]);

/** Programs that run commands elsewhere (another machine, a container) or shell out on request; undefined for others. */
export function judgeRemoteRunner(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] | undefined {
  if (name === "ssh") return [judgeSsh(words, context)];
  if (name === "docker" || name === "podman") return [judgeContainer(name, words, context)];
  // `emacs --batch --eval '(…)'`, `emacs -l file.el`: Lisp the guard cannot read, which can do anything.
  if (name === "emacs" || name === "emacsclient") {
    const code = words.find((word) => /^(--?eval|-l|--load|--script|-f|--funcall|-x|-e)(=|$)/.test(word.value ?? word.text));
    return code === undefined ? undefined : [dangerous(`${name} ${code.text} runs Lisp code, which can do anything`)];
  }
  if (editors.has(name)) {
    const finding = judgeShellOut(name, words, context);
    return finding === undefined ? undefined : [finding];
  }
  return undefined;
}
