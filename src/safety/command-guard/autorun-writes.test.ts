import { beforeAll, describe, expect, it } from "vitest";
import { autorunReason } from "../effect-policy/autorun-places.js";
import { CommandGuard } from "./command-guard.js";
import type { RiskLevel } from "./risk-level.js";

// Only strings are judged here: nothing runs.
let guard: CommandGuard;
beforeAll(async () => {
  guard = await CommandGuard.create({ homeDirectory: "/home/alice" });
});

function expectLevels(expected: Record<string, RiskLevel>): void {
  const found = Object.fromEntries(Object.keys(expected).map((command) => [command, guard.check(command).level]));
  expect(found).toEqual(expected);
}

describe("files a program runs on its own start are one class", () => {
  it("names every kind of place a program runs by itself, and no ordinary look-alike", () => {
    for (const target of [
      "/home/alice/.bashrc",
      "/home/alice/.bashrc.d/10-x.sh",
      "/home/alice/.local/lib/python3.11/site-packages/zz.pth",
      "venv/lib/python3.12/site-packages/sitecustomize.py",
      "/usr/lib/python3/dist-packages/usercustomize.py",
      "/home/alice/.local/share/applications/firefox.desktop",
      "/home/alice/.config/autostart/x.desktop",
      "/home/alice/.config/systemd/user/x.service",
      "/home/alice/code/app/.git/hooks/pre-commit",
      "/home/alice/code/app/.git/config",
      "/home/alice/code/app/.git/info/attributes",
      "/home/alice/code/app/.git/modules/lib/hooks/post-merge",
      "/home/alice/code/app/src/.gitattributes",
      "/home/alice/.gitconfig",
      "/home/alice/.npmrc",
      "/home/alice/code/app/.npmrc",
      "/home/alice/.ssh/config",
      "/home/alice/.ssh/authorized_keys",
      "/var/spool/cron/crontabs/alice",
      "/home/alice/.xprofile",
      "/home/alice/.xsessionrc",
      "/home/alice/.pam_environment",
      "/home/alice/code/app/.envrc",
      "/home/alice/.config/fish/config.fish",
      "/home/alice/.config/fish/functions/ls.fish",
      "/home/alice/.ipython/profile_default/startup/00.py",
    ]) {
      expect(autorunReason(target), target).toBeDefined();
    }
    for (const target of [
      "/home/alice/notes.desktop.txt",
      "/home/alice/Documents/applications/report.pdf",
      "/home/alice/code/app/src/attributes.py",
      "/home/alice/code/app/hooks/pre-commit",
      "/home/alice/code/app/.git/config.bak/x",
      "/home/alice/code/app/.git/objects/ab/cdef",
      "/home/alice/.local/lib/python3.11/site-packages/requests/api.py",
      "/home/alice/site.pth.bak",
      "/home/alice/Documents/envrc-notes.txt",
      "/home/alice/.ssh/known_hosts",
    ]) {
      expect(autorunReason(target), target).toBeUndefined();
    }
    expect(autorunReason("/home/alice/.local/share/applications/x.desktop")).toMatch(/^x\.desktop is in a desktop launcher/);
  });

  it("asks whenever one is written, created, moved into place, appended to, linked or made executable, by any command", () => {
    expectLevels({
      "echo 'import os' > ~/.local/lib/python3.11/site-packages/evil.pth": "DANGEROUS",
      "cp helper.pth .venv/lib/python3.12/site-packages/": "DANGEROUS",
      "mv payload.py ~/.local/lib/python3.11/site-packages/usercustomize.py": "DANGEROUS",
      "ln -s /tmp/p.pth ~/.local/lib/python3.11/site-packages/aaa.pth": "DANGEROUS",
      "tee -a venv/lib/python3.12/site-packages/sitecustomize.py < payload.py": "DANGEROUS",
      "rsync x.desktop ~/.local/share/applications/": "DANGEROUS",
      "touch ~/.config/autostart/x.desktop": "DANGEROUS",
      "chmod +x .git/hooks/pre-commit": "DANGEROUS",
      "chmod 755 ~/.local/share/applications/x.desktop": "DANGEROUS",
      "echo '* filter=x' >> .git/info/attributes": "DANGEROUS",
      "echo '*.txt filter=evil' >> .gitattributes": "DANGEROUS",
      "dd if=attrs of=.git/info/attributes": "DANGEROUS",
      "echo 'script-shell=/tmp/x' >> ~/.npmrc": "DANGEROUS",
      "echo 'Host *' >> ~/.ssh/config": "DANGEROUS",
      "echo 'sh x' > ~/.xsessionrc": "DANGEROUS",
      "echo 'sh x' > .envrc": "DANGEROUS",
      "echo 'sh x' >> ~/.config/fish/config.fish": "DANGEROUS",
      "tar -xf launchers.tar -C ~/.local/share/applications": "DANGEROUS",
    });
  });

  it("asks before commands that install a start-up entry without naming its file: systemctl --user, npm config set, direnv allow", () => {
    expectLevels({
      "systemctl --user link /tmp/evil.service": "DANGEROUS",
      "systemctl --user edit evil.service": "DANGEROUS",
      "systemctl --user enable evil.service": "DANGEROUS",
      "systemctl --user set-environment LD_PRELOAD=/tmp/x.so": "DANGEROUS",
      "npm config set script-shell /tmp/evil.sh": "DANGEROUS",
      "npm set script-shell /tmp/evil.sh": "DANGEROUS",
      "yarn config set script-shell /tmp/x": "DANGEROUS",
      "direnv allow": "DANGEROUS",
      "xdg-desktop-menu install x.desktop": "DANGEROUS",
    });
  });

  it("leaves reading them, and everyday files that only look like them, as they were", () => {
    expectLevels({
      "cat ~/notes.desktop.txt": "SAFE",
      "echo notes > ~/notes.desktop.txt": "MODERATE",
      "cat .gitattributes": "SAFE",
      "git config --get user.name": "SAFE",
      "npm config get registry": "MODERATE",
      "systemctl --user status pipewire": "SAFE",
      "systemctl --user restart pipewire": "MODERATE",
      "systemctl enable --now docker": "MODERATE",
      "chmod +x scripts/build.sh": "MODERATE",
      "touch notes.txt": "MODERATE",
      "cp report.pdf ~/Documents/applications/": "MODERATE",
      "ls ~/.local/lib/python3.11/site-packages": "SAFE",
      "chmod --help": "SAFE",
    });
  });
});
