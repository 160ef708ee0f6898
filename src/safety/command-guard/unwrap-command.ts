import path from "node:path";
import type { ShellWord } from "./shell-words.js";

/** Prefixes that run the rest of their arguments as a command. */
const wrappers = new Set([
  "sudo",
  "doas",
  "pkexec",
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
  "busybox",
  "chroot",
  "unshare",
  "nsenter",
  "setpriv",
  "strace",
  "ltrace",
  "systemd-run",
  "firejail",
  "valgrind",
  "xvfb-run",
  "torsocks",
  "proxychains",
  "proxychains4",
  "dbus-run-session",
  "sg",
  "flatpak-spawn",
  "fakeroot",
  "faketime",
  "prlimit",
  "numactl",
  "cgexec",
  "coproc",
  "catchsegv",
  "rlwrap",
  "eatmydata",
  "nocache",
  "trickle",
  "tsocks",
  "chronic",
  "ifne",
  "dbus-launch",
  "gtimeout",
  "sshpass",
  "sandbox-exec",
  "screen",
  "entr",
]);

/** Wrappers that run the command as another user (root, usually). */
export const rootWrappers: ReadonlySet<string> = new Set(["sudo", "doas", "pkexec"]);

/** Options of each wrapper that take a value (`sudo -u bob ...`): skipped together with that value. */
const wrapperOptionsWithValue: Record<string, readonly string[]> = {
  sudo: ["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "--user", "--group", "--host", "--prompt", "--chdir"],
  doas: ["-u", "-C"],
  pkexec: ["--user"],
  nice: ["-n", "--adjustment"],
  ionice: ["-c", "-n", "-p", "--class", "--classdata"],
  chrt: ["-p"],
  taskset: ["-p", "-c"],
  timeout: ["-s", "-k", "--signal", "--kill-after"],
  env: ["-u", "-C", "--unset", "--chdir"],
  stdbuf: ["-i", "-o", "-e"],
  watch: ["-n", "-d", "--interval"],
  runuser: ["-u", "-g", "-G", "-l", "--user", "--group", "--supp-group"],
  flock: ["-w", "--timeout", "-E", "--conflict-exit-code"],
  chroot: ["--userspec", "--groups"],
  unshare: ["-S", "-G", "-R", "-w", "--setuid", "--setgid", "--root", "--wd", "--map-user", "--map-group", "--propagation"],
  nsenter: ["-t", "--target", "-S", "--setuid", "-G", "--setgid"],
  setpriv: [
    "--reuid",
    "--regid",
    "--ruid",
    "--rgid",
    "--euid",
    "--egid",
    "--groups",
    "--inh-caps",
    "--ambient-caps",
    "--bounding-set",
    "--securebits",
    "--pdeathsig",
    "--selinux-label",
    "--apparmor-profile",
  ],
  strace: ["-o", "-p", "-e", "-s", "-u", "-E", "-a", "-b", "-I", "-O", "-P", "-S", "-X", "-U"],
  ltrace: ["-o", "-p", "-e", "-u", "-n", "-s", "-a", "-A", "-D", "-E", "-F", "-l"],
  "systemd-run": [
    "-p",
    "--property",
    "-u",
    "--unit",
    "-H",
    "--host",
    "-M",
    "--machine",
    "-E",
    "--setenv",
    "--uid",
    "--gid",
    "--nice",
    "--working-directory",
    "--description",
    "--slice",
    "--on-active",
    "--on-boot",
    "--on-calendar",
  ],
  "xvfb-run": ["-n", "--server-num", "-s", "--server-args", "-f", "--auth-file", "-e", "--error-file", "-p", "-w", "--wait"],
  torsocks: ["-u", "-p", "-a", "-P"],
  proxychains: ["-f"],
  exec: ["-a"],
  faketime: ["-f", "-m", "-p"],
  numactl: ["-N", "-m", "-C", "-p", "-i", "--cpunodebind", "--membind", "--physcpubind", "--preferred", "--interleave"],
  cgexec: ["-g"],
  prlimit: ["-p", "--pid"],
  trickle: ["-u", "-d", "-w", "-t", "-l", "-n"],
  sshpass: ["-p", "-f", "-d", "-e"],
  "sandbox-exec": ["-f", "-p", "-n", "-D"],
  screen: ["-S", "-c", "-e", "-h", "-L", "-Logfile", "-p", "-s", "-t", "-T", "-X"],
  proxychains4: ["-f"],
};

/** Wrappers whose first operand is not the command: `flock LOCKFILE cmd`, `chroot NEWROOT cmd`. */
const skipsOneOperand = new Set(["flock", "chroot", "sg", "faketime"]);

export function programName(word: ShellWord | undefined): string | undefined {
  if (word?.value === undefined) return undefined;
  return path.posix.basename(word.value);
}

/** Split `env -S` text into words the way env does, roughly: on blanks, quotes removed. */
function splitString(text: string): ShellWord[] {
  const parts = text.match(/"[^"]*"|'[^']*'|[^\s"']+/g) ?? [];
  return parts.map((part) => ({ value: part.replace(/^["']|["']$/g, ""), text: part }));
}

/**
 * Find the program a wrapper runs: `sudo -u bob env A=1 nice -n 5 rm -rf x` → `rm -rf x`. Stops at a
 * wrapper that only looks something up (`command -v rm`) or that takes a command string of its own
 * (`runuser -l bob -c '...'`), so that the program's own rule judges it.
 */
export function unwrap(words: ShellWord[]): { words: ShellWord[]; wrappers: string[] } {
  const used: string[] = [];
  let rest = words;
  for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
    const name = programName(rest[0]);
    if (name === undefined || !wrappers.has(name)) break;
    const values = rest.slice(1).map((word) => word.value);
    if (name === "command" && values.some((value) => value === "-v" || value === "-V")) break;
    if (name === "runuser" && values.some((value) => value === "-c" || value?.startsWith("--command"))) break;
    // `flock LOCK -c 'cmd'`, `sg GROUP -c 'cmd'`: the command string is the rest.
    if ((name === "flock" || name === "sg") && values.some((value) => value === "-c" || value === "--command")) {
      const at = rest.findIndex((word) => word.value === "-c" || word.value === "--command");
      used.push(name);
      rest = rest.slice(at + 1);
      continue;
    }
    used.push(name);
    let index = 1;
    let split: ShellWord[] = [];
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
      // env -S 'rm -rf /' (also -S'...' and --split-string=...) splits its argument into a command.
      if (name === "env" && (value === "-S" || value === "--split-string")) {
        split = splitString(rest[index + 1]?.value ?? "");
        index += 2;
        break;
      }
      if (name === "env" && (value.startsWith("--split-string=") || /^-S./.test(value))) {
        split = splitString(value.startsWith("-S") ? value.slice(2) : value.slice("--split-string=".length));
        index++;
        break;
      }
      if (value.startsWith("-")) {
        index += (wrapperOptionsWithValue[name] ?? []).includes(value) ? 2 : 1;
        continue;
      }
      // timeout DURATION COMMAND, nice's legacy -N, chrt PRIORITY COMMAND
      if ((name === "timeout" || name === "chrt") && /^[\d.]+[smhd]?$/.test(value)) {
        index++;
      }
      if (skipsOneOperand.has(name) && index + 1 < rest.length) index++;
      break;
    }
    rest = [...split, ...rest.slice(index)];
  }
  return { words: rest, wrappers: used };
}
