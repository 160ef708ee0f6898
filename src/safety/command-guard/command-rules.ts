import path from "node:path";
import type { RiskLevel } from "./risk-level.js";
import type { ShellWord } from "./shell-words.js";

/** What a rule says about one command. `nested` asks the guard to judge another script (sh -c, eval, find -exec). */
export interface RuleFinding {
  level: RiskLevel;
  reason: string;
}

export interface CommandContext {
  homeDirectory: string;
  /** Judge a script found inside this command (sh -c '...', eval, find -exec). */
  judgeNested(script: string): { level: RiskLevel; reasons: string[] };
  /** Judge an argument list as a command (xargs, sudo, find -exec). */
  judgeWords(words: ShellWord[]): { level: RiskLevel; reasons: string[] };
}

/** Programs that only read or print. */
const readOnlyPrograms = new Set(
  "base64 ls pwd cat echo printf date whoami id groups uname hostname head tail less more grep egrep fgrep rg ag wc sort uniq cut tr column du df free uptime ps pgrep top htop which whereis type file stat tree diff cmp comm realpath readlink basename dirname true false sleep test [ seq yes env printenv lsblk lscpu lsusb lspci ss netstat lsof ip ifconfig ping dig nslookup host jq yq md5sum sha1sum sha256sum b2sum xxd od hexdump strings man help history locale tty cal bc expr nproc w who last journalctl dmesg fd fdfind find".split(
    " ",
  ),
);

/** Prefixes that run the rest of their arguments as a command. */
const wrappers = new Set([
  "sudo",
  "doas",
  "nice",
  "nohup",
  "time",
  "command",
  "builtin",
  "exec",
  "ionice",
  "stdbuf",
  "chrt",
  "taskset",
  "timeout",
  "env",
  "unbuffer",
  "caffeinate",
  "watch",
  "setsid",
  "runuser",
  "flock",
]);
const shells = new Set(["sh", "bash", "zsh", "dash", "ksh", "fish", "ash", "busybox"]);
const interpreters: Record<string, string[]> = {
  python: ["-c"],
  python3: ["-c"],
  python2: ["-c"],
  perl: ["-e", "-E"],
  ruby: ["-e"],
  node: ["-e", "--eval", "-p", "--print"],
  nodejs: ["-e", "--eval"],
  php: ["-r"],
  lua: ["-e"],
  osascript: ["-e"],
};
const destructiveCode =
  /\b(shutil\.rmtree|os\.(remove|unlink|rmdir|removedirs|system|popen)|subprocess|\bunlink(Sync)?\b|rm(Sync|dirSync)?\s*\(|rimraf|File\.(delete|unlink)|FileUtils\.rm|Dir\.(delete|rmdir)|system\s*\(|exec(Sync)?\s*\(|spawn(Sync)?\s*\(|open\s*\([^)]*['"][wa]|writeFile(Sync)?|truncate|\brm\s+-|mkfs|\/dev\/sd|child_process|`)/;

const systemTrees = [
  "/",
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/lib32",
  "/lib64",
  "/opt",
  "/proc",
  "/root",
  "/sbin",
  "/srv",
  "/sys",
  "/usr",
  "/var",
  "/System",
  "/Library",
  "/Applications",
  "/Users",
];
const criticalPackages =
  /^(apt|apt-get|dpkg|systemd|systemd-sysv|libc6|libc-bin|linux-image.*|linux-generic|grub.*|bash|coreutils|sudo|init|login|passwd|util-linux|mount|base-files|base-passwd|glibc|kernel|kernel-core|rpm|dnf|yum|pacman|zypper|openssh-server|python3|perl-base|ubuntu-minimal|debianutils|e2fsprogs|libsystemd0|udev)$/;
const blockDevice = /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\/|mapper\/|md\d|dm-|loop\d|sr\d|nbd\d)/;

const safe = (reason: string): RuleFinding => ({ level: "SAFE", reason });
const moderate = (reason: string): RuleFinding => ({ level: "MODERATE", reason });
const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });
const forbidden = (reason: string): RuleFinding => ({ level: "FORBIDDEN", reason });

/** Is this path (after ~ expansion) the root, a system tree, or the home folder itself? */
export function classifyTarget(
  value: string | undefined,
  homeDirectory: string,
  text = "",
): "dynamic" | "root" | "system" | "home" | "inside-system" | "other" {
  // $HOME, "${HOME}", $HOME/ and $HOME/* name the home folder even though their value is only known at run time.
  if (value === undefined) return /^"?\$(\{HOME\}|HOME)"?\/?\*?"?$/.test(text) ? "home" : "dynamic";
  let target = value.trim();
  if (target === "~" || target === "~/") return "home";
  if (target.startsWith("~/")) target = path.join(homeDirectory, target.slice(2));
  const normalized = path.posix.normalize(target).replace(/\/+$/, "") || "/";
  const stripped = normalized.replace(/\/\*$/, "") || "/";
  if (stripped === "/" || normalized === "/*" || normalized === "/.") return "root";
  if (stripped === homeDirectory || normalized === `${homeDirectory}/*`) return "home";
  if (systemTrees.includes(stripped) || systemTrees.some((tree) => tree !== "/" && normalized === `${tree}/*`)) return "system";
  const insideHome = normalized.startsWith(`${homeDirectory}/`);
  if (!insideHome && systemTrees.some((tree) => tree !== "/" && normalized.startsWith(`${tree}/`))) return "inside-system";
  return "other";
}

/** Options of each wrapper that take a value (`sudo -u bob ...`): skipped together with that value. */
const wrapperOptionsWithValue: Record<string, readonly string[]> = {
  sudo: ["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U"],
  doas: ["-u", "-C"],
  nice: ["-n"],
  ionice: ["-c", "-n", "-p"],
  chrt: ["-p"],
  taskset: ["-p", "-c"],
  timeout: ["-s", "-k", "--signal", "--kill-after"],
  env: ["-u", "-C", "-S", "--unset", "--chdir"],
  stdbuf: ["-i", "-o", "-e"],
  watch: ["-n", "-d"],
  runuser: ["-u", "-g", "-G", "-l"],
  flock: ["-w", "--timeout", "-E", "--conflict-exit-code"],
};

/** Find the program a wrapper runs: `sudo -u bob env A=1 nice -n 5 rm -rf x` → `rm -rf x`. */
export function unwrap(words: ShellWord[]): { words: ShellWord[]; wrappers: string[] } {
  const used: string[] = [];
  let rest = words;
  for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
    const name = programName(rest[0]);
    if (name === undefined || !wrappers.has(name)) break;
    used.push(name);
    let index = 1;
    while (index < rest.length) {
      const value = rest[index]?.value;
      if (value === undefined) break;
      if (value === "--") {
        index++;
        break;
      }
      if (name === "env" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
        index++;
        continue;
      }
      if (value.startsWith("-")) {
        index += (wrapperOptionsWithValue[name] ?? []).includes(value) ? 2 : 1;
        continue;
      }
      // timeout DURATION COMMAND, nice's legacy -N, chrt PRIORITY COMMAND
      if ((name === "timeout" || name === "chrt") && /^[\d.]+[smhd]?$/.test(value)) {
        index++;
      }
      // flock LOCKFILE COMMAND
      if (name === "flock" && index + 1 < rest.length) index++;
      break;
    }
    rest = rest.slice(index);
  }
  return { words: rest, wrappers: used };
}

export function programName(word: ShellWord | undefined): string | undefined {
  if (word?.value === undefined) return undefined;
  return path.posix.basename(word.value);
}

function flagsOf(words: ShellWord[]): Set<string> {
  const flags = new Set<string>();
  for (const word of words.slice(1)) {
    const value = word.value;
    if (value === undefined || !value.startsWith("-") || value === "-" || value === "--") continue;
    if (value.startsWith("--")) flags.add(value);
    else for (const letter of value.slice(1)) flags.add(`-${letter}`);
  }
  return flags;
}

function operands(words: ShellWord[]): ShellWord[] {
  const result: ShellWord[] = [];
  let endOfOptions = false;
  for (const word of words.slice(1)) {
    if (!endOfOptions && word.value === "--") {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && word.value?.startsWith("-") && word.value !== "-") continue;
    result.push(word);
  }
  return result;
}

/** Judge one simple command (already unwrapped). */
export function judgeProgram(words: ShellWord[], context: CommandContext): RuleFinding[] {
  const first = words[0];
  if (first === undefined) return [];
  const name = programName(first);
  if (name === undefined) return [dangerous(`the program to run is computed at run time (${first.text})`)];
  const flags = flagsOf(words);
  const targets = operands(words);
  const home = context.homeDirectory;

  if (shells.has(name)) {
    const index = words.findIndex((word, position) => position > 0 && /^-[a-z]*c[a-z]*$/.test(word.value ?? ""));
    if (index > 0) {
      const script = words[index + 1];
      if (script?.value === undefined) return [dangerous(`${name} -c runs a script computed at run time`)];
      const nested = context.judgeNested(script.value);
      return [{ level: nested.level, reason: `${name} -c runs: ${nested.reasons.join("; ") || script.value}` }];
    }
    if (targets.length > 0) return [moderate(`${name} runs the script ${targets[0]?.text}`)];
    return [moderate(`${name} runs commands from standard input`)];
  }
  if (name === "eval") {
    const script = words.slice(1).map((word) => word.value);
    if (script.some((part) => part === undefined)) return [dangerous("eval runs text computed at run time")];
    const nested = context.judgeNested(script.join(" "));
    return [{ level: nested.level, reason: `eval runs: ${nested.reasons.join("; ") || script.join(" ")}` }];
  }
  if (name in interpreters) {
    const codeIndex = words.findIndex((word, position) => position > 0 && (interpreters[name] ?? []).includes(word.value ?? ""));
    if (codeIndex > 0) {
      const code = words[codeIndex + 1]?.value;
      if (code === undefined) return [dangerous(`${name} runs code computed at run time`)];
      if (destructiveCode.test(code)) return [dangerous(`${name} one-liner can delete, overwrite or run programs`)];
      return [moderate(`${name} runs an inline program`)];
    }
    return [moderate(`${name} runs a program`)];
  }
  if (name === "xargs") {
    const rest = words.slice(1);
    const start = rest.findIndex((word) => !(word.value ?? "").startsWith("-"));
    if (start < 0) return [moderate("xargs with echo")];
    const inner = context.judgeWords([...rest.slice(start), { value: undefined, text: "<input>" }]);
    return [{ level: inner.level, reason: `xargs runs: ${inner.reasons.join("; ")}` }];
  }
  if (name === "find") {
    const findings: RuleFinding[] = [];
    const start = targets[0]?.value;
    for (const [index, word] of words.entries()) {
      const value = word.value;
      if (value === "-delete") {
        const where = classifyTarget(start ?? ".", home);
        findings.push(
          where === "root" || where === "system" || where === "home"
            ? forbidden(`find -delete over ${start}`)
            : dangerous("find -delete deletes every match"),
        );
      }
      if (value === "-exec" || value === "-execdir" || value === "-ok" || value === "-okdir") {
        const end = words.findIndex(
          (candidate, position) => position > index && (candidate.value === ";" || candidate.value === "+"),
        );
        const inner = words
          .slice(index + 1, end < 0 ? undefined : end)
          .map((part) => (part.value === "{}" ? { value: undefined, text: "{}" } : part));
        const verdict = context.judgeWords(inner);
        findings.push({
          level: verdict.level === "SAFE" ? "MODERATE" : verdict.level,
          reason: `find ${value} runs: ${verdict.reasons.join("; ") || inner.map((part) => part.text).join(" ")}`,
        });
      }
    }
    return findings.length > 0 ? findings : [safe("find only lists files")];
  }
  if (name === "rm" || name === "unlink" || name === "rmdir" || name === "shred" || name === "srm") {
    const recursive = flags.has("-r") || flags.has("-R") || flags.has("--recursive");
    if (flags.has("--no-preserve-root")) return [forbidden("rm --no-preserve-root")];
    for (const target of targets) {
      const kind = classifyTarget(target.value, home, target.text);
      if (kind === "root") return [forbidden(`deletes the whole file system (${target.text})`)];
      if (kind === "system") return [forbidden(`deletes a system folder (${target.text})`)];
      if (kind === "home" && (recursive || target.value?.endsWith("*") || target.text.endsWith("*")))
        return [forbidden(`deletes your home folder (${target.text})`)];
    }
    if (targets.some((target) => target.value === undefined)) return [dangerous(`${name} on paths known only at run time`)];
    return [
      dangerous(
        `${name} deletes ${targets.map((target) => target.text).join(" ") || "files"} permanently${recursive ? ", recursively" : ""}`,
      ),
    ];
  }
  if (/^mkfs(\..+)?$/.test(name) || name === "mke2fs" || name === "mkswap" || name === "wipefs")
    return [forbidden(`${name} erases a file system`)];
  if (name === "dd") {
    const output = words.find((word) => word.value?.startsWith("of="))?.value?.slice(3);
    if (output !== undefined && blockDevice.test(output)) return [forbidden(`dd writes directly to the disk ${output}`)];
    if (output !== undefined && output !== "/dev/null") return [dangerous(`dd overwrites ${output}`)];
    return [moderate("dd copies raw data")];
  }
  if (
    [
      "fdisk",
      "sfdisk",
      "parted",
      "gdisk",
      "sgdisk",
      "cfdisk",
      "badblocks",
      "hdparm",
      "cryptsetup",
      "lvremove",
      "vgremove",
      "pvremove",
      "zpool",
      "mdadm",
    ].includes(name)
  ) {
    return [dangerous(`${name} changes disks or partitions`)];
  }
  if (name === "chmod" || name === "chown" || name === "chgrp" || name === "setfacl") {
    const recursive = flags.has("-R") || flags.has("--recursive");
    const files = name === "chmod" || name === "chown" || name === "chgrp" ? targets.slice(1) : targets;
    for (const target of files) {
      const kind = classifyTarget(target.value, home);
      if (recursive && (kind === "root" || kind === "system")) return [forbidden(`${name} -R on a system tree (${target.text})`)];
      if (kind === "root") return [forbidden(`${name} on the root folder`)];
    }
    if (name === "chmod" && targets[0]?.value !== undefined && /(^|[^0-7])[0-7]?777$|a\+rwx|o\+w/.test(targets[0].value)) {
      return [dangerous(`chmod ${targets[0].value} makes files writable by everyone`)];
    }
    if (recursive) return [dangerous(`${name} -R changes permissions of a whole tree`)];
    return [moderate(`${name} changes permissions or ownership`)];
  }
  if (["shutdown", "reboot", "poweroff", "halt", "kexec"].includes(name))
    return [dangerous(`${name} stops or restarts the computer`)];
  if (name === "init" || name === "telinit") {
    return ["0", "6"].includes(targets[0]?.value ?? "")
      ? [dangerous(`${name} ${targets[0]?.value} stops or restarts the computer`)]
      : [moderate(`${name} changes the run level`)];
  }
  if (name === "systemctl") {
    const action = targets[0]?.value ?? "";
    if (["poweroff", "reboot", "halt", "kexec", "suspend", "hibernate", "rescue", "emergency"].includes(action))
      return [dangerous(`systemctl ${action} stops or restarts the computer`)];
    if (["stop", "disable", "mask", "kill", "isolate"].includes(action)) return [dangerous(`systemctl ${action} stops services`)];
    if (["status", "list-units", "list-unit-files", "is-active", "is-enabled", "show", "cat"].includes(action))
      return [safe("systemctl only reads")];
    return [moderate(`systemctl ${action} changes services`)];
  }
  if (["kill", "pkill", "killall", "killall5", "skill"].includes(name)) {
    if (
      name === "killall5" ||
      targets.some((target) => target.value === "-1") ||
      words.some((word) => word.value === "-1" && name === "kill")
    ) {
      return [forbidden(`${name} would kill every process`)];
    }
    return [moderate(`${name} stops processes`)];
  }
  const packageVerdict = judgePackageManager(name, words, targets);
  if (packageVerdict !== undefined) return [packageVerdict];
  if (name === "git") return [judgeGit(words)];
  if (name === "crontab" && flags.has("-r")) return [dangerous("crontab -r deletes all scheduled jobs")];
  if (name === "iptables" || name === "ip6tables" || name === "nft" || name === "ufw") {
    return flags.has("-F") ||
      flags.has("--flush") ||
      targets.some((target) => ["flush", "disable", "reset"].includes(target.value ?? ""))
      ? [dangerous(`${name} removes firewall rules`)]
      : [moderate(`${name} changes the firewall`)];
  }
  if (name === "mv" || name === "cp" || name === "rsync" || name === "install" || name === "ln") {
    for (const target of targets) {
      const kind = classifyTarget(target.value, home);
      if (name === "mv" && (kind === "root" || kind === "home")) return [forbidden(`mv moves ${target.text} away`)];
      if (kind === "system" || kind === "root" || kind === "inside-system")
        return [dangerous(`${name} writes into a system folder (${target.text})`)];
    }
    if (name === "rsync" && (flags.has("--delete") || words.some((word) => word.value?.startsWith("--delete"))))
      return [dangerous("rsync --delete removes files at the destination")];
    if (name === "mv" && !flags.has("-n") && !flags.has("--no-clobber")) return [moderate(`mv may overwrite files`)];
    return [moderate(`${name} writes files`)];
  }
  if (name === "truncate") return [dangerous("truncate empties files")];
  if (name === "wget" || name === "curl" || name === "aria2c" || name === "fetch")
    return [moderate(`${name} downloads from the network`)];
  if (name === "scp" || name === "sftp" || name === "ssh" || name === "nc" || name === "ncat" || name === "telnet")
    return [moderate(`${name} connects to another machine`)];
  if (
    [
      "useradd",
      "userdel",
      "usermod",
      "passwd",
      "chpasswd",
      "groupdel",
      "visudo",
      "mount",
      "umount",
      "swapoff",
      "sysctl",
      "modprobe",
      "rmmod",
      "insmod",
    ].includes(name)
  ) {
    return [dangerous(`${name} changes system accounts or configuration`)];
  }
  if (readOnlyPrograms.has(name)) return [safe(`${name} only reads`)];
  if (
    name === "touch" ||
    name === "mkdir" ||
    name === "tee" ||
    name === "sed" ||
    name === "awk" ||
    name === "tar" ||
    name === "zip" ||
    name === "unzip" ||
    name === "gzip" ||
    name === "gunzip"
  ) {
    if (name === "sed" && (flags.has("-i") || words.some((word) => word.value?.startsWith("--in-place"))))
      return [moderate("sed -i edits files in place")];
    if (name === "sed" || name === "awk") return [safe(`${name} reads and prints`)];
    return [moderate(`${name} writes files`)];
  }
  return [moderate(`${name} is a program AstrOS does not know; it runs with your permissions`)];
}

/** Programs that install system software: running them with sudo is the normal way, not an extra risk. */
export const rootPackageManagers: ReadonlySet<string> = new Set([
  "apt",
  "apt-get",
  "aptitude",
  "dnf",
  "yum",
  "zypper",
  "pacman",
  "apk",
  "snap",
  "flatpak",
  "dpkg",
  "rpm",
]);

/** Operating-system package managers (as opposed to language ones): removing a critical package with them breaks the system. */
const systemPackageManagers: ReadonlySet<string> = new Set([...rootPackageManagers, "brew", "port"]);

function judgePackageManager(name: string, words: ShellWord[], targets: ShellWord[]): RuleFinding | undefined {
  const languageManagers = [
    "pip",
    "pip3",
    "pipx",
    "npm",
    "pnpm",
    "yarn",
    "gem",
    "cargo",
    "go",
    "composer",
    "conda",
    "mamba",
    "uv",
  ];
  if (!systemPackageManagers.has(name) && !languageManagers.includes(name)) return undefined;
  const action = targets[0]?.value ?? "";
  const packages = targets.slice(1).map((target) => target.value ?? "");
  const flags = words.slice(1).map((word) => word.value ?? "");
  const removing =
    ["remove", "purge", "autoremove", "erase", "uninstall", "rm", "un", "r"].includes(action) ||
    (name === "pacman" && flags.some((flag) => /^-R/.test(flag))) ||
    (name === "dpkg" && flags.some((flag) => ["-r", "-P", "--remove", "--purge"].includes(flag))) ||
    (name === "rpm" && flags.some((flag) => flag === "-e" || flag === "--erase"));
  if (removing) {
    const removed =
      name === "pacman" || name === "dpkg" || name === "rpm" ? targets.map((target) => target.value ?? "") : packages;
    const critical = removed.find((item) => criticalPackages.test(item));
    if (critical !== undefined && systemPackageManagers.has(name))
      return forbidden(`removing ${critical} would break the system`);
    return dangerous(`${name} ${action || "remove"} uninstalls ${removed.join(" ") || "packages"}`);
  }
  if (
    ["install", "add", "i", "upgrade", "update", "dist-upgrade", "full-upgrade", "reinstall", "-S", "-Syu", "get"].includes(
      action,
    ) ||
    flags.some((flag) => /^-S/.test(flag))
  ) {
    return { level: "MODERATE", reason: `${name} ${action} installs or updates software` };
  }
  if (["list", "search", "show", "info", "policy", "freeze", "ls", "outdated", "view", "-Q", "-Ss", "-l"].includes(action))
    return safe(`${name} ${action} only reads`);
  return { level: "MODERATE", reason: `${name} ${action} changes installed software` };
}

function judgeGit(words: ShellWord[]): RuleFinding {
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

export { blockDevice, shells };
