import { beforeAll, describe, expect, it } from "vitest";
import { CommandGuard } from "./command-guard.js";
import type { RiskLevel } from "./risk-level.js";

// Only strings are judged here: nothing runs.
let guard: CommandGuard;
let asRoot: CommandGuard;
beforeAll(async () => {
  guard = await CommandGuard.create({ homeDirectory: "/home/alice", userName: "alice" });
  asRoot = await CommandGuard.create({ homeDirectory: "/root", userName: "root" });
});

function expectLevels(expected: Record<string, RiskLevel>, judge = guard): void {
  const found = Object.fromEntries(Object.keys(expected).map((command) => [command, judge.check(command).level]));
  expect(found).toEqual(expected);
}

describe("the home folder computed at run time", () => {
  it("forbids deleting it through substitutions the guard can compute: echo, printf, dirname, realpath, whoami, cd; pwd", () => {
    expectLevels({
      "rm -rf $(echo ~)": "FORBIDDEN",
      "rm -rf `echo ~`": "FORBIDDEN",
      'rm -rf "$(echo $HOME)"': "FORBIDDEN",
      "rm -rf $(printf %s ~)": "FORBIDDEN",
      "rm -rf $(dirname ~/x)": "FORBIDDEN",
      "rm -rf $(realpath ~)": "FORBIDDEN",
      "rm -rf $(readlink -f ~/Documents/..)": "FORBIDDEN",
      "rm -rf $(cd ~; pwd)": "FORBIDDEN",
      "rm -rf /home/$(whoami)": "FORBIDDEN",
      "rm -rf ~/$(echo .)": "FORBIDDEN",
      "find $(echo ~) -delete": "FORBIDDEN",
      "shred -ru $(echo ~)": "FORBIDDEN",
    });
  });

  it("forbids deleting it through variables set earlier in the line, $HOME, $USER, ~NAME and . or ..", () => {
    expectLevels({
      "X=~; rm -rf $X": "FORBIDDEN",
      "X=~ && rm -rf $X": "FORBIDDEN",
      "export X=~; rm -rf $X": "FORBIDDEN",
      'declare X=$HOME; rm -rf "$X"': "FORBIDDEN",
      "X=~; Y=$X; rm -rf $Y": "FORBIDDEN",
      "X=~; mv $X /tmp/h": "FORBIDDEN",
      "rm -rf ~$USER": "FORBIDDEN",
      "rm -rf ~${LOGNAME}": "FORBIDDEN",
      "rm -rf ~alice": "FORBIDDEN",
      'rm -rf "$HOME"/': "FORBIDDEN",
      "rm -rf ${HOME:?}/": "FORBIDDEN",
      "rm -rf ${HOME%/*}/$USER": "FORBIDDEN",
      "rm -rf ~/.": "FORBIDDEN",
      "rm -rf ~/../$USER": "FORBIDDEN",
      "D=~/..; rm -rf $D/$USER": "FORBIDDEN",
    });
    expectLevels({ "rm -rf ~root": "FORBIDDEN", "rm -rf ~$USER": "FORBIDDEN", "rm -rf $(echo ~)": "FORBIDDEN" }, asRoot);
  });

  it("keeps what it cannot resolve, given to a deleting command, at least DANGEROUS", () => {
    expectLevels({
      "rm -rf $(cat dirs.txt)": "DANGEROUS",
      "rm -rf $TARGET": "DANGEROUS",
      "rm -rf $(mktemp -d)": "DANGEROUS",
      "rm -rf $(echo ~ /tmp)": "DANGEROUS",
      "if true; then X=~; fi; rm -rf $X": "DANGEROUS",
      "X=~; X=/tmp/a; rm -rf $X": "DANGEROUS",
      "HOME=/tmp/x; rm -rf $HOME/cache": "DANGEROUS",
    });
  });

  it("leaves computed paths that name ordinary places as they were", () => {
    expectLevels({
      "rm -rf $(echo /tmp/build-1)": "MODERATE",
      "X=build; rm -rf $X": "MODERATE",
      'rm -rf "$HOME/projects/app/node_modules"': "MODERATE",
      "rm -rf $(echo $HOME/Documents)": "DANGEROUS",
      "echo $(echo ~)": "SAFE",
      "ls $(dirname ~/projects/app/src)": "SAFE",
      "du -sh ~$USER": "SAFE",
    });
  });
});
