import path from "node:path";
import type { CommandContext, RuleFinding } from "./code-runners.js";
import { expandBraces, homeRelativeText, sensitiveWrite, startupFolder, targetKind } from "./protected-targets.js";
import { sedWrites } from "./sed-writes.js";
import type { ShellWord } from "./shell-words.js";

/** A file a command writes, and whether what goes into it comes from the network. */
export interface WrittenFile {
  target: ShellWord;
  downloaded?: boolean;
  /** A folder (a `git clone`): running anything inside it runs what was written. */
  folder?: boolean;
}

const word = (value: string): ShellWord => ({ value, text: value });

/** Non-option words, skipping the values of the given options. */
function operandsOf(words: ShellWord[], withValue: ReadonlySet<string> = new Set()): ShellWord[] {
  const found: ShellWord[] = [];
  let endOfOptions = false;
  for (let index = 1; index < words.length; index++) {
    const value = words[index]?.value;
    if (!endOfOptions && value === "--") {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && value !== undefined && value.startsWith("-") && value !== "-") {
      if (withValue.has(value)) index++;
      continue;
    }
    found.push(words[index] as ShellWord);
  }
  return found;
}

/** A command's non-option words (after its program name and any wrappers are taken off). */
export function operandWords(words: ShellWord[]): ShellWord[] {
  return operandsOf(words, new Set(["-t", "--target-directory", "-S", "--suffix"]));
}

/** The value of `-o X`, `-oX`, `--output X`, `--output=X`, and of short bundles ending in the letter (`-sLo X`). */
function optionValue(words: ShellWord[], short: string | undefined, long: readonly string[]): ShellWord[] {
  const found: ShellWord[] = [];
  for (let index = 1; index < words.length; index++) {
    const value = words[index]?.value ?? "";
    const next = words[index + 1];
    for (const option of long) {
      if (value === option && next !== undefined) found.push(next);
      else if (value.startsWith(`${option}=`)) found.push(word(value.slice(option.length + 1)));
    }
    if (short !== undefined && /^-[a-zA-Z]+/.test(value) && !value.startsWith("--")) {
      const at = value.indexOf(short, 1);
      if (at < 0) continue;
      if (at === value.length - 1 && next !== undefined) found.push(next);
      else if (at === 1) found.push(word(value.slice(2)));
    }
  }
  return found;
}

/** The file name a download gets by default: the last part of the URL's path. */
function remoteName(url: string): string | undefined {
  const match = /^[a-z]+:\/\/[^/]+(\/[^?#]*)?/i.exec(url);
  if (match === null) return undefined;
  return path.posix.basename(match[1] ?? "") || "index.html";
}

/** The files a command writes, as its arguments say (`tee f`, `cp a b`, `curl -o f`, `sort -o f`, `find -fprint f`). */
export function writtenFiles(name: string, words: ShellWord[]): WrittenFile[] {
  const operands = operandsOf(words);
  switch (name) {
    case "tee":
      return operands.map((target) => ({ target }));
    case "cp":
    case "mv":
    case "install":
    case "ln":
    case "rsync":
    case "scp":
      return copiedInto(name, words, operands);
    case "dd":
      return words
        .filter((part) => part.text.replace(/^["']/, "").startsWith("of="))
        .map((part) => ({
          target:
            part.value === undefined
              ? { value: undefined, text: part.text.replace(/^(["']?)of=/, "$1") }
              : word(part.value.slice(3)),
        }));
    case "sort":
    case "shuf":
      return optionValue(words, "o", ["--output"]).map((target) => ({ target }));
    case "uniq":
      return operandsOf(words, new Set(["-f", "-s", "-w", "--skip-fields", "--skip-chars", "--check-chars"]))
        .slice(1, 2)
        .map((target) => ({ target }));
    case "tree":
      return optionValue(words, "o", []).map((target) => ({ target }));
    case "find":
      return words.flatMap((part, index) =>
        ["-fprint", "-fprint0", "-fprintf", "-fls"].includes(part.value ?? "") && words[index + 1] !== undefined
          ? [{ target: words[index + 1] as ShellWord }]
          : [],
      );
    case "script": {
      const commandOption = new Set(
        words.map((part) => part.value ?? "").filter((value) => /^-[a-zA-Z]*c$/.test(value) || value === "--command"),
      );
      const file = operandsOf(words, new Set([...commandOption, "-E", "--echo", "-I", "-O", "-B", "-T", "-m"]))[0];
      return file === undefined ? [] : [{ target: file }];
    }
    case "curl": {
      const outputs = optionValue(words, "o", ["--output"]).map((target) => ({ target, downloaded: true }));
      const remote = words.some((part) => part.value === "--remote-name" || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(part.value ?? ""));
      const named = remote
        ? operands.flatMap((part) => {
            const file = remoteName(part.value ?? "");
            return file === undefined ? [] : [{ target: word(file), downloaded: true }];
          })
        : [];
      return [...outputs, ...named];
    }
    case "wget": {
      const outputs = optionValue(words, "O", ["--output-document"]).filter((target) => target.value !== "-");
      if (outputs.length > 0) return outputs.map((target) => ({ target, downloaded: true }));
      const prefix = optionValue(words, "P", ["--directory-prefix"])[0]?.value;
      return operandsOf(words, new Set(["-o", "-a", "-P", "-t", "-T", "-U", "-e"])).flatMap((part) => {
        const file = remoteName(part.value ?? "");
        if (file === undefined) return [];
        return [{ target: word(prefix === undefined ? file : path.posix.join(prefix, file)), downloaded: true }];
      });
    }
    case "aria2c":
      return optionValue(words, "o", ["--out"]).map((target) => ({ target, downloaded: true }));
    case "git": {
      const clone = words.findIndex((part) => part.value === "clone");
      if (clone < 0) return [];
      const rest = operandsOf(
        [word("git"), ...words.slice(clone + 1)],
        new Set(["-b", "--branch", "-o", "--origin", "--depth", "-c", "--config", "-u", "--upload-pack", "--reference"]),
      );
      const url = rest[0]?.value;
      const folder = rest[1]?.value ?? (url === undefined ? undefined : path.posix.basename(url).replace(/\.git$/, ""));
      return folder === undefined || folder === "" ? [] : [{ target: word(folder), downloaded: true, folder: true }];
    }
    case "yq":
      return words.some((part) => /^(-[a-zA-Z]*i|--inplace)/.test(part.value ?? ""))
        ? operands.slice(1).map((target) => ({ target }))
        : [];
    case "xxd":
      return words.some((part) => /^-[a-zA-Z]*r/.test(part.value ?? "")) && operands.length >= 2
        ? [{ target: operands[1] as ShellWord }]
        : [];
    case "history":
      return words.some((part) => /^-[a-zA-Z]*[wa]/.test(part.value ?? "")) ? operands.map((target) => ({ target })) : [];
    case "sed":
      return [...sedWrites(words), ...inPlace(words, operands)];
    case "tar":
      return tarArchiveWritten(words);
    case "perl":
      return words.some((part) => /^(-[a-zA-Z]*i|--in-place)/.test(part.value ?? ""))
        ? operands.slice(1).map((target) => ({ target }))
        : [];
    case "truncate":
    case "gzip":
    case "bzip2":
    case "xz":
    case "lzma":
    case "zstd":
    case "lz4":
    case "pigz":
    case "pbzip2":
    case "compress":
      return operands.map((target) => ({ target }));
    default:
      return [];
  }
}

/** `sed -i` and `perl -i` rewrite the files they read. */
function inPlace(words: ShellWord[], operands: ShellWord[]): WrittenFile[] {
  return words.some((part) => /^(-[a-zA-Z]*i|--in-place)/.test(part.value ?? ""))
    ? operands.slice(1).map((target) => ({ target }))
    : [];
}

/** The archive `tar -cf FILE` (`--file=FILE`, with c, r, u or A) writes. */
function tarArchiveWritten(words: ShellWord[]): WrittenFile[] {
  const { letters, archives } = tarInputs(words);
  const values = words.map((part) => part.value ?? "");
  const writes =
    /[cruA]/.test(letters) ||
    values.some((value) => ["--create", "--append", "--update", "--concatenate", "--catenate"].includes(value));
  return writes ? archives.filter((archive) => archive.value !== "-").map((target) => ({ target })) : [];
}

/** Folders whose files a program runs by itself: a copy to one of them, said without a slash, goes into it. */
const autorunFolders = new Set([
  "site-packages",
  "dist-packages",
  "hooks",
  "applications",
  "autostart",
  "conf.d",
  "functions",
  ".bashrc.d",
  "startup",
  "environment.d",
]);

/**
 * What cp, mv, install, ln, rsync and scp write: the destination, and, where it may be a folder, each
 * source's name inside it (`cp -t ~ evil/.bashrc` writes ~/.bashrc).
 */
function copiedInto(name: string, words: ShellWord[], operands: ShellWord[]): WrittenFile[] {
  const directory = optionValue(words, "t", ["--target-directory"]);
  const noFolder = words.some(
    (part) => /^-[a-zA-Z]*T[a-zA-Z]*$/.test(part.value ?? "") || part.value === "--no-target-directory",
  );
  const sources = directory.length > 0 ? operands : operands.slice(0, -1);
  const destinations = directory.length > 0 ? directory : operands.length >= 2 ? [operands.at(-1) as ShellWord] : [];
  const found: WrittenFile[] = destinations.map((target) => ({ target }));
  if (noFolder || name === "scp") return found;
  for (const destination of destinations) {
    const into = destination.value ?? homeRelativeText(destination.text);
    if (into === undefined) continue;
    // With two operands the destination is a folder only if it says so (`~`, `dir/`, `..`); `cp a b` writes b.
    // A folder whose files run by themselves is taken as a folder (`mv x.pth ~/.local/lib/python3.12/site-packages`).
    const folder =
      directory.length > 0 ||
      sources.length > 1 ||
      /(^~|\/|^\.\.?|\/\.\.?)$/.test(into) ||
      path.posix.basename(into) === ".." ||
      autorunFolders.has(path.posix.basename(into));
    if (!folder) continue;
    for (const source of sources) {
      const base = source.value === undefined ? undefined : path.posix.basename(source.value);
      if (base === undefined || base === "." || base === ".." || base === "" || base.startsWith("~") || /[*?[]/.test(base))
        continue;
      found.push({ target: word(path.posix.join(into, base)) });
    }
  }
  return found;
}

/**
 * The operands mv takes away: all but the destination (the last operand, or the folder `-t` names).
 * `mv old.txt ~/` moves a file home; only `mv ~ x` moves the home folder away.
 */
export function movedSources(words: ShellWord[], operands: readonly ShellWord[]): ShellWord[] {
  const folder = optionValue(words, "t", ["--target-directory"]);
  if (folder.length > 0)
    return operands.filter((operand) => !folder.some((into) => into === operand || into.value === operand.value));
  if (words.some((part) => /^--target-directory=/.test(part.value ?? ""))) return [...operands];
  return operands.length >= 2 ? operands.slice(0, -1) : [...operands];
}

const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });
const forbidden = (reason: string): RuleFinding => ({ level: "FORBIDDEN", reason });

/** Does this word name the home folder, the root, a system folder or a protected folder? */
function protectedTarget(target: ShellWord, context: CommandContext): boolean {
  const kind = targetKind(target, context.targets);
  return kind === "home" || kind === "root" || kind === "system";
}

/** tar's words that are not options nor their values: the files it archives (old-style bundles such as `czf` included). */
function tarInputs(words: ShellWord[]): {
  inputs: ShellWord[];
  letters: string;
  directories: ShellWord[];
  archives: ShellWord[];
} {
  const valued = new Set(["f", "C", "T", "X", "I", "F", "b", "K", "N", "g", "V", "L", "H"]);
  const longValued = new Set([
    "--file",
    "--directory",
    "--files-from",
    "--exclude",
    "--use-compress-program",
    "--to-command",
    "--owner",
    "--group",
    "--mode",
    "--format",
    "--newer",
    "--label",
  ]);
  const inputs: ShellWord[] = [];
  const directories: ShellWord[] = [];
  const archives: ShellWord[] = [];
  let letters = "";
  for (let index = 1; index < words.length; index++) {
    const value = words[index]?.value ?? "";
    const bundle = /^-[a-zA-Z]+$/.test(value) ? value.slice(1) : index === 1 && /^[a-zA-Z]+$/.test(value) ? value : undefined;
    if (bundle !== undefined) {
      letters += bundle;
      for (const letter of bundle) {
        if (!valued.has(letter)) continue;
        index++;
        if (letter === "C" && words[index] !== undefined) directories.push(words[index] as ShellWord);
        if (letter === "f" && words[index] !== undefined) archives.push(words[index] as ShellWord);
      }
      continue;
    }
    if (value.startsWith("--")) {
      if (value === "--directory" && words[index + 1] !== undefined) directories.push(words[index + 1] as ShellWord);
      if (value.startsWith("--directory=")) directories.push(word(value.slice("--directory=".length)));
      if (value === "--file" && words[index + 1] !== undefined) archives.push(words[index + 1] as ShellWord);
      if (value.startsWith("--file=")) archives.push(word(value.slice("--file=".length)));
      if (longValued.has(value)) index++;
      continue;
    }
    inputs.push(words[index] as ShellWord);
  }
  return { inputs, letters, directories, archives };
}

/**
 * Archivers and copiers that delete their input or unpack over it: `tar --remove-files`, `zip -m`,
 * `7z -sdel`, `rsync --remove-source-files` delete what they archived (FORBIDDEN for the home folder
 * or a protected one), `rsync --delete` empties its destination, compressors replace files in
 * place, and unpacking into the home folder can overwrite its start-up files. Undefined for other programs.
 */
export function judgeArchiver(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] | undefined {
  const values = words.map((part) => part.value ?? "");
  if (name === "tar") {
    const { inputs, letters, directories } = tarInputs(words);
    const findings: RuleFinding[] = [];
    if (values.includes("--remove-files")) {
      // `tar -C ~ --remove-files -cf x .`: the inputs are named from the -C folder.
      const from = directories.find((directory) => protectedTarget(directory, context));
      const wiped =
        inputs.find((input) => protectedTarget(input, context)) ??
        (from !== undefined && inputs.some((input) => /^(\.\/?|\*|\.\/\*)$/.test(input.value ?? "")) ? from : undefined);
      findings.push(
        wiped === undefined
          ? dangerous("tar --remove-files deletes the files it archives")
          : forbidden(`tar --remove-files deletes ${wiped.text} after archiving it`),
      );
    }
    const extracts = letters.includes("x") || values.some((value) => value === "--extract" || value === "--get");
    if (extracts && (letters.includes("P") || values.includes("--absolute-names")))
      findings.push(dangerous("tar -P unpacks to absolute paths anywhere on the system"));
    if (extracts && values.some((value) => value === "--unlink-first" || value === "--recursive-unlink"))
      findings.push(dangerous("tar deletes existing files before unpacking"));
    const into = directories.find((directory) => protectedTarget(directory, context));
    const intoStartup = directories
      .map((directory) => startupFolder(directory, context.targets))
      .find((why) => why !== undefined);
    const here = directories.length === 0 ? hereStartup(context) : undefined;
    if (extracts && into !== undefined)
      findings.push(dangerous(`tar unpacks into ${into.text}, where it can overwrite start-up and configuration files`));
    else if (extracts && (intoStartup ?? here) !== undefined)
      findings.push(dangerous(`tar unpacks into a folder where ${intoStartup ?? here}`));
    return findings.length > 0 ? findings : undefined;
  }
  if (name === "zip") {
    const moves = values.some((value) => value === "--move" || /^-[a-zA-Z0-9]*m[a-zA-Z0-9]*$/.test(value));
    if (!moves) return undefined;
    const inputs = operandsOf(words, new Set(["-b", "-n", "-t", "-tt", "-P", "-O", "-TT", "-Z", "-s", "-x", "-i"])).slice(1);
    const wiped = inputs.find((input) => protectedTarget(input, context));
    return [
      wiped === undefined
        ? dangerous("zip -m deletes the files it archives")
        : forbidden(`zip -m deletes ${wiped.text} after archiving it`),
    ];
  }
  if (name === "7z" || name === "7za" || name === "7zr" || name === "7zz") {
    const extracts = values[1] === "x" || values[1] === "e";
    if (extracts) {
      const output = values.find((value) => value.startsWith("-o"));
      const why = output === undefined ? hereStartup(context) : startupFolder(word(output.slice(2) || "."), context.targets);
      if (why !== undefined) return [dangerous(`${name} unpacks into a folder where ${why}`)];
    }
    if (!values.includes("-sdel")) return undefined;
    const wiped = operandsOf(words)
      .slice(2)
      .find((input) => protectedTarget(input, context));
    return [
      wiped === undefined
        ? dangerous(`${name} -sdel deletes the files it archives`)
        : forbidden(`${name} -sdel deletes ${wiped.text} after archiving it`),
    ];
  }
  if (name === "rsync") {
    const operands = operandsOf(
      words,
      new Set(["-e", "--rsh", "--exclude", "--include", "--filter", "-f", "--files-from", "--port"]),
    );
    const destination = operands.at(-1);
    if (values.includes("--remove-source-files")) {
      const wiped = operands.slice(0, -1).find((source) => protectedTarget(source, context));
      return [
        wiped === undefined
          ? dangerous("rsync --remove-source-files deletes what it copied")
          : forbidden(`rsync --remove-source-files moves ${wiped.text} away`),
      ];
    }
    if (
      values.some((value) => value.startsWith("--delete")) &&
      destination !== undefined &&
      protectedTarget(destination, context)
    )
      return [forbidden(`rsync --delete empties ${destination.text}`)];
    return undefined;
  }
  if (["gzip", "bzip2", "xz", "lzma", "zstd", "lz4", "pigz", "pbzip2", "compress"].includes(name)) {
    const keeps = values.some((value) => /^(-[a-zA-Z0-9]*[ckltT]|--stdout|--keep|--list|--test)/.test(value));
    if (keeps) return undefined;
    const recursive = values.some((value) => value === "--recursive" || /^-[a-zA-Z0-9]*r/.test(value));
    const operands = operandsOf(words, new Set(["-S", "--suffix"]));
    const wiped = operands.find((operand) => protectedTarget(operand, context));
    if (wiped !== undefined && recursive)
      return [forbidden(`${name} replaces every file in ${wiped.text} with a compressed copy`)];
    const home = context.targets.homeDirectory;
    const homeLevel = operands.find((operand) => {
      const value = operand.value?.replace(/^~(?=\/|$)/, home);
      return value !== undefined && path.posix.dirname(path.posix.normalize(value)) === home;
    });
    if (homeLevel !== undefined || wiped !== undefined)
      return [
        dangerous(`${name} replaces ${(homeLevel ?? wiped)?.text}, at the top of your home folder, with a compressed copy`),
      ];
    return undefined;
  }
  if (name === "unzip") {
    const folders = optionValue(words, "d", []);
    const into = folders.find((directory) => protectedTarget(directory, context));
    if (into !== undefined)
      return [dangerous(`unzip unpacks into ${into.text}, where it can overwrite start-up and configuration files`)];
    const why =
      folders.length === 0 ? hereStartup(context) : folders.map((folder) => startupFolder(folder, context.targets)).find(Boolean);
    return why === undefined ? undefined : [dangerous(`unzip unpacks into a folder where ${why}`)];
  }
  return undefined;
}

/** The working folder, when this command line's `cd` went into a home folder or a start-up folder (`cd ~ && tar -xf a.tar`). */
function hereStartup(context: CommandContext): string | undefined {
  for (const directory of context.targets.workingDirectories) {
    if (directory === undefined) continue;
    const why = startupFolder(word(directory), context.targets);
    if (why !== undefined) return why;
  }
  return undefined;
}

/**
 * A copy whose file names are not known here (`cp -r x/. DEST`, `rsync x/ DEST`, `cp x/.* DEST`) into a
 * home folder or a folder of start-up files: it can overwrite `.bashrc` and the like.
 */
function copiesUnknownNames(name: string, words: ShellWord[], context: CommandContext): RuleFinding | undefined {
  if (!["cp", "rsync", "mv", "install", "scp", "ln"].includes(name)) return undefined;
  const operands = operandsOf(
    words,
    new Set(["-e", "--rsh", "--exclude", "--include", "--filter", "-f", "--files-from", "--port", "-S", "--suffix"]),
  );
  const directory = optionValue(words, "t", ["--target-directory"]);
  const sources = directory.length > 0 ? operands : operands.slice(0, -1);
  const destinations = directory.length > 0 ? directory : operands.length >= 2 ? [operands.at(-1) as ShellWord] : [];
  // `cp -rT x DEST`: x's contents go into DEST under their own names.
  const contents =
    name !== "rsync" &&
    words.some((part) => /^-[a-zA-Z]*T[a-zA-Z]*$/.test(part.value ?? "") || part.value === "--no-target-directory");
  const unknownNames = sources.some((source) => {
    if (source.value === undefined || contents) return true;
    return expandBraces(source.value).some((value) => {
      const base = path.posix.basename(value);
      if (base === "." || base === "" || /\/\.?$/.test(value)) return name === "rsync" || base === ".";
      return /[*?[]/.test(base) && (base.startsWith(".") || /^[*?[]/.test(base));
    });
  });
  if (!unknownNames) return undefined;
  for (const destination of destinations) {
    const why = startupFolder(destination, context.targets);
    if (why !== undefined)
      return dangerous(`${name} copies files whose names are not known here into ${destination.text}: ${why}`);
  }
  return undefined;
}

/** Writing a start-up file, a git hook, `authorized_keys` or system configuration needs a yes. */
export function judgeWrites(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const unknown = copiesUnknownNames(name, words, context);
  if (unknown !== undefined) findings.push(unknown);
  for (const written of writtenFiles(name, words)) {
    const why = sensitiveWrite(written.target, context.targets);
    if (why !== undefined) findings.push(dangerous(`${name} writes ${written.target.text}: ${why}`));
    else findings.push({ level: "MODERATE", reason: `${name} writes ${written.target.text}` });
  }
  return findings;
}
