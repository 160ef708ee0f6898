import { beforeAll, describe, expect, it } from "vitest";
import { CommandGuard } from "./command-guard.js";
import type { RiskLevel } from "./risk-level.js";

let guard: CommandGuard;
beforeAll(async () => {
  guard = await CommandGuard.create({ homeDirectory: "/home/alice" });
});

function levels(commands: string[]): Record<string, RiskLevel> {
  return Object.fromEntries(commands.map((command) => [command, guard.check(command).level]));
}

describe("options that make a program run a command", () => {
  it("never lets an option run a command the guard did not judge, in any spelling of the option", () => {
    const expected: Record<string, RiskLevel> = {
      "rsync -e 'rm -rf ~' a host:b": "FORBIDDEN",
      "rsync --rsh='rm -rf ~' a host:b": "FORBIDDEN",
      "rsync --rsh 'rm -rf ~' a host:b": "FORBIDDEN",
      "rsync --rsync-path='rm -rf ~' a host:b": "FORBIDDEN",
      "rsync -avze 'rm -rf ~' a host:b": "FORBIDDEN",
      "ssh -vo ProxyCommand='rm -rf ~' x": "FORBIDDEN",
      "sort --compress='rm -rf ~' big.txt": "FORBIDDEN",
      "tar --use-compress 'rm -rf ~' -xf a.tar": "FORBIDDEN",
      "git difftool --extc='rm -rf ~' -y": "FORBIDDEN",
      "git rebase --exe 'rm -rf ~' main": "FORBIDDEN",
      "ssh -o ProxyCommand='rm -rf ~' x": "FORBIDDEN",
      "ssh -oProxyCommand='rm -rf ~' x": "FORBIDDEN",
      "ssh -o 'proxycommand rm -rf ~' x": "FORBIDDEN",
      "scp -o LocalCommand='rm -rf ~' -o PermitLocalCommand=yes a host:b": "FORBIDDEN",
      "git grep -O'rm -rf ~' foo": "FORBIDDEN",
      "git -c color.ui=auto difftool --extcmd 'rm -rf ~' -y": "FORBIDDEN",
      "git submodule foreach 'rm -rf ~'": "FORBIDDEN",
      "sort --compress-program 'rm -rf ~' a": "FORBIDDEN",
      "tar --rmt-command='rm -rf ~' -cf h:/a b": "FORBIDDEN",
      "wget --use-askpass='rm -rf ~' http://example.com": "FORBIDDEN",
      "sqlite3 db '.shell rm -rf ~'": "FORBIDDEN",
      "psql -c '\\! rm -rf ~'": "FORBIDDEN",
      "less '+!rm -rf ~' notes.txt": "FORBIDDEN",
      "socat - EXEC:'rm -rf ~'": "FORBIDDEN",
      "socat - system:'rm -rf ~',pty": "FORBIDDEN",
      "ncat -l 9 -e 'rm -rf ~'": "FORBIDDEN",
      "nc -l 9 -c 'rm -rf ~'": "FORBIDDEN",
      "strace -o '|rm -rf ~' ls": "FORBIDDEN",
      "sudo strace -o '!rm -rf ~' ls": "FORBIDDEN",
      "systemd-run --user -p ExecStopPost='/bin/rm -rf /home/alice' true": "FORBIDDEN",
      "git instaweb --httpd='rm -rf ~'": "FORBIDDEN",
      "tar cIf 'rm -rf ~' a.tar dir": "FORBIDDEN",
    };
    expect(levels(Object.keys(expected))).toEqual(expected);
  });

  it("asks before an option runs a program or reads a configuration the guard cannot see", () => {
    const expected: Record<string, RiskLevel> = {
      "scp -S ./prog a host:b": "DANGEROUS",
      "scp -qS ./prog a host:b": "DANGEROUS",
      "sftp -D ./server host": "DANGEROUS",
      "ssh -F ./evil.conf host": "DANGEROUS",
      'ssh -o ProxyCommand="$CMD" host': "DANGEROUS",
      "git --exec-path=/tmp/x status": "DANGEROUS",
      "git --git-dir=/other/.git log": "DANGEROUS",
      "make SHELL=/tmp/x": "DANGEROUS",
      "make 'SHELL:=/tmp/x'": "DANGEROUS",
      "make 'X != rm -rf ~'": "FORBIDDEN",
      "make --eval='x: ; rm -rf ~'": "DANGEROUS",
      "tcpdump -z ./rotate -w a.pcap": "DANGEROUS",
      "pandoc --filter ./f in.md": "DANGEROUS",
      "git clone -c core.sshCommand='./x' git@host:repo": "DANGEROUS",
      "ssh -o 'Include ./evil.conf' host": "DANGEROUS",
      "RSYNC_RSH='rm -rf ~' rsync a host:b": "DANGEROUS",
      "MANOPT='-P ./x' man ls": "DANGEROUS",
      "TAR_OPTIONS=--use-compress-program=./x tar xf a.tar": "DANGEROUS",
      "MAKEFLAGS=SHELL=./x make": "DANGEROUS",
    };
    expect(levels(Object.keys(expected))).toEqual(expected);
  });

  it("leaves the same programs as they were when no option runs anything", () => {
    const expected: Record<string, RiskLevel> = {
      "rsync -av src/ backup/": "MODERATE",
      "rsync -e ssh -av src/ host:b": "MODERATE",
      "rsync -avze ssh src/ host:b": "MODERATE",
      "rsync -avz src/ host:b": "MODERATE",
      "ssh host uptime": "MODERATE",
      "ssh -o ProxyCommand=none -p 22 host": "MODERATE",
      "ssh -F /dev/null host": "MODERATE",
      "scp a host:b": "MODERATE",
      "git grep foo": "SAFE",
      "git grep -O foo": "SAFE",
      "git --exec-path": "MODERATE",
      "git log -p": "SAFE",
      "git diff": "SAFE",
      "sort -o out.txt in.txt": "MODERATE",
      "tar czf a.tgz dir": "MODERATE",
      "tar cf a.tar dir": "MODERATE",
      "socat - TCP:example.com:80": "MODERATE",
      "make test SHELL=/bin/bash": "MODERATE",
      "make CFLAGS=-O2 CC=gcc all": "MODERATE",
      "sqlite3 db '.tables'": "MODERATE",
    };
    expect(levels(Object.keys(expected))).toEqual(expected);
  });

  it("judges the files git writes by option like any other write", () => {
    const expected: Record<string, RiskLevel> = {
      "git log --output=/home/alice/.bashrc": "DANGEROUS",
      "git archive -o ~/.profile HEAD": "DANGEROUS",
      "git bundle create /home/alice/.bashrc HEAD": "DANGEROUS",
      "git format-patch -o ~/.config/autostart HEAD~1": "DANGEROUS",
      "git archive -o release.tar HEAD": "MODERATE",
      "git format-patch -o patches HEAD~3": "MODERATE",
    };
    expect(levels(Object.keys(expected))).toEqual(expected);
  });

  it("asks before fetching a package and running it, and before running a script file it cannot read", () => {
    const expected: Record<string, RiskLevel> = {
      "npx cowsay": "DANGEROUS",
      "npx -y tsc": "DANGEROUS",
      "npm exec cowsay": "DANGEROUS",
      "pnpm dlx cowsay": "DANGEROUS",
      "yarn dlx cowsay": "DANGEROUS",
      "bunx cowsay": "DANGEROUS",
      "pipx run cowsay": "DANGEROUS",
      "uvx ruff": "DANGEROUS",
      "pip install git+https://example.com/x.git": "DANGEROUS",
      "python3 -m pip install git+https://example.com/x.git": "DANGEROUS",
      "pip install --index-url http://example.com/simple requests": "DANGEROUS",
      "bash install.sh": "DANGEROUS",
      "bash < evil.sh": "DANGEROUS",
      "source ./env.sh": "DANGEROUS",
      "npx tsc --noEmit": "MODERATE",
      "git diff --name-only | xargs npx eslint": "MODERATE",
      'npx "$PKG"': "DANGEROUS",
      "pip install requests": "MODERATE",
      "source venv/bin/activate": "MODERATE",
      "echo 'echo hi' > t.sh && bash t.sh": "MODERATE",
    };
    expect(levels(Object.keys(expected))).toEqual(expected);
  });

  it("judges trashing tools by what they take away, like rm -r", () => {
    const expected: Record<string, RiskLevel> = {
      "gio trash ~": "FORBIDDEN",
      "gio remove /etc": "FORBIDDEN",
      "trash-put ~": "FORBIDDEN",
      "kioclient5 move ~ trash:/": "FORBIDDEN",
      "gio move ~ /tmp/x": "FORBIDDEN",
      "gio trash notes.txt": "DANGEROUS",
    };
    expect(levels(Object.keys(expected))).toEqual(expected);
  });
});
