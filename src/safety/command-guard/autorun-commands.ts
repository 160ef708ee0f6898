import { autorunReason } from "../effect-policy/autorun-places.js";
import type { CommandContext, RuleFinding } from "./code-runners.js";
import { candidatePaths, type TargetContext } from "./protected-targets.js";
import type { ShellWord } from "./shell-words.js";

const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });

/** Why a program runs what this word names by itself (see `autorunReason`), for any path it may name. */
function autorunTarget(word: ShellWord, context: TargetContext): string | undefined {
  for (const candidate of candidatePaths(word, context) ?? []) {
    const why = autorunReason(candidate);
    if (why !== undefined) return `${word.text}: ${why}`;
  }
  return undefined;
}

/** Non-option words after the program name (`--` ends the options); the values of `valued` options are skipped. */
function operandsOf(words: readonly ShellWord[], valued: ReadonlySet<string> = new Set()): ShellWord[] {
  const found: ShellWord[] = [];
  let ended = false;
  for (let index = 1; index < words.length; index++) {
    const word = words[index] as ShellWord;
    const value = word.value;
    if (!ended && value === "--") ended = true;
    else if (!ended && value !== undefined && value.startsWith("-") && value !== "-") {
      if (valued.has(value)) index++;
    } else found.push(word);
  }
  return found;
}

/** systemctl verbs that write a unit or the environment units start with: what they name runs by itself later. */
const systemctlWriters = new Set(["link", "edit", "set-environment", "import-environment", "add-wants", "add-requires"]);
/** systemctl verbs that make a unit start by itself (at login for --user, at boot otherwise). */
const systemctlEnablers = new Set(["enable", "reenable", "preset", "preset-all"]);

/**
 * Commands that put something where a program runs it by itself (see `autorunReason`), other than by writing the
 * file's content (those are judged as writes): making such a file executable or giving it away (chmod, chown,
 * setfacl), creating it (touch), installing a user service or making one start by itself (`systemctl --user
 * link/edit/enable`), npm's or yarn's settings (`npm config set script-shell …`), approving an `.envrc` (`direnv
 * allow`), and installing desktop launchers. Empty for anything else.
 */
export function judgeAutorunCommand(name: string, words: readonly ShellWord[], context: CommandContext): RuleFinding[] {
  const values = words.map((word) => word.value ?? "");
  switch (name) {
    case "chmod":
    case "chown":
    case "chgrp":
    case "setfacl":
    case "touch": {
      const valued = new Set(
        name === "touch"
          ? ["-r", "-d", "-t", "--reference", "--date"]
          : name === "setfacl"
            ? ["-m", "-x", "-M", "-X", "--modify", "--remove", "--set", "--set-file"]
            : ["--reference"],
      );
      const operands = operandsOf(words, valued);
      const files = name === "chmod" || name === "chown" || name === "chgrp" ? operands.slice(1) : operands;
      const found = files.map((file) => autorunTarget(file, context.targets)).find((why) => why !== undefined);
      if (found === undefined) return [];
      return [dangerous(`${name} ${name === "touch" ? "creates" : "changes who may run or change"} ${found}`)];
    }
    case "systemctl": {
      const operands = operandsOf(words, new Set(["-t", "--type", "-p", "--property", "-H", "--host", "-M", "--machine"]));
      const verb = operands[0]?.value ?? "";
      const user = values.includes("--user") || values.includes("--global");
      const files = operands.slice(1).some((operand) => operand.value === undefined || operand.value.includes("/"));
      if (systemctlWriters.has(verb))
        return [dangerous(`systemctl ${verb} writes a unit or the environment that services start with`)];
      if (systemctlEnablers.has(verb) && (user || files))
        return [dangerous(`systemctl ${verb} makes a service start by itself${user ? " every time you log in" : " at boot"}`)];
      return [];
    }
    case "npm":
    case "pnpm":
    case "yarn": {
      const operands = operandsOf(words, new Set(["--location", "-L", "--prefix", "--userconfig", "--globalconfig"]));
      const verbs = operands.map((operand) => operand.value);
      const setting =
        (verbs[0] === "config" && ["set", "edit", "delete", "rm", "unset"].includes(verbs[1] ?? "")) ||
        (name === "npm" && verbs[0] === "set");
      return setting
        ? [
            dangerous(
              `${name} ${verbs.slice(0, 2).join(" ")} changes the settings ${name} reads by itself (.npmrc): they can name the shell every package script runs in`,
            ),
          ]
        : [];
    }
    case "direnv": {
      const verb = operandsOf(words)[0]?.value ?? "";
      return ["allow", "permit", "grant"].includes(verb)
        ? [dangerous("direnv allow lets the folder's .envrc run by itself whenever a shell enters it")]
        : [];
    }
    case "xdg-desktop-menu":
    case "xdg-desktop-icon":
    case "desktop-file-install":
      return name === "desktop-file-install" || values.includes("install")
        ? [dangerous(`${name} installs a desktop launcher, which says what runs when an application or a file is opened`)]
        : [];
    case "cpio": {
      // GNU cpio keeps the absolute names an archive holds (`/home/alice/.bashrc`) unless told not to.
      const extracts = values.some((value) => value === "--extract" || /^-[a-zA-Z]*i/.test(value));
      return extracts && !values.includes("--no-absolute-filenames")
        ? [dangerous("cpio -i unpacks the archive's own names, absolute ones too: it can write start-up files anywhere")]
        : [];
    }
    default:
      return [];
  }
}
