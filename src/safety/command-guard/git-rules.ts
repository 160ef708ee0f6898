import type { CommandContext, RuleFinding } from "./code-runners.js";
import { optionValues, runsOption } from "./option-commands.js";
import { sensitiveWrite } from "./protected-targets.js";
import { maxRisk } from "./risk-level.js";
import type { ShellWord } from "./shell-words.js";

const safe = (reason: string): RuleFinding => ({ level: "SAFE", reason });
const moderate = (reason: string): RuleFinding => ({ level: "MODERATE", reason });
const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });

/** git configuration keys whose value is a command git runs (alias values run only with a leading `!`). */
const gitCommandKeys =
  /^(core\.(pager|editor|sshcommand|fsmonitor|gitproxy|askpass)|sequence\.editor|diff\.external|pager\..+|alias\..+|credential\.helper|gpg\.(.+\.)?program|uploadpack\.packobjectshook|filter\..+\.(clean|smudge|process)|diff\..+\.(textconv|command)|merge\..+\.driver|remote\..+\.(receivepack|uploadpack))$/;

/** Keys that pull in more configuration or let transports run commands (`ext::sh -c …`). */
const configIncludes =
  /^(include\.path|includeif\..+\.path|protocol\..*allow|core\.sshcommand|core\.attributesfile|core\.excludesfile|init\.templatedir)$/;

/** `git config KEY VALUE`: setting a key whose value git runs (a pager, a hook folder, an include) needs a yes. */
function judgeGitConfig(rest: string[]): RuleFinding {
  const valued = new Set(["--file", "-f", "--blob", "--type", "--default", "--comment"]);
  const operands: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const value = rest[index] ?? "";
    if (valued.has(value)) {
      index++;
      continue;
    }
    if (value.startsWith("-")) continue;
    operands.push(value);
  }
  const reads = rest.some((value) =>
    /^(--get|--get-all|--get-regexp|--get-urlmatch|--list|-l|--show-origin|--name-only)$/.test(value),
  );
  const unsets = rest.some((value) => value.startsWith("--unset") || value.startsWith("--remove-section"));
  if (reads || (operands.length <= 1 && !unsets) || operands[0] === "get" || operands[0] === "list")
    return safe("git config only reads settings");
  const key = (operands[0] === "set" || operands[0] === "unset" ? operands[1] : operands[0])?.toLowerCase() ?? "";
  if (key === "core.hookspath" || configIncludes.test(key) || (gitCommandKeys.test(key) && !key.startsWith("alias.")))
    return dangerous(`git config sets ${key}, which makes git run a command`);
  if (key.startsWith("alias.") && operands.some((value) => value.startsWith("!")))
    return dangerous(`git config sets ${key}, an alias that runs a shell command`);
  return moderate(`git config changes the setting ${key}`);
}

/** Where git's subcommand is: after its global options (`git -C repo -c k=v status`). */
function gitSubcommandIndex(words: ShellWord[]): number {
  let index = 1;
  while (index < words.length && words[index]?.value?.startsWith("-"))
    index += ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"].includes(words[index]?.value ?? "") ? 2 : 1;
  return index;
}

/** Commands git runs because of its options: `-c core.pager=...`, `clone --upload-pack=...`, `-c core.hooksPath`. */
function gitOptionCommands(words: ShellWord[], context: CommandContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const subcommand = gitSubcommandIndex(words);
  const global = words.slice(0, subcommand);
  // `git clone -c key=value` sets the new repository's configuration before it fetches and checks out, as `git -c` would.
  const afterSubcommand = [words[0] as ShellWord, ...words.slice(subcommand + 1)];
  const cloneSettings = words[subcommand]?.value === "clone" ? optionValues(afterSubcommand, ["--config"], ["-c"]) : [];
  for (const setting of [...optionValues(global, [], ["-c"]), ...cloneSettings]) {
    if (setting === undefined) {
      findings.push(dangerous("git -c sets configuration computed at run time"));
      continue;
    }
    const separator = setting.indexOf("=");
    const key = (separator < 0 ? setting : setting.slice(0, separator)).toLowerCase();
    const value = separator < 0 ? "" : setting.slice(separator + 1);
    if (key === "core.hookspath") findings.push(dangerous(`git runs hooks from ${value}`));
    else if (configIncludes.test(key))
      findings.push(dangerous(`git -c ${key} reads configuration (and the commands in it) from ${value}`));
    else if (gitCommandKeys.test(key) && (!key.startsWith("alias.") || value.startsWith("!")))
      findings.push(runsOption(`git -c ${key}`, value.replace(/^!/, ""), context));
  }
  const rest = [words[0] as ShellWord, ...words.slice(subcommand + 1)];
  const short = words[subcommand]?.value === "clone" ? ["-u"] : [];
  for (const command of optionValues(rest, ["--upload-pack", "--receive-pack", "--exec"], short))
    findings.push(runsOption("git", command, context));
  findings.push(...gitWrites(words[subcommand]?.value ?? "", rest, context));
  return findings;
}

/**
 * Files git writes where its options say (`git log --output=F`, `git archive -o F`, `git bundle create F`,
 * `git format-patch -o DIR`, whose patch files are judged as written there): judged like any write, so a start-up file or folder needs a yes.
 */
function gitWrites(subcommand: string, rest: ShellWord[], context: CommandContext): RuleFinding[] {
  const files = [...optionValues(rest, ["--output"], subcommand === "archive" ? ["-o"] : [])];
  if (subcommand === "bundle" && rest[1]?.value === "create") files.push(rest[2]?.value);
  const folders = subcommand === "format-patch" ? optionValues(rest, ["--output-directory"], ["-o"]) : [];
  const findings: RuleFinding[] = [];
  for (const file of files) {
    const why = file === undefined ? "a file named at run time" : sensitiveWrite({ value: file, text: file }, context.targets);
    findings.push(
      why === undefined ? moderate(`git ${subcommand} writes ${file}`) : dangerous(`git ${subcommand} writes ${file}: ${why}`),
    );
  }
  for (const folder of folders) {
    const why =
      folder === undefined
        ? "a folder named at run time"
        : sensitiveWrite({ value: `${folder.replace(/\/+$/, "")}/0001-change.patch`, text: folder }, context.targets);
    findings.push(
      why === undefined
        ? moderate(`git ${subcommand} writes into ${folder}`)
        : dangerous(`git ${subcommand} writes into ${folder}: ${why}`),
    );
  }
  return findings;
}

/** git: what its subcommand does to work and history, and any command its options make it run. */
export function judgeGit(words: ShellWord[], context: CommandContext): RuleFinding {
  return gitOptionCommands(words, context).reduce<RuleFinding>(
    (worst, finding) => (maxRisk(worst.level, finding.level) === worst.level ? worst : finding),
    judgeGitCommand(words),
  );
}

function judgeGitCommand(words: ShellWord[]): RuleFinding {
  const values = words.slice(1).map((word) => word.value ?? "");
  let index = 0;
  while (index < values.length && values[index]?.startsWith("-"))
    index += ["-C", "-c", "--git-dir", "--work-tree"].includes(values[index] ?? "") ? 2 : 1;
  const sub = values[index] ?? "";
  const rest = values.slice(index + 1);
  const has = (...options: string[]) =>
    rest.some(
      (value) =>
        options.includes(value) ||
        options.some((option) => /^-[a-z]$/.test(option) && /^-[a-zA-Z]+$/.test(value) && value.includes(option.slice(1))),
    );
  if (sub === "config") return judgeGitConfig(rest);
  if (
    (sub === "clone" || sub === "fetch" || sub === "pull" || sub === "ls-remote") &&
    rest.some((value) => value.startsWith("ext::"))
  )
    return dangerous(`git ${sub} with an ext:: address runs a command`);
  if (sub === "reset" && rest.includes("--hard")) return dangerous("git reset --hard throws away uncommitted work");
  if (sub === "clean" && has("-f", "--force")) return dangerous("git clean -f deletes untracked files");
  if (
    sub === "push" &&
    (has("-f", "--force", "--force-with-lease", "--mirror", "--delete") ||
      rest.some((value) => value.startsWith("+") || value.startsWith(":") || value.startsWith("--force")))
  ) {
    return dangerous("git push --force rewrites the remote's history");
  }
  if ((sub === "checkout" || sub === "restore") && (rest.includes("--") || rest.includes(".")) && !rest.includes("-b"))
    return dangerous(`git ${sub} discards local changes`);
  if (sub === "branch" && has("-D")) return dangerous("git branch -D deletes a branch with unmerged work");
  if (sub === "stash" && ["drop", "clear"].includes(rest[0] ?? "")) return dangerous(`git stash ${rest[0]} deletes stashed work`);
  if (
    sub === "filter-branch" ||
    sub === "filter-repo" ||
    (sub === "reflog" && rest[0] === "expire") ||
    (sub === "gc" && rest.includes("--prune=now"))
  )
    return dangerous(`git ${sub} rewrites or prunes history`);
  if (
    [
      "status",
      "log",
      "diff",
      "show",
      "branch",
      "tag",
      "remote",
      "config",
      "blame",
      "shortlog",
      "describe",
      "rev-parse",
      "ls-files",
      "grep",
      "reflog",
      "fetch",
      "add",
      "commit",
      "stash",
      "whatchanged",
      "help",
      "version",
      "init",
    ].includes(sub)
  ) {
    return safe(`git ${sub} does not lose work`);
  }
  return moderate(`git ${sub} changes the repository`);
}
