import { beforeAll, describe, expect, it } from "vitest";
import { CommandGuard } from "./command-guard.js";

let guard: CommandGuard;

beforeAll(async () => {
  guard = await CommandGuard.create({ homeDirectory: "/home/alice" });
});

const paths = (command: string) => guard.check(command).paths;

describe("the files a command names", () => {
  it("lists arguments and redirect targets, not the program or its options", () => {
    expect(paths("/bin/cat -n ~/.ssh/id_rsa notes.txt > /etc/motd 2>&1 < input.txt")).toEqual([
      "~/.ssh/id_rsa",
      "notes.txt",
      "/etc/motd",
      "input.txt",
    ]);
  });

  it("finds them inside sh -c, eval, substitutions and behind sudo or env", () => {
    expect(paths(`sh -c 'cat /etc/shadow'`)).toContain("/etc/shadow");
    expect(paths(`eval "rm ../../x"`)).toContain("../../x");
    expect(paths("echo $(cat ~/.aws/credentials)")).toContain("~/.aws/credentials");
    expect(paths("sudo -u bob env A=1 cp a /root/b")).toEqual(["a", "/root/b"]);
  });

  it("takes path values of --option=value and name=value, and $HOME as ~", () => {
    expect(paths("dd if=/etc/shadow of=./copy bs=1M")).toEqual(["/etc/shadow", "./copy"]);
    expect(paths("tar --file=/opt/x.tar -c .")).toEqual(["/opt/x.tar", "."]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, where ${HOME} is the shell's
    expect(paths('cat "$HOME/.netrc" ${HOME}/.pgpass')).toEqual(["~/.netrc", "~/.pgpass"]);
    expect(paths("cat $SECRET_FILE")).toEqual([]);
  });

  it("leaves out text that is only printed", () => {
    expect(paths('echo "/etc/passwd"; printf "%s" ~/.ssh/id_rsa')).toEqual([]);
  });
});
