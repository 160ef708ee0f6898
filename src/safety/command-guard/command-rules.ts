import path from "node:path";
import picomatch from "picomatch";
import { judgeArgumentRunner } from "./argument-runners.js";
import { type CommandContext, judgeCodeRunner, type RuleFinding } from "./code-runners.js";
import { judgeGit } from "./git-rules.js";
import { optionValues, runsOption, tarCommands } from "./option-commands.js";
import { judgeRemoteRunner } from "./remote-runners.js";
import type { ShellWord } from "./shell-words.js";
import { programName, unwrap } from "./unwrap-command.js";

export type { CommandContext, RuleFinding } from "./code-runners.js";
export { shells } from "./code-runners.js";
export { programName, rootWrappers, unwrap } from "./unwrap-command.js";

/** Programs that only read or print. */
const readOnlyPrograms = new Set(
  "base64 ls pwd cat echo printf date whoami id groups uname hostname head tail less more grep egrep fgrep rg ag wc sort uniq cut tr column du df free uptime ps pgrep top htop which whereis type file stat tree diff cmp comm realpath readlink basename dirname true false sleep test [ seq yes env printenv lsblk lscpu lsusb lspci ss netstat lsof ip ifconfig ping dig nslookup host jq yq md5sum sha1sum sha256sum b2sum xxd od hexdump strings man help history locale tty cal bc expr nproc w who last journalctl dmesg fd fdfind find".split(
    " ",
  ),
);

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
  /^(apt|apt-get|dpkg|systemd|systemd-sysv|libc6|libc-bin|linux-image.*|linux-generic|grub.*|bash|coreutils|sudo|init|login|passwd|util-linux|mount|base-files|base-passwd|glibc|kernel|kernel-core|rpm|dnf|yum|pacman|zypper|openssh-server|python3|perl-base|ubuntu-minimal|debianutils|e2fsprogs|libsystemd0|udev|linux|linux-lts|linux-zen|linux-hardened|base|snapd)$/;
/** Names the pattern above stands for, to test package globs (`apt remove 'libc*'`) against. */
const criticalExamples = [
  ..."apt apt-get dpkg systemd systemd-sysv libc6 libc-bin linux-image-generic linux-generic grub-pc grub2-common bash coreutils sudo init login passwd util-linux mount base-files base-passwd glibc kernel kernel-core rpm dnf yum pacman zypper openssh-server python3 perl-base ubuntu-minimal debianutils e2fsprogs libsystemd0 udev linux linux-lts base snapd".split(
    " ",
  ),
];

/** Is this package (maybe `name:arch`, `name=version` or a glob) one the system cannot run without? */
function isCriticalPackage(item: string): boolean {
  const name = item.replace(/[:=].*$/, "");
  if (criticalPackages.test(name)) return true;
  return /[*?[]/.test(name) && criticalExamples.some((example) => picomatch.isMatch(example, name));
}
const blockDevice = /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\/|mapper\/|md\d|dm-|loop\d|sr\d|nbd\d)/;

/** find tests that pick files by name (`-name '*.bak'`): a deletion with one is a scoped cleanup, not a wipe. */
const findNameTests = new Set(["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex"]);

/**
 * find's -delete and -exec/-execdir/-ok: what they run is judged as a command. Deleting everything
 * under the root, a system folder or the home folder is FORBIDDEN; in the home folder a name test
 * (`find ~ -name '*.bak' -delete`) makes it a cleanup that only needs a yes.
 */
function judgeFind(words: ShellWord[], targets: ShellWord[], context: CommandContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const start = targets[0]?.value;
  const where = classifyTarget(start ?? ".", context.homeDirectory);
  const named = words.some((word, index) => findNameTests.has(word.value ?? "") && !/^\**$/.test(words[index + 1]?.value ?? "*"));
  const wipes = where === "root" || where === "system" || (where === "home" && !named);
  for (const [index, word] of words.entries()) {
    const value = word.value;
    if (value === "-delete") {
      findings.push(wipes ? forbidden(`find -delete over ${start}`) : dangerous("find -delete deletes every match"));
    }
    if (value === "-exec" || value === "-execdir" || value === "-ok" || value === "-okdir") {
      const end = words.findIndex(
        (candidate, position) => position > index && (candidate.value === ";" || candidate.value === "+"),
      );
      const inner = words
        .slice(index + 1, end < 0 ? undefined : end)
        .map((part) => (part.value === "{}" ? { value: undefined, text: "{}" } : part));
      const verdict = context.judgeWords(inner);
      const runs = programName(unwrap(inner).words[0]) ?? "";
      if (wipes && deleters.has(runs) && verdict.level !== "FORBIDDEN") {
        findings.push(forbidden(`find ${value} ${runs} deletes everything under ${start}`));
        continue;
      }
      findings.push({
        level: verdict.level === "SAFE" ? "MODERATE" : verdict.level,
        reason: `find ${value} runs: ${verdict.reasons.join("; ") || inner.map((part) => part.text).join(" ")}`,
      });
    }
  }
  return findings.length > 0 ? findings : [safe("find only lists files")];
}

/** Programs that delete the files they are given. */
const deleters: ReadonlySet<string> = new Set(["rm", "unlink", "rmdir", "shred", "srm"]);

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
  // $HOME, "${HOME}", $HOME/ and $HOME/* name the home folder even though their value is only known at run time;
  // "$HOME/etc" is judged as ~/etc.
  if (value === undefined) {
    if (/^"?\$(\{HOME\}|HOME)"?\/?\*?"?$/.test(text)) return "home";
    const under = /^"?\$(?:\{HOME\}|HOME)"?(\/[^$`"'\\]*)"?$/.exec(text)?.[1];
    return under === undefined ? "dynamic" : classifyTarget(`~${under}`, homeDirectory);
  }
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

  if (name === "eval") {
    const script = words.slice(1).map((word) => word.value);
    if (script.some((part) => part === undefined)) return [dangerous("eval runs text computed at run time")];
    const nested = context.judgeNested(script.join(" "), context.standardInput);
    return [{ level: nested.level, reason: `eval runs: ${nested.reasons.join("; ") || script.join(" ")}` }];
  }
  const runner =
    judgeCodeRunner(name, words, context) ?? judgeArgumentRunner(name, words, context) ?? judgeRemoteRunner(name, words, context);
  if (runner !== undefined) return runner;
  if (name === "command") return [safe("command -v only looks a program up")];
  if (name === "find") return judgeFind(words, targets, context);
  // Writing to a block device destroys the file system on it, whatever the program.
  const written = ["tee", "shred", "truncate"].includes(name)
    ? targets
    : ["cp", "mv", "install", "rsync", "ln"].includes(name)
      ? targets.slice(-1)
      : [];
  const disk = written.find((target) => target.value !== undefined && blockDevice.test(target.value));
  if (disk !== undefined) return [forbidden(`${name} writes directly to the disk ${disk.value}`)];
  if (deleters.has(name)) {
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
  if (/^mkfs(\..+)?$/.test(name) || name === "mke2fs" || name === "mkswap" || name === "wipefs" || name === "blkdiscard")
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
  if (name === "git") return [judgeGit(words, context)];
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
  if (name === "tar" || name === "zip") {
    const commands = name === "tar" ? tarCommands(words) : optionValues(words, ["--unzip-command"], ["-TT"]);
    if (commands.length > 0) return commands.map((command) => runsOption(name, command, context));
  }
  if (["touch", "mkdir", "tee", "tar", "zip", "unzip", "gzip", "gunzip"].includes(name))
    return [moderate(`${name} writes files`)];
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
    const critical = removed.find(isCriticalPackage);
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

export { blockDevice };
