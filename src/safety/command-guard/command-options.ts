import type { CommandContext, RuleFinding } from "./code-runners.js";
import { optionValues, runsOption } from "./option-commands.js";
import { maxRisk } from "./risk-level.js";
import type { ShellWord } from "./shell-words.js";

/**
 * An option of a program that makes it run a command line or a program (`rsync -e CMD`,
 * `ssh -o ProxyCommand=CMD`, `git difftool -x CMD`), or read a file the guard cannot see that can
 * (`ssh -F config`, `git --git-dir=…`).
 */
export interface CommandOption {
  /** Only after this subcommand (`git difftool`). */
  readonly subcommand?: string;
  /** `--opt=value` and `--opt value`. */
  readonly long?: readonly string[];
  /** `-X value` and `-Xvalue`. */
  readonly short?: readonly string[];
  /** `-o Key=value`, `-oKey=value`, `-o 'Key value'`: the option letter and the keys (any case) whose value runs. */
  readonly keyed?: { readonly option: string; readonly keys: readonly string[] };
  /** `NAME=value` arguments (`make SHELL=…`). */
  readonly assignments?: readonly string[];
  /** `NAME != CMD` arguments, which run CMD as they are read (make). */
  readonly shellAssignments?: boolean;
  /** The words after this one are the command (`git submodule foreach CMD`, `git bisect run CMD`). */
  readonly restAfter?: string;
  /** An argument starting with one of these and a space runs the rest (`sqlite3 db ".shell CMD"`, `psql -c "\\! CMD"`). */
  readonly wordPrefixes?: readonly string[];
  /** Only a value starting with one of these runs, the prefix removed (`--checkpoint-action=exec=CMD`, `strace -o "|CMD"`). */
  readonly prefixes?: readonly string[];
  /** Word prefixes are matched in any case (`socat - exec:CMD`). */
  readonly anyCase?: boolean;
  /** The value ends before this text (`socat - EXEC:CMD,pty`: options follow the comma). */
  readonly cutAt?: string;
  /** Old-style bundled letters with their values in the words that follow (`tar cIf CMD a.tar`): the letters that take a value, and those whose value runs. */
  readonly oldStyle?: { readonly valued: string; readonly runs: string };
  /** The value is only ever attached (`--exec-path=DIR`, `-Ocmd`): the bare option takes none (`git --exec-path` prints). */
  readonly attachedOnly?: boolean;
  /** Only these values run anything (`make -f /dev/stdin`). */
  readonly only?: readonly string[];
  /** Values that run nothing (`ProxyCommand=none`, `ssh -F /dev/null`, `make SHELL=/bin/sh`). */
  readonly harmless?: readonly string[];
  /** "command": the value is a command line, judged through the guard; "file": it names code the guard cannot read. */
  readonly runs: "command" | "file";
}

const shellPrograms = ["sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/sh", "/usr/bin/bash", "dash", "/bin/dash", "zsh"];
const systemdExecKeys = ["execstartpre", "execstartpost", "execstop", "execstoppost", "execcondition", "execreload", "execstart"];
const sshFileKeys = ["include", "match"];
const sshKeys = ["proxycommand", "localcommand", "knownhostscommand", "pkcs11provider", "securitykeyprovider"];
const sshCommon: CommandOption[] = [
  { keyed: { option: "-o", keys: sshKeys }, runs: "command", harmless: ["none"] },
  { keyed: { option: "-o", keys: sshFileKeys }, runs: "file" },
  { short: ["-F"], runs: "file", harmless: ["/dev/null", "none"] },
];

/** Programs and the options that make them run a command: the one table the guard reads them from. */
export const commandOptions: Readonly<Record<string, readonly CommandOption[]>> = {
  rsync: [{ long: ["--rsh", "--rsync-path"], short: ["-e"], runs: "command" }],
  ssh: sshCommon,
  scp: [...sshCommon, { short: ["-S"], runs: "command" }],
  sftp: [...sshCommon, { short: ["-S", "-D"], runs: "command" }],
  sort: [{ long: ["--compress-program"], runs: "command" }],
  tar: [
    {
      long: ["--to-command", "--use-compress-program", "--rsh-command", "--rmt-command", "--info-script", "--new-volume-script"],
      short: ["-I", "-F"],
      runs: "command",
    },
    { oldStyle: { valued: "fbCFgHIKLNTVX", runs: "IF" }, runs: "command" },
    { long: ["--checkpoint-action"], prefixes: ["exec="], runs: "command" },
  ],
  zip: [{ long: ["--unzip-command"], short: ["-TT"], runs: "command" }],
  make: [
    { assignments: ["SHELL"], runs: "command", harmless: shellPrograms },
    { long: ["--eval"], short: ["-E"], runs: "file" },
    // `make 'X != CMD'` runs CMD in a shell when make reads it.
    { shellAssignments: true, runs: "command" },
    { long: ["--file", "--makefile"], short: ["-f"], only: ["-", "/dev/stdin", "/dev/fd/0"], runs: "file" },
  ],
  wget: [{ long: ["--use-askpass"], runs: "command" }],
  pandoc: [{ long: ["--filter"], short: ["-F"], runs: "command" }],
  tcpdump: [{ short: ["-z"], runs: "command" }],
  sdiff: [{ long: ["--diff-program"], runs: "command" }],
  diff3: [{ long: ["--diff-program"], runs: "command" }],
  sqlite3: [{ wordPrefixes: [".shell", ".system"], runs: "command" }],
  psql: [{ wordPrefixes: ["\\!"], runs: "command" }],
  less: [{ wordPrefixes: ["+!"], runs: "command" }],
  socat: [{ wordPrefixes: ["EXEC:", "SYSTEM:"], anyCase: true, cutAt: ",", runs: "command" }],
  ncat: [{ long: ["--exec", "--sh-exec", "--lua-exec"], short: ["-e", "-c"], runs: "command" }],
  nc: [{ long: ["--exec", "--sh-exec"], short: ["-e", "-c"], runs: "command" }],
  netcat: [{ short: ["-e", "-c"], runs: "command" }],
  strace: [{ long: ["--output"], short: ["-o"], prefixes: ["|", "!"], runs: "command" }],
  ltrace: [{ long: ["--output"], short: ["-o"], prefixes: ["|", "!"], runs: "command" }],
  "systemd-run": [
    { keyed: { option: "-p", keys: systemdExecKeys }, runs: "command" },
    { keyed: { option: "--property", keys: systemdExecKeys }, runs: "command" },
  ],
  git: [
    { long: ["--git-dir"], runs: "file" },
    { long: ["--exec-path"], attachedOnly: true, runs: "file" },
    { subcommand: "difftool", long: ["--extcmd"], short: ["-x"], runs: "command" },
    { subcommand: "rebase", long: ["--exec"], short: ["-x"], runs: "command" },
    { subcommand: "grep", long: ["--open-files-in-pager"], short: ["-O"], attachedOnly: true, runs: "command" },
    { subcommand: "send-email", long: ["--sendmail-cmd", "--to-cmd", "--cc-cmd"], runs: "command" },
    { subcommand: "instaweb", long: ["--httpd", "--browser"], short: ["-d", "-b"], runs: "command" },
    { subcommand: "submodule", restAfter: "foreach", runs: "command" },
    { subcommand: "bisect", restAfter: "run", runs: "command" },
  ],
};

/** git's global options that take a value, to find its subcommand. */
const gitGlobalsWithValue = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--exec-path"]);

function subcommandIndex(words: ShellWord[]): number {
  let index = 1;
  while (index < words.length && words[index]?.value?.startsWith("-") === true)
    index += gitGlobalsWithValue.has(words[index]?.value ?? "") ? 2 : 1;
  return index;
}

/** Values of `-o Key=value` options whose key is one of `keys` (OpenSSH spelling: `=` or a space, any case). */
function keyedValues(words: ShellWord[], option: string, keys: readonly string[]): Array<string | undefined> {
  const found: Array<string | undefined> = [];
  const long = option.startsWith("--");
  for (const setting of optionValues(words, long ? [option] : [], long ? [] : [option])) {
    if (setting === undefined) {
      found.push(undefined);
      continue;
    }
    const match = /^\s*([A-Za-z0-9]+)\s*(?:=|\s)\s*(.*)$/s.exec(setting);
    if (match !== null && keys.includes((match[1] ?? "").toLowerCase())) found.push(match[2] ?? "");
  }
  return found;
}

function isBare(word: ShellWord, rule: CommandOption): boolean {
  return word.value !== undefined && [...(rule.long ?? []), ...(rule.short ?? [])].includes(word.value);
}

/** `tar cIf CMD a.tar`: the first word bundles letters without a dash, each valued letter taking the next word in turn. */
function oldStyleValues(words: ShellWord[], valued: string, runs: string): Array<string | undefined> {
  const bundle = words[1]?.value;
  if (bundle === undefined || !/^[A-Za-z]+$/.test(bundle)) return [];
  const found: Array<string | undefined> = [];
  let next = 2;
  for (const letter of bundle) {
    if (!valued.includes(letter)) continue;
    if (runs.includes(letter)) found.push(words[next]?.value);
    next++;
  }
  return found;
}

/** The values one table entry finds in a command's words (undefined: known only at run time). */
function valuesOf(rule: CommandOption, words: ShellWord[]): Array<string | undefined> {
  const values: Array<string | undefined> = [];
  if (rule.long !== undefined || rule.short !== undefined) {
    // With an attached-only value, a bare option is dropped so that the next word is not taken as its value.
    const scanned = rule.attachedOnly === true ? words.filter((word, index) => index === 0 || !isBare(word, rule)) : words;
    values.push(...optionValues(scanned, rule.long ?? [], rule.short ?? []));
  }
  if (rule.keyed !== undefined) values.push(...keyedValues(words, rule.keyed.option, rule.keyed.keys));
  for (const name of rule.assignments ?? [])
    for (const word of words.slice(1)) {
      // make takes every assignment operator on its command line: `SHELL=`, `SHELL:=`, `SHELL::=`, `SHELL+=`, `SHELL?=`.
      const assigned = new RegExp(`^${name}\\s*(::?|\\+|\\?)?=`).exec(word.value ?? word.text);
      if (assigned !== null) values.push(word.value === undefined ? undefined : word.value.slice(assigned[0].length));
    }
  for (const prefix of rule.wordPrefixes ?? [])
    for (const word of words.slice(1)) {
      const text = word.value ?? word.text.replace(/^["']/, "");
      const rest =
        rule.anyCase === true ? text.trimStart().replace(/^[A-Za-z]+:/, (scheme) => scheme.toUpperCase()) : text.trimStart();
      // `.shell` needs a space after it (`.shellx` is another word); `+!` and `\\!` run what follows at once.
      if (
        rest.startsWith(prefix) &&
        (/[^a-z]$/.test(prefix) || rest.length === prefix.length || /\s/.test(rest[prefix.length] ?? ""))
      )
        values.push(word.value === undefined ? undefined : word.value.trimStart().slice(prefix.length).trim());
    }
  if (rule.shellAssignments === true)
    for (const word of words.slice(1)) {
      const assigned = /^[^\s=!:+?-][^\s=!:+?]*\s*!=/.exec(word.value ?? word.text);
      if (assigned !== null) values.push(word.value === undefined ? undefined : word.value.slice(assigned[0].length).trim());
    }
  if (rule.oldStyle !== undefined) values.push(...oldStyleValues(words, rule.oldStyle.valued, rule.oldStyle.runs));
  const prefixed = values.flatMap((value) => {
    if (rule.prefixes === undefined || value === undefined) return [value];
    const prefix = rule.prefixes.find((candidate) => value.startsWith(candidate));
    return prefix === undefined ? [] : [value.slice(prefix.length)];
  });
  const cut = prefixed.map((value) =>
    rule.cutAt === undefined || value === undefined || !value.includes(rule.cutAt)
      ? value
      : value.slice(0, value.indexOf(rule.cutAt)),
  );
  return cut.filter(
    (value) =>
      (rule.only === undefined || value === undefined || rule.only.includes(value)) &&
      !(value !== undefined && rule.harmless?.includes(value.trim()) === true),
  );
}

/**
 * What a program's options make it run: each command line is judged through the guard (never
 * below MODERATE; an unknown program run this way is DANGEROUS), a value known only at run time
 * or a file the guard cannot read (a config, a program folder) is DANGEROUS.
 */
export function judgeCommandOptions(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] {
  const rules = commandOptions[name];
  if (rules === undefined) return [];
  const findings: RuleFinding[] = [];
  const subIndex = name === "git" ? subcommandIndex(words) : 0;
  const subcommand = words[subIndex]?.value;
  for (const rule of rules) {
    let scope = words;
    if (name === "git")
      scope =
        rule.subcommand === undefined
          ? words.slice(0, subIndex)
          : rule.subcommand === subcommand
            ? [words[0] as ShellWord, ...words.slice(subIndex + 1)]
            : [];
    if (scope.length === 0) continue;
    if (rule.restAfter !== undefined) {
      findings.push(...judgeRest(`${name} ${rule.subcommand ?? ""} ${rule.restAfter}`, rule.restAfter, scope, context));
      continue;
    }
    for (const value of valuesOf(rule, scope)) {
      const label = `${name}${rule.subcommand === undefined ? "" : ` ${rule.subcommand}`}`;
      if (rule.runs === "file")
        findings.push({
          level: "DANGEROUS",
          reason: `${label} reads ${value ?? "a file named at run time"}, which can make it run commands the guard cannot see`,
        });
      else findings.push(runsOption(label, value, context));
    }
  }
  return findings;
}

/**
 * `git submodule foreach [--recursive] [-q] CMD ARGS…`, `git bisect run CMD ARGS…`: the words after the
 * keyword are run as they are (an argv, judged from its words, never re-joined into text); git runs
 * the first through the shell, so a first word with spaces or shell signs is judged as a script too.
 */
function judgeRest(label: string, keyword: string, words: ShellWord[], context: CommandContext): RuleFinding[] {
  const at = words.findIndex((word, index) => index > 0 && word.value === keyword);
  if (at < 0) return [];
  let start = at + 1;
  while (start < words.length && /^(--recursive|--quiet|-q|--)$/.test(words[start]?.value ?? "")) start++;
  const rest = words.slice(start);
  if (rest.length === 0) return [];
  if (rest.some((word) => word.value === undefined))
    return [{ level: "DANGEROUS", reason: `${label} runs a command computed at run time` }];
  const inner = context.judgeWords(rest);
  const findings: RuleFinding[] = [
    { level: maxRisk(inner.level, "MODERATE"), reason: `${label} runs: ${inner.reasons.join("; ")}` },
  ];
  const first = rest[0]?.value ?? "";
  if (/[\s;&|<>()$`'"*?~{}]/.test(first)) findings.push(runsOption(label, first, context));
  return findings;
}

/**
 * The options of wrappers the guard looks through (`strace -o "|CMD" ls`, `systemd-run -p ExecStopPost=CMD true`):
 * `words` is the whole command, the last `innerLength` of them the command the wrappers run.
 */
export function judgeWrapperOptions(words: ShellWord[], innerLength: number, context: CommandContext): RuleFinding[] {
  const wrapperWords = words.slice(0, words.length - innerLength);
  const findings: RuleFinding[] = [];
  for (const [index, word] of wrapperWords.entries()) {
    const name = word.value?.split("/").at(-1);
    if (name !== undefined && commandOptions[name] !== undefined && (index === 0 || !word.value?.startsWith("-")))
      findings.push(...judgeCommandOptions(name, wrapperWords.slice(index), context));
  }
  return findings;
}
