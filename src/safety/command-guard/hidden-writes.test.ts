import { beforeAll, describe, expect, it } from "vitest";
import { CommandGuard } from "./command-guard.js";
import type { RiskLevel } from "./risk-level.js";

// Only strings are judged here: nothing is run.
let guard: CommandGuard;

beforeAll(async () => {
  guard = await CommandGuard.create({ homeDirectory: "/home/alice", protectedFolders: ["~/.local/state/astros"] });
});

function levelsOf(commands: string[]): Record<string, RiskLevel> {
  return Object.fromEntries(commands.map((command) => [command, guard.check(command).level]));
}

function expectAll(commands: string[], level: RiskLevel): void {
  expect(levelsOf(commands)).toEqual(Object.fromEntries(commands.map((command) => [command, level])));
}

describe("writes hidden in a destination folder, a sed script or an archive name", () => {
  it("asks before a copy, an unpacking, sed's w command or tar -cf writes a start-up file", () => {
    expectAll(
      [
        "cp -t ~ ~/evil/.bashrc",
        "cp evil/.bashrc ~",
        "cp -rf x/. ~/",
        "rsync -av x/ ~/",
        "rsync -av x/ ~/.config",
        "cp x/.* ~/",
        "cp -r hooks/. .git/hooks",
        "sed -n 'w /home/alice/.bashrc' f",
        "sed 's/a/b/w ~/.bashrc' f",
        "tar -cf ~/.bashrc dir",
        "tar --create --file=/home/alice/.profile dir",
        "tar -xf a.tar -C ~/.config",
        "cd ~ && tar -xf a.tar",
        "unzip -o x.zip -d ~/.local",
        "cp -rT x ~",
        "7z x a.7z -o/home/alice",
        "cd ~; 7z x a.7z",
      ],
      "DANGEROUS",
    );
  });

  it("leaves everyday copies, unpacking elsewhere and printing with sed as they were", () => {
    expect(guard.check("sed -n '1,5p' f").level).toBe("SAFE");
    expectAll(
      [
        "cp notes.txt ~/Documents/",
        "cp -r src/. ~/Documents/backup",
        "cp ~/.bashrc ~/bashrc.bak",
        "tar -xf a.tar -C ~/Downloads/x",
        "unzip -o x.zip -d ~/Downloads/x",
        "tar -cf backup.tar ~/Documents",
        "rsync -av src/ ~/backup/src/",
      ],
      "MODERATE",
    );
  });
});

describe("links made earlier in the same command line", () => {
  it("judges a path through a link the line made as the place it leads to", () => {
    expectAll(
      [
        "ln -s ~ ~/Downloads/h; rm -rf ~/Downloads/h/",
        "ln -sf ~ /tmp/h && rm -rf /tmp/h/*",
        "ln -sT / /tmp/r; rm -rf /tmp/r/",
        "ln -s ~ ~/Downloads/; rm -rf ~/Downloads/alice/",
        "cd ~/Downloads; ln -s ~ h; rm -rf h/",
        "ln -s ~ h; cd h; rm -rf *",
        "ln -s /home/alice l1; ln -s l1 l2; rm -rf l2/",
        "ln -s ~/.local/state/astros s; rm -rf s/",
        "ln -s $HOME h; rm -rf h/",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, not a template
        'ln -s "${HOME}" h; rm -rf h/*',
        "sh -c 'ln -s ~ h'; rm -rf h/",
        "ln -s ~ h; echo h/ | xargs rm -rf",
      ],
      "FORBIDDEN",
    );
    expect(guard.check("ln -s ~/.local/state/astros s; rm -rf s/").reasons.join(" ")).toContain(
      "AstrOS's own state (~/.local/state/astros)",
    );
  });

  it("leaves links to projects, and deleting build output through them, as they were", () => {
    expectAll(
      [
        "ln -s ~/projects/app ~/app-link",
        "ln -s ~/projects/app ~/app-link; rm -rf ~/app-link/build",
        "cd ~/projects && rm -rf build",
      ],
      "MODERATE",
    );
  });
});

describe("mv's destination", () => {
  it("never treats the folder mv moves into as moved away", () => {
    expectAll(["mv ~/Downloads/old.txt ~/", "mv ~/Downloads/old.txt /tmp/", "mv -t ~ file"], "MODERATE");
    expectAll(["mv ~ x", "mv -t /tmp ~", "mv ~/.local/state/astros /tmp/x"], "FORBIDDEN");
  });
});
