import picomatch from "picomatch";
import { judgeArgumentRunner } from "./argument-runners.js";
import { judgeAutorunCommand } from "./autorun-commands.js";
import { type CommandContext, judgeCodeRunner, type RuleFinding } from "./code-runners.js";
import { judgeCommandOptions } from "./command-options.js";
import { judgeDownloadRunner, trashAsRemoval } from "./download-runners.js";
import { judgeArchiver, judgeWrites, movedSources } from "./file-writers.js";
import { judgeGit } from "./git-rules.js";
import { describeProtected, isDisposable, systemTrees, type TargetContext, targetKind } from "./protected-targets.js";
import { judgeReaderOptions } from "./reader-options.js";
import { judgeRemoteRunner } from "./remote-runners.js";
import { judgeBuiltin } from "./shell-builtins.js";
import type { ShellWord } from "./shell-words.js";
import { judgeUnknownProgram } from "./unknown-programs.js";
import { programName, unwrap } from "./unwrap-command.js";

export type { CommandContext, RuleFinding } from "./code-runners.js";
export { shells } from "./code-runners.js";
export { programName, rootWrappers, unwrap } from "./unwrap-command.js";

/** Programs that only read or print (once their writing options are judged). */
const readOnlyPrograms = new Set(
  ": exit return break continue whatis apropos tldr info tac nl fold fmt paste join expand unexpand zcat zgrep bzcat xzcat bat batcat pstree pidof findmnt blkid vmstat iostat getconf arch lsmod cksum shasum sha512sum numfmt factor shuf base64 ls pwd cat echo printf date whoami id groups uname hostname head tail less more grep egrep fgrep rg ag wc sort uniq cut tr column du df free uptime ps pgrep top htop which whereis type file stat tree diff cmp comm realpath readlink basename dirname true false sleep test [ seq yes env printenv lsblk lscpu lsusb lspci ss netstat lsof ip ifconfig ping dig nslookup host jq yq md5sum sha1sum sha256sum b2sum xxd od hexdump strings man help history locale tty cal bc expr nproc w who last journalctl dmesg fd fdfind find".split(
    " ",
  ),
);

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

/** find options and tests that take a value (`-name "$x"`, `-newer "$f"`). */
const findValueOptions =
  /^-(name|iname|path|ipath|wholename|iwholename|regex|iregex|lname|ilname|type|xtype|size|mtime|mmin|atime|amin|ctime|cmin|newer|anewer|cnewer|user|group|uid|gid|perm|maxdepth|mindepth|links|inum|samefile|fstype|used|printf|fprint|fprint0|fprintf|fls|regextype|context|newer\w+)$/;

/** find tests that pick files by name (`-name '*.bak'`): a deletion with one is a scoped cleanup, not a wipe. */
const findNameTests = new Set(["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex"]);

/**
 * find's -delete and -exec/-execdir/-ok: what they run is judged as a command. Deleting everything
 * under the root, a system folder or the home folder is FORBIDDEN; in the home folder a name test
 * (`find ~ -name '*.bak' -delete`) makes it a cleanup that only needs a yes.
 */
function judgeFind(words: ShellWord[], targets: ShellWord[], context: CommandContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const start = targets[0]?.text;
  const where = targetKind(targets[0] ?? { value: ".", text: "." }, context.targets);
  const named = words.some(
    (word, index) => findNameTests.has(word.value ?? "") && !/^(\**|(\.\*)+)$/.test(words[index + 1]?.value ?? "*"),
  );
  const wipes = where === "root" || where === "system" || (where === "home" && !named);
  // A word known only at run time where an action could stand (`find ~ $ACTION`) may be -delete or -exec.
  const hidden = words.find(
    (word, index) => index > 0 && word.value === undefined && !findValueOptions.test(words[index - 1]?.value ?? "") && index > 1,
  );
  if (hidden !== undefined)
    findings.push(
      wipes
        ? forbidden(`find over ${start} with an action computed at run time (${hidden.text})`)
        : dangerous(`find with an action computed at run time (${hidden.text})`),
    );
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

/** GNU programs that only print when given --help or --version, wherever it stands among their options. */
const helpPrinters = new Set(
  "rm unlink rmdir shred mv cp ln install chmod chown chgrp dd truncate tar gzip gunzip bzip2 xz zip unzip find mkdir touch rsync sort tee kill pkill killall crontab mkfs wipefs".split(
    " ",
  ),
);

/** Programs that delete the files they are given. */
const deleters: ReadonlySet<string> = new Set(["rm", "unlink", "rmdir", "shred", "srm"]);

const safe = (reason: string): RuleFinding => ({ level: "SAFE", reason });
const moderate = (reason: string): RuleFinding => ({ level: "MODERATE", reason });
const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });

/** A chmod mode that sets setuid or setgid: `u+s`, `g=s`, `+s`, `4755`, `2755`. */
function setsOwnerOnRun(mode: string): boolean {
  if (/^0*[2-7][0-7]{3}$/.test(mode)) return (Number.parseInt(mode.slice(-4, -3), 8) & 6) !== 0;
  return mode.split(",").some((clause) => /^[ugoa]*[+=][rwxXt]*s/.test(clause));
}
const forbidden = (reason: string): RuleFinding => ({ level: "FORBIDDEN", reason });

/** Is this path (after ~ expansion) the root, a system tree, or the home folder itself? */
export function classifyTarget(
  value: string | undefined,
  homeDirectory: string,
  text = "",
): "dynamic" | "root" | "system" | "home" | "inside-system" | "other" {
  return targetKind(
    { value, text: text || value || "" },
    { homeDirectory, protectedFolders: [], temporaryDirectories: [], workingDirectories: [undefined] },
  );
}

export { systemTrees, type TargetContext };

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
  const builtin = judgeBuiltin(name, words, context);
  if (builtin !== undefined) return builtin;
  const writes = judgeWrites(name, words, context);
  const archived = judgeArchiver(name, words, context) ?? [];
  const findings = judgeCommandEffects(name, words, flags, targets, context);
  const autorun = helpOnly(name, flags) ? [] : judgeAutorunCommand(name, words, context);
  return [...archived, ...writes, ...autorun, ...judgeCommandOptions(name, words, context), ...findings];
}

/** `rm --help`, `chmod --version`: the program only prints. */
function helpOnly(name: string, flags: Set<string>): boolean {
  return helpPrinters.has(name) && (flags.has("--help") || flags.has("--version"));
}

function judgeCommandEffects(
  name: string,
  words: ShellWord[],
  flags: Set<string>,
  targets: ShellWord[],
  context: CommandContext,
): RuleFinding[] {
  const home = context.targets;
  if (helpPrinters.has(name) && (flags.has("--help") || flags.has("--version")))
    return [safe(`${name} ${flags.has("--help") ? "--help" : "--version"} only prints`)];

  if (name === "eval") {
    const script = words.slice(1).map((word) => word.value);
    if (script.some((part) => part === undefined)) return [dangerous("eval runs text computed at run time")];
    const nested = context.judgeNested(script.join(" "), context.standardInput);
    return [{ level: nested.level, reason: `eval runs: ${nested.reasons.join("; ") || script.join(" ")}` }];
  }
  // Trashing tools (`gio trash ~`, `trash-put ~`) remove what they are given from where it was: judged as rm -r.
  const removal = trashAsRemoval(name, words);
  if (removal !== undefined) return judgeProgram(removal, context);
  const download = judgeDownloadRunner(name, words);
  if (download !== undefined) return [download];
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
    if (targets.length === 0) return [moderate(`${name} without files deletes nothing`)];
    // A word known only at run time may hold options (`rm $OPTS ~`): count it as -r.
    const mayRecurse =
      recursive || targets.some((target) => target.value === undefined && targetKind(target, home) === "dynamic");
    for (const target of targets) {
      const kind = targetKind(target, home);
      if (kind === "root") return [forbidden(`deletes the whole file system (${target.text})`)];
      if (kind === "system") return [forbidden(`deletes a system folder (${target.text})`)];
      if (kind === "home" && (mayRecurse || target.value?.endsWith("*") || target.text.endsWith("*")))
        return [forbidden(`deletes ${describeProtected(target, home)}`)];
    }
    if (targets.some((target) => target.value === undefined)) return [dangerous(`${name} on paths known only at run time`)];
    // Routine only where nothing in this command line made the path (`ln -s ~ /tmp/h; rm -rf /tmp/h/x`) and it is not a system folder.
    const routine = (target: ShellWord) =>
      isDisposable(target, home) &&
      targetKind(target, home) === "other" &&
      (target.value === undefined || context.writtenEarlier?.(target.value) !== true);
    if (name !== "shred" && name !== "srm" && targets.every(routine))
      return [moderate(`${name} deletes ${targets.map((target) => target.text).join(" ")}: build output or temporary files`)];
    return [
      dangerous(
        `${name} deletes ${targets.map((target) => target.text).join(" ") || "files"} permanently${recursive ? ", recursively" : ""}`,
      ),
    ];
  }
  if (/^mkfs(\..+)?$/.test(name) || name === "mke2fs" || name === "mkswap" || name === "wipefs" || name === "blkdiscard")
    return [forbidden(`${name} erases a file system`)];
  if (name === "dd") {
    const outputWord = words.find((word) => word.text.replace(/^["']/, "").startsWith("of="));
    if (outputWord !== undefined && outputWord.value === undefined)
      return [dangerous(`dd writes to a file named at run time (${outputWord.text})`)];
    const output = outputWord?.value?.slice(3);
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
      const kind = targetKind(target, home);
      if (recursive && (kind === "root" || kind === "system")) return [forbidden(`${name} -R on a system tree (${target.text})`)];
      // `chmod -R 000 ~`, `chown -R nobody ~`: the home folder (or an allowed root, AstrOS's state) taken away whole.
      if (recursive && kind === "home") return [forbidden(`${name} -R on ${describeProtected(target, home)}`)];
      if (kind === "root") return [forbidden(`${name} on the root folder`)];
    }
    if (name === "chmod" && targets[0]?.value !== undefined && /(^|[^0-7])[0-7]?777$|a\+rwx|o\+w/.test(targets[0].value)) {
      return [dangerous(`chmod ${targets[0].value} makes files writable by everyone`)];
    }
    if (name === "chmod" && targets[0]?.value !== undefined && setsOwnerOnRun(targets[0].value)) {
      return [dangerous(`chmod ${targets[0].value} makes a program run as its owner or group (setuid/setgid)`)];
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
  if (name === "crontab") {
    if (flags.has("-r")) return [dangerous("crontab -r deletes all scheduled jobs")];
    if (flags.has("-l")) return [safe("crontab -l only lists")];
    if (flags.has("-e")) return [moderate("crontab -e edits scheduled jobs")];
    return [dangerous("crontab installs a new list of scheduled jobs, replacing the old one")];
  }
  if (name === "iptables" || name === "ip6tables" || name === "nft" || name === "ufw") {
    return flags.has("-F") ||
      flags.has("--flush") ||
      targets.some((target) => ["flush", "disable", "reset"].includes(target.value ?? ""))
      ? [dangerous(`${name} removes firewall rules`)]
      : [moderate(`${name} changes the firewall`)];
  }
  if (name === "mv" || name === "cp" || name === "rsync" || name === "install" || name === "ln") {
    // Only mv's sources go away; its destination (the last operand, or the -t folder) is written into.
    const moved = name === "mv" ? movedSources(words, targets) : [];
    for (const target of targets) {
      const kind = targetKind(target, home);
      if (moved.includes(target) && (kind === "root" || kind === "home")) return [forbidden(`mv moves ${target.text} away`)];
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
  const optionRisk = judgeReaderOptions(name, words, flags, targets, context);
  if (optionRisk !== undefined) return optionRisk;
  if (readOnlyPrograms.has(name)) return [safe(`${name} only reads`)];
  if (name === "tar" && /^-?[a-zA-Z]*t/.test(words[1]?.value ?? "") && !/[cxru]/.test((words[1]?.value ?? "").replace(/^-/, "")))
    return [safe("tar only lists an archive")];
  if (name === "tar" && words.some((word) => word.value === "--list")) return [safe("tar only lists an archive")];
  if (name === "unzip" && words.some((word) => /^-[lvtZ]+$/.test(word.value ?? "")))
    return [safe("unzip only lists or tests an archive")];
  if (
    [
      "touch",
      "mkdir",
      "tee",
      "tar",
      "zip",
      "unzip",
      "gzip",
      "gunzip",
      "bzip2",
      "xz",
      "zstd",
      "lz4",
      "7z",
      "7za",
      "script",
    ].includes(name)
  )
    return [moderate(`${name} writes files`)];
  return judgeUnknownProgram(name, words, context);
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
