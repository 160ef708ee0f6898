import path from "node:path";
import type { CommandContext, RuleFinding } from "./code-runners.js";
import { describeProtected, sensitiveWrite, targetKind } from "./protected-targets.js";
import { maxRisk } from "./risk-level.js";
import type { ShellWord } from "./shell-words.js";

/** Programs that change or destroy things: an unknown program given one of them with arguments may well run it. */
const consequentialPrograms = new Set(
  "rm unlink rmdir shred srm dd mkfs mke2fs wipefs blkdiscard mv cp chmod chown chgrp truncate find xargs parallel sh bash zsh dash ksh fish ash python python3 python2 perl ruby node nodejs php lua eval source sudo doas su pkexec env git tar zip rsync curl wget kill pkill killall systemctl shutdown reboot poweroff halt crontab at tee install ln fdisk parted sed awk".split(
    " ",
  ),
);

/** Programs that open a folder for the user to look at (an editor window, a file manager): naming the home folder is their use. */
const openers = new Set([
  "code",
  "codium",
  "subl",
  "xdg-open",
  "open",
  "nautilus",
  "dolphin",
  "thunar",
  "nemo",
  "ncdu",
  "baobab",
]);

/**
 * What an argument of an unknown program names that it must not destroy or write: the root, a
 * system folder, the home folder, a protected folder (or one holding it), or a start-up, hook,
 * key or crontab file. `--opt=VALUE` is judged by its value. Undefined for anything else.
 */
function namedTarget(word: ShellWord, context: CommandContext): string | undefined {
  // `--out=VALUE`, and a short option with its value attached when that value is a path (`-o~/.bashrc`, `-d/etc`).
  const equals = /^--?[A-Za-z][\w-]*=(.+)$/s.exec(word.value ?? "") ?? /^-[A-Za-z]([~/].*)$/s.exec(word.value ?? "");
  const target: ShellWord = equals?.[1] !== undefined ? { value: equals[1], text: equals[1] } : word;
  if (target.value === undefined || target.value.startsWith("-")) return undefined;
  const kind = targetKind(target, context.targets);
  if (kind === "root" || kind === "system") return `${target.text}, the root or a system folder`;
  if (kind === "home") return describeProtected(target, context.targets);
  return sensitiveWrite(target, context.targets);
}

const moderate = (reason: string): RuleFinding => ({ level: "MODERATE", reason });

/**
 * A program the guard has no rule for. Its effect is unknown, so it is MODERATE, unless it looks like
 * a runner of another command line (`flatpak-spawn --host rm -rf ~`, `tmux new 'rm -rf ~'`,
 * `mytool --run "$(cat cmd)"`): then what it may run is judged, and a command that could be
 * DANGEROUS or FORBIDDEN makes the whole line so; text computed at run time is DANGEROUS.
 */
export function judgeUnknownProgram(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const raise = (finding: RuleFinding) => {
    if (finding.level === "DANGEROUS" || finding.level === "FORBIDDEN") findings.push(finding);
  };
  for (const [index, word] of words.entries()) {
    if (index === 0) continue;
    if (word.value === undefined && /\$\(|`/.test(word.text)) {
      raise({ level: "DANGEROUS", reason: `${name} is given text computed at run time (${word.text}), which it may run` });
      continue;
    }
    const named = openers.has(name) ? undefined : namedTarget(word, context);
    if (named !== undefined)
      raise({
        level: "DANGEROUS",
        reason: `${name}, a program AstrOS does not know, is given ${named}: it may destroy or write it`,
      });
    const value = word.value;
    if (value === undefined || value.startsWith("-")) continue;
    if (index < 12 && consequentialPrograms.has(path.posix.basename(value))) {
      const inner = context.judgeWords(words.slice(index));
      raise({ level: inner.level, reason: `${name} may run: ${inner.reasons.join("; ")}` });
    }
    if (/\s/.test(value.trim()) && value.length < 4096) {
      const nested = context.judgeNested(value);
      raise({ level: nested.level, reason: `${name} may run ${value}: ${nested.reasons.join("; ")}` });
    }
  }
  if (findings.length === 0) return [moderate(`${name} is a program AstrOS does not know; it runs with your permissions`)];
  const worst = findings.reduce((a, b) => (maxRisk(a.level, b.level) === a.level ? a : b));
  return [worst];
}
