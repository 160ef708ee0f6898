import { awkProgramEffects, parseAwkCommand } from "./awk-words.js";
import { judgeInlineCode } from "./inline-code.js";
import { isProtectedPath, sensitiveWrite, type TargetContext } from "./protected-targets.js";
import { maxRisk, type RiskLevel } from "./risk-level.js";
import { ansiCValue, type ShellWord } from "./shell-words.js";
import type { SimpleCommand, StandardInput } from "./simple-commands.js";
import { programName, unwrap } from "./unwrap-command.js";

export interface RuleFinding {
  level: RiskLevel;
  reason: string;
}

/** A nested script's verdict, with the programs it runs that the guard has no rule for. */
export interface NestedVerdict {
  level: RiskLevel;
  reasons: string[];
  commands?: Array<{ program: string; level: RiskLevel; unknown?: boolean }>;
}

export interface CommandContext {
  homeDirectory: string;
  /** What paths name here: the home folder, protected folders, the temporary folder, the working folders. */
  targets: TargetContext;
  /** What the command reads on its standard input, as far as the script says; undefined: nothing known. */
  standardInput?: StandardInput;
  /** Judge a script found inside this command (sh -c '...', eval, find -exec), reading `stdin` if given. */
  judgeNested(script: string, stdin?: StandardInput): NestedVerdict;
  /** Did this command line write, link or move something at this path or a folder above it? */
  writtenEarlier?(target: string): boolean;
  /** Judge an argument list as a command (xargs, sudo, find -exec). */
  judgeWords(words: ShellWord[]): { level: RiskLevel; reasons: string[] };
}

/** Paths that are the standard input (`/dev/fd/0`, `/proc/self/fd/0`), and those that are any open descriptor. */
const standardInputPath = /^\/(dev\/fd|proc\/(self|\d+)\/fd)\/0$/;
const descriptorPath = /^\/(dev\/fd|proc\/(self|\d+)\/fd)\/\d+$/;

export const shells: ReadonlySet<string> = new Set(["sh", "bash", "zsh", "dash", "ksh", "mksh", "fish", "ash", "rbash"]);

/** Interpreters and the options that give them a program on the command line. */
const interpreters: Record<string, string[]> = {
  python: ["-c"],
  python3: ["-c"],
  python2: ["-c"],
  perl: ["-e", "-E"],
  ruby: ["-e"],
  node: ["-e", "--eval", "-p", "--print"],
  nodejs: ["-e", "--eval"],
  php: ["-r", "-B", "-R", "-E"],
  lua: ["-e"],
  osascript: ["-e"],
  // Languages whose code the guard does not read: given code on the command line, they are DANGEROUS.
  deno: ["eval"],
  bun: ["-e", "--eval", "-p", "--print"],
  Rscript: ["-e"],
  julia: ["-e", "--eval", "-E", "--print"],
  pwsh: ["-c", "-Command", "-command"],
  guile: ["-c"],
  racket: ["-e", "--eval"],
  elixir: ["-e", "--eval"],
  erl: ["-eval"],
  tclsh: ["-c"],
};
/** Interpreter options that take a value (`python -W ignore script.py`). */
const interpreterOptionsWithValue = new Set(["-W", "-X", "-r", "--require", "--import", "--loader", "-I", "-M", "-x"]);

const destructiveCode =
  /\b(shutil\.rmtree|os\.(remove|unlink|rmdir|removedirs|system|popen|exec\w*|spawn\w*)|subprocess|\bunlink(Sync)?\b|rm(Sync|dirSync)?\s*\(|rimraf|File\.(delete|unlink)|FileUtils\.rm|Dir\.(delete|rmdir)|system\s*\(|exec(Sync)?\s*\(|spawn(Sync)?\s*\(|open\s*\([^)]*['"][wa]|writeFile(Sync)?|truncate|\brm\s+-|mkfs|\/dev\/sd|child_process|`)/;

const downloaders = new Set(["curl", "wget", "fetch", "aria2c", "nc", "ncat", "socat"]);

const moderate = (reason: string): RuleFinding => ({ level: "MODERATE", reason });
const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });

/**
 * Programs that run code handed to them: shells, interpreters, `source`, `at`, `su -c`, `script -c`,
 * awk and sed scripts. The code is judged wherever the script says what it is: an argument
 * (`sh -c`), standard input (a here-string, a here-document, text piped from `echo`, the input a
 * handler gives the command), or a pipe from a download or a decoder. Undefined for other programs.
 */
export function judgeCodeRunner(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] | undefined {
  if (shells.has(name)) return [judgeShell(name, words, context)];
  if (name in interpreters) return [judgeInterpreter(name, words, context)];
  if (name === "source" || name === ".") {
    const script = words[1];
    if (script === undefined) return [moderate(`${name} without a script`)];
    if (script.value === undefined) return [dangerous(`${name} runs a script produced at run time (${script.text})`)];
    if (script.value === "/dev/stdin" || script.value === "-" || standardInputPath.test(script.value))
      return [runsInput(name, context, (text) => shellCode(name, text, context))];
    if (descriptorPath.test(script.value)) return [dangerous(`${name} runs what another command writes (${script.text})`)];
    return [unseenScript(`${name} runs the script ${script.text} in this shell`, script.value, context)];
  }
  if (name === "at" || name === "batch") {
    if (words.some((word) => word.value === "-f")) return [moderate(`${name} schedules a script`)];
    if (words.some((word) => ["-l", "-d", "-r", "-c"].includes(word.value ?? ""))) return [moderate(`${name} manages jobs`)];
    return [runsInput(name, context, (text) => shellCode(name, text, context), "schedules")];
  }
  if (name === "su" || name === "runuser" || name === "script") return [judgeCommandOption(name, words, context)];
  if (name === "awk" || name === "gawk" || name === "mawk" || name === "nawk") return judgeAwk(name, words, context);
  if (
    (name === "make" || name === "gmake") &&
    words.some(
      (word, index) =>
        /^-f$|^--file$|^--makefile$/.test(words[index - 1]?.value ?? "") && /^(-|\/dev\/stdin)$/.test(word.value ?? ""),
    )
  )
    return [
      runsInput(name, context, (text) =>
        shellCode(
          name,
          text
            .split("\n")
            .filter((line) => line.startsWith("\t"))
            .map((line) => line.trim().replace(/^[@+-]+/, ""))
            .join("\n"),
          context,
        ),
      ),
    ];
  if (name === "sed") return [judgeSed(words)];
  return undefined;
}

/**
 * `sh -c 'rm -rf "$0"' ~`: the script's `$0`, `$1`…, `$@` are the words after it; a plain known word is put in
 * their place (`~` as the home folder it becomes), so the script is judged on what it will really get.
 */
function withPositionalArguments(code: string, args: ShellWord[], homeDirectory: string): string {
  const plain = (word: ShellWord | undefined) =>
    word?.value !== undefined && /^[\w./~@%+=:,-]+$/.test(word.value)
      ? word.value.replace(/^~(?=\/|$)/, homeDirectory)
      : undefined;
  return code.replace(/\$(?:\{([0-9@*])\}|([0-9@*]))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const which = braced ?? bare ?? "";
    if (which === "@" || which === "*") {
      const all = args.slice(1).map(plain);
      return all.length > 0 && all.every((value) => value !== undefined) ? all.join(" ") : whole;
    }
    return plain(args[Number(which)]) ?? whole;
  });
}

function judgeShell(name: string, words: ShellWord[], context: CommandContext): RuleFinding {
  const index = words.findIndex((word, position) => position > 0 && /^-[a-z]*c[a-z]*$/.test(word.value ?? ""));
  if (index > 0) {
    const script = words[index + 1];
    if (script?.value === undefined) return dangerous(`${name} -c runs a script computed at run time`);
    const code = withPositionalArguments(script.value, words.slice(index + 2), context.homeDirectory);
    const nested = context.judgeNested(code, context.standardInput);
    return { level: nested.level, reason: `${name} -c runs: ${nested.reasons.join("; ") || script.value}` };
  }
  const script = shellScriptOperand(words);
  const readsInput =
    script === undefined ||
    script.value === "-" ||
    script.value === "/dev/stdin" ||
    standardInputPath.test(script.value ?? "") ||
    words.some((word) => /^-[a-z]*s[a-z]*$/.test(word.value ?? ""));
  if (readsInput) return runsInput(name, context, (text) => shellCode(name, text, context));
  if (descriptorPath.test(script.value ?? "")) return dangerous(`${name} runs what another command writes (${script.text})`);
  if (script.value === undefined) return dangerous(`${name} runs a script produced at run time (${script.text})`);
  return unseenScript(`${name} runs the script ${script.text}`, script.value, context);
}

/** The script a shell runs: its first operand, after options and their values (`-o pipefail`, `--rcfile f`). */
export function shellScriptOperand(words: ShellWord[]): ShellWord | undefined {
  for (let index = 1; index < words.length; index++) {
    const value = words[index]?.value;
    if (value === undefined) return words[index];
    if (["-o", "+o", "-O", "+O", "--rcfile", "--init-file"].includes(value)) {
      index++;
      continue;
    }
    if (value === "--") return words[index + 1];
    if (value !== "-" && (value.startsWith("-") || value.startsWith("+"))) continue;
    return words[index];
  }
  return undefined;
}

function judgeInterpreter(name: string, words: ShellWord[], context: CommandContext): RuleFinding {
  const loads = words.find((word) => /^-[mM]/.test(word.value ?? "") && !/^-[mM]-?[\w:]+(=[\w:,]*)?$/.test(word.value ?? ""));
  if (name === "perl" && loads !== undefined) return dangerous(`perl ${loads.text} runs code while loading a module`);
  const codeIndex = words.findIndex(
    (word, position) =>
      position > 0 &&
      ((interpreters[name] ?? []).includes(word.value ?? "") ||
        ((name === "perl" || name === "ruby") && /^-[a-zA-Z]*[eE]$/.test(word.value ?? ""))),
  );
  if (codeIndex > 0) {
    const code = words[codeIndex + 1]?.value;
    if (code === undefined) return dangerous(`${name} runs code computed at run time`);
    return inlineCode(name, code, context);
  }
  if (name.startsWith("python") && words.some((word) => word.value === "-m")) return moderate(`${name} runs a module`);
  const program = interpreterScript(words);
  if (descriptorPath.test(program?.value ?? "") && !standardInputPath.test(program?.value ?? ""))
    return dangerous(`${name} runs what another command writes (${program?.text})`);
  if (
    program === undefined ||
    program.value === "-" ||
    program.value === "/dev/stdin" ||
    standardInputPath.test(program.value ?? "")
  )
    return runsInput(name, context, (text) => inlineCode(name, text, context));
  if (program.value === undefined) return dangerous(`${name} runs a program produced at run time (${program.text})`);
  return moderate(`${name} runs a program`);
}

/** The program file an interpreter runs: its first operand after options (`python3 -W ignore x.py` → x.py). */
export function interpreterScript(words: ShellWord[]): ShellWord | undefined {
  for (let index = 1; index < words.length; index++) {
    const value = words[index]?.value;
    if (value !== undefined && interpreterOptionsWithValue.has(value)) {
      index++;
      continue;
    }
    if (value !== undefined && value !== "-" && value.startsWith("-")) continue;
    return words[index];
  }
  return undefined;
}

/** Is this program an interpreter the guard knows (python, perl, ruby, node, php, lua, osascript)? */
export function isInterpreter(name: string): boolean {
  return name in interpreters;
}

/** Judge a program given to an interpreter as text: shell lines it runs, what it deletes, whether it can be read at all. */
export function inlineCode(name: string, code: string, context: CommandContext): RuleFinding {
  if (name === "osascript") {
    const shell = /do shell script\s+"((?:\\.|[^"])*)"/.exec(code)?.[1];
    if (shell !== undefined) return shellCode(name, shell, context, "DANGEROUS");
    return /^\s*(display (notification|dialog|alert)|say|beep)\b/.test(code) &&
      !/\b(do shell|delete|System Events|keystroke)\b/.test(code)
      ? moderate(`${name} shows a message`)
      : dangerous(`${name} script can control other applications`);
  }
  if (destructiveCode.test(code) && judgeInlineCode(name, code, inlineContext(context)).level === "MODERATE")
    return dangerous(`${name} one-liner can delete, overwrite or run programs`);
  return judgeInlineCode(name, code, inlineContext(context));
}

function inlineContext(context: CommandContext) {
  return {
    judgeShell: (line: string) => context.judgeNested(line),
    isProtectedPath: (target: string) => isProtectedPath(target, context.targets),
  };
}

function shellCode(name: string, text: string, context: CommandContext, atLeast: RiskLevel = "MODERATE"): RuleFinding {
  const nested = context.judgeNested(text);
  return { level: maxRisk(atLeast, nested.level), reason: `${name} runs: ${nested.reasons.join("; ") || text.trim()}` };
}

/**
 * A program that runs what it reads on standard input. Known text is judged as code; a pipe from a
 * decoder is FORBIDDEN (hidden code), from anything else at least DANGEROUS (code nobody has seen).
 */
/** Scripts people run as a matter of course: their own shell start-up files and a Python virtual environment's activate. */
const routineScripts = /(^|\/)(\.bashrc|\.bash_profile|\.profile|\.zshrc|\.zprofile|bin\/activate(\.\w+)?)$/;

/**
 * A script file the guard cannot read is run as `cat script | sh` would be: it needs a yes, unless
 * this command line wrote it (its known content is judged where it is written) or it is a routine one.
 */
function unseenScript(reason: string, script: string | undefined, context: CommandContext): RuleFinding {
  if (script !== undefined && (context.writtenEarlier?.(script) === true || routineScripts.test(script))) return moderate(reason);
  return dangerous(`${reason}, whose content the guard cannot see`);
}

function runsInput(name: string, context: CommandContext, judgeCode: (text: string) => RuleFinding, verb = "runs"): RuleFinding {
  const input = context.standardInput;
  if (input === undefined) return moderate(`${name} ${verb} commands from standard input`);
  if (input.kind === "text") return judgeCode(input.text);
  if (input.kind === "file") return unseenScript(`${name} ${verb} the script ${input.target.text}`, input.target.value, context);
  if (input.kind === "unknown") return dangerous(`${name} ${verb} code produced at run time (${input.text})`);
  const sources = input.from.map((command) => unwrap(command.words).words);
  for (const source of sources) {
    const sourceName = programName(source[0]) ?? "";
    const values = source.map((word) => word.value ?? "");
    const decodes =
      (sourceName === "base64" && values.some((value) => /^-(d|D|-decode)$/.test(value))) ||
      (sourceName === "xxd" && values.some((value) => /^-r/.test(value))) ||
      (sourceName === "openssl" && values.includes("-d")) ||
      sourceName === "uudecode" ||
      sourceName === "rev";
    if (decodes) return { level: "FORBIDDEN", reason: `decodes hidden text and runs it with ${name}` };
  }
  const downloader = sources.map((source) => programName(source[0]) ?? "").find((source) => downloaders.has(source));
  if (downloader !== undefined) return dangerous(`downloads code with ${downloader} and runs it with ${name}`);
  const last = input.from.at(-1);
  const printed = last === undefined ? undefined : printedText(last);
  const sourceName = programName(unwrap(last?.words ?? []).words[0]) ?? "another command";
  const reason = `runs the output of ${sourceName} as a program with ${name}`;
  if (printed === undefined) return dangerous(reason);
  const judged = judgeCode(printed);
  return { level: maxRisk("DANGEROUS", judged.level), reason: `${reason}: ${judged.reason}` };
}

/** What `echo words` or `cat` of known text prints, when that is known before it runs. */
export function printedText(command: SimpleCommand): string | undefined {
  const words = unwrap(command.words).words;
  const name = programName(words[0]);
  const values = words.slice(1).map((word) => word.value);
  if (values.some((value) => value === undefined)) return undefined;
  if (name === "echo" && !values.some((value) => /^-[neE]*e/.test(value ?? ""))) {
    return `${values.filter((value) => !/^-[nE]+$/.test(value ?? "")).join(" ")}\n`;
  }
  if (name === "cat" && values.length === 0 && command.stdin?.kind === "text") return command.stdin.text;
  if (name === "printf" && values.length === 1 && !(values[0] ?? "").includes("%")) return ansiCValue(values[0] ?? "");
  // `printf '%s\0' ~ a`: each word, one a line (a NUL ends each for xargs -0).
  const format = values[0] ?? "";
  if (name === "printf" && values.length > 1 && /^(%s|\\[0nt]|[ \t])+$/.test(format) && format.split("%s").length === 2)
    return values
      .slice(1)
      .map((value) => `${value}\n`)
      .join("");
  return undefined;
}

/** `su -c cmd`, `runuser -u bob -c cmd`, `script -c cmd`: the command string is judged; su runs it as another user. */
function judgeCommandOption(name: string, words: ShellWord[], context: CommandContext): RuleFinding {
  const asUser = name !== "script";
  // `-c`, `--command`, `--command=…`, and short options bundled with c (`script -qc`, `su -lc`).
  const index = words.findIndex(
    (word, position) =>
      position > 0 &&
      (/^-[a-zA-Z]*c$/.test(word.value ?? "") || word.value === "--command" || /^--command=/.test(word.value ?? "")),
  );
  let judged: RuleFinding;
  if (index < 0) {
    judged = asUser
      ? runsInput(name, context, (text) => shellCode(name, text, context))
      : moderate(`${name} records a terminal session`);
  } else {
    const option = words[index]?.value ?? "";
    const code = option.startsWith("--command=") ? option.slice("--command=".length) : words[index + 1]?.value;
    if (code === undefined) return dangerous(`${name} -c runs a command computed at run time`);
    const nested = context.judgeNested(code, context.standardInput);
    judged = { level: nested.level, reason: `${name} -c runs: ${nested.reasons.join("; ") || code}` };
  }
  if (!asUser || judged.level === "FORBIDDEN") return judged;
  return { level: "DANGEROUS", reason: `${judged.reason}; as another user (${name})` };
}

/** gawk libraries (`-i`) and extensions (`-l`) that only add functions; `inplace` rewrites the input files. */
const harmlessAwkLibraries =
  /^(assert|bits2str|ctime|getopt|join|ord|quicksort|round|strtonum|walkarray|isnumeric|shellquote|readable|rewind|ftrans|noassign|zerofile|cliff_rand|inplace)(\.awk)?$/;
const harmlessAwkExtensions = /^(ordchr|time|intdiv|readfile|fnmatch|revoutput)(\.so)?$/;

/**
 * awk, gawk, mawk, nawk: options read as awk reads them. Program files, run-time programs and unknown
 * libraries are code the guard cannot read (DANGEROUS); `-i inplace` rewrites every input file; a
 * program's `print > FILE`, pipes, `system()` and `getline` from commands are judged by what they name.
 */
function judgeAwk(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] {
  const command = parseAwkCommand(words);
  const findings: RuleFinding[] = [];
  for (const file of command.programFiles) {
    const value = file.value;
    if (value === undefined) findings.push(dangerous(`${name} runs a program file produced at run time (${file.text})`));
    else if (value === "-" || value === "/dev/stdin" || standardInputPath.test(value)) {
      const judged = runsInput(name, context, (text) => awkProgram(name, text, context));
      findings.push(
        context.standardInput?.kind === "text"
          ? judged
          : { level: maxRisk("DANGEROUS", judged.level), reason: `${name} runs a program read from standard input` },
      );
    } else if (descriptorPath.test(value)) findings.push(dangerous(`${name} runs what another command writes (${file.text})`));
    else if (context.writtenEarlier?.(value) === true) findings.push(moderate(`${name} runs the program ${file.text}`));
    else findings.push(dangerous(`${name} runs the program ${file.text}, whose content the guard cannot see`));
  }
  for (const library of command.libraries) {
    const value = library.word.value;
    const known = value !== undefined && (library.extension ? harmlessAwkExtensions : harmlessAwkLibraries).test(value);
    // gawk looks in the working folder first: a library this command line wrote is its own code.
    const shadowed =
      value !== undefined && [value, `${value}.awk`, `./${value}.awk`].some((file) => context.writtenEarlier?.(file) === true);
    if (!known || shadowed)
      findings.push(dangerous(`${name} loads ${library.extension ? "the extension" : "the library"} ${library.word.text}`));
  }
  for (const program of command.inlinePrograms) {
    if (program.value === undefined) findings.push(dangerous(`${name} runs a program computed at run time`));
    else findings.push(awkProgram(name, program.value, context));
  }
  if (command.programFiles.length === 0 && command.inlinePrograms.length === 0)
    findings.push(moderate(`${name} without a program`));
  const written = [...command.writtenByOptions, ...(command.inPlace ? command.inputFiles : [])];
  for (const target of written) findings.push(awkWrite(name, target, context));
  return findings.length > 0 ? findings : [{ level: "SAFE", reason: `${name} reads and prints` }];
}

/** A file awk writes: a start-up, git or system file needs a yes; a name known only at run time too. */
function awkWrite(name: string, target: ShellWord, context: CommandContext): RuleFinding {
  const why = sensitiveWrite(target, context.targets);
  if (why !== undefined) return dangerous(`${name} writes ${target.text}: ${why}`);
  if (target.value === undefined) return dangerous(`${name} rewrites ${target.text}, a file named at run time`);
  return moderate(`${name} writes ${target.text}`);
}

/** Judge awk program text: what it writes, the commands it runs, the network. */
function awkProgram(name: string, program: string, context: CommandContext): RuleFinding {
  const findings: RuleFinding[] = [];
  for (const effect of awkProgramEffects(program)) {
    if (effect.kind === "network") findings.push(dangerous(`${name} program uses the network (${effect.text})`));
    else if (effect.kind === "reads-computed")
      findings.push(dangerous(`${name} program reads a file named at run time (${effect.text})`));
    else if (effect.target === undefined)
      findings.push(
        dangerous(
          `${name} program ${effect.kind === "write" ? "writes a file" : "runs a command"} named at run time (${effect.text})`,
        ),
      );
    else if (effect.kind === "write") findings.push(awkWrite(name, { value: effect.target, text: effect.target }, context));
    else {
      const nested = context.judgeNested(effect.target);
      findings.push({
        level: maxRisk("DANGEROUS", nested.level),
        reason: `${name} program runs commands (${effect.text}): ${nested.reasons.join("; ") || effect.target}`,
      });
    }
  }
  if (findings.length === 0) return { level: "SAFE", reason: `${name} reads and prints` };
  const level = findings.reduce<RiskLevel>((highest, finding) => maxRisk(highest, finding.level), "SAFE");
  return { level, reason: findings.map((finding) => finding.reason).join("; ") };
}

function judgeSed(words: ShellWord[]): RuleFinding {
  // Words known only at run time are looked at as written: `sed "1e $command"` still shows its e command.
  const values = words.slice(1).map((word) => word.value ?? word.text);
  const scripts: string[] = [];
  for (let index = 0; index < values.length; index++) {
    const value = values[index] ?? "";
    if (value === "-e" || value === "--expression") scripts.push(values[++index] ?? "");
    else if (value.startsWith("--expression=")) scripts.push(value.slice("--expression=".length));
  }
  if (scripts.length === 0) {
    const first = values.find((value) => !value?.startsWith("-"));
    if (first !== undefined) scripts.push(first);
  }
  // GNU sed's `e` command and the `e` flag of `s` run shell commands; `w` writes files.
  const runs = scripts.some(
    (script) =>
      /(^|[;{}\n]|\d|\$|\/)\s*e(\s|;|$)/.test(script) || /^\s*s(.).*\1.*\1[gpiImM0-9w]*e[gpiImM0-9]*\s*($|;|})/.test(script),
  );
  if (runs) return dangerous("sed script runs shell commands (the e command)");
  if (values.some((value) => /^(-[a-zA-Z]*i|--in-place)/.test(value ?? ""))) return moderate("sed -i edits files in place");
  if (scripts.some((script) => /(^|[;{}\n]|\/|\d)\s*w\s+\S/.test(script) || /\/[gpiImM0-9]*w\s+\S/.test(script)))
    return moderate("sed script writes files");
  return { level: "SAFE", reason: "sed reads and prints" };
}
