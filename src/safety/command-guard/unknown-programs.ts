import path from "node:path";
import type { CommandContext, RuleFinding } from "./code-runners.js";
import { maxRisk } from "./risk-level.js";
import type { ShellWord } from "./shell-words.js";

/** Programs that change or destroy things: an unknown program given one of them with arguments may well run it. */
const consequentialPrograms = new Set(
  "rm unlink rmdir shred srm dd mkfs mke2fs wipefs blkdiscard mv cp chmod chown chgrp truncate find xargs parallel sh bash zsh dash ksh fish ash python python3 python2 perl ruby node nodejs php lua eval source sudo doas su pkexec env git tar zip rsync curl wget kill pkill killall systemctl shutdown reboot poweroff halt crontab at tee install ln fdisk parted sed awk".split(
    " ",
  ),
);

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
