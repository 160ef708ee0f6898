import path from "node:path";
import { homeRelativeText } from "./protected-targets.js";
import type { ShellWord } from "./shell-words.js";
import { programName, unwrap } from "./unwrap-command.js";

/** A symbolic link a command line made: where it is and what it points to (absolute, or relative when no folder is known). */
interface MadeLink {
  link: string;
  target: string;
}

/** Options of ln and cp that take a value. */
const valued = new Set(["-t", "--target-directory", "-S", "--suffix"]);

/**
 * The symbolic links made earlier in one command line (`ln -s ~ h`, `ln -sf`, `ln -sT`, `ln -s ~ dir/`,
 * `cp -s`), so that a later path through one is judged as the place it leads to:
 * `ln -s ~ ~/Downloads/h; rm -rf ~/Downloads/h/` deletes the home folder.
 */
export class MadeLinks {
  readonly #links: MadeLink[] = [];
  readonly #homeDirectory: string;

  constructor(homeDirectory: string) {
    this.#homeDirectory = homeDirectory;
  }

  /** The absolute path a value names from each working folder (the value itself, normalized, where none is known). */
  #absolute(value: string, workingDirectories: readonly (string | undefined)[]): string[] {
    const home = this.#homeDirectory;
    if (value === "~" || value.startsWith("~/")) return [path.posix.normalize(home + value.slice(1))];
    if (value.startsWith("/")) return [path.posix.normalize(value)];
    const found = new Set<string>();
    for (const directory of workingDirectories.length > 0 ? workingDirectories : [undefined])
      found.add(path.posix.normalize(directory === undefined ? value : path.posix.join(directory, value)));
    return [...found];
  }

  /** Record the links a command makes (called after it is judged: a link is only followed by later commands). */
  record(commandWords: ShellWord[], workingDirectories: readonly (string | undefined)[]): void {
    const words = unwrap(commandWords).words;
    const name = programName(words[0]);
    const values = words.map((word) => word.value ?? "");
    const symbolic =
      (name === "ln" && values.some((value) => value === "--symbolic" || /^-[a-zA-Z]*s[a-zA-Z]*$/.test(value))) ||
      (name === "cp" && values.some((value) => value === "--symbolic-link" || /^-[a-zA-Z]*s[a-zA-Z]*$/.test(value)));
    if (!symbolic) return;
    const operands: ShellWord[] = [];
    let folder: string | undefined;
    let endOfOptions = false;
    for (let index = 1; index < words.length; index++) {
      const value = words[index]?.value;
      if (!endOfOptions && value === "--") {
        endOfOptions = true;
        continue;
      }
      if (!endOfOptions && value?.startsWith("-") && value !== "-") {
        if (value === "-t" || value === "--target-directory") folder = words[index + 1]?.value;
        else if (value.startsWith("--target-directory=")) folder = value.slice("--target-directory=".length);
        if (valued.has(value)) index++;
        continue;
      }
      operands.push(words[index] as ShellWord);
    }
    const exact = values.some((value) => value === "--no-target-directory" || /^-[a-zA-Z]*T[a-zA-Z]*$/.test(value));
    const sources = folder === undefined ? operands.slice(0, -1) : operands;
    const destination = folder ?? operands.at(-1)?.value;
    if (destination === undefined || sources.length === 0) return;
    for (const named of sources) {
      // `ln -s $HOME h`, `ln -s "${HOME}/x" h`: the home folder written as a variable.
      const spelled = named.value ?? homeRelativeText(named.text);
      if (spelled === undefined) continue;
      const source = { ...named, value: spelled };
      const base = path.posix.basename(source.value === "~" ? this.#homeDirectory : source.value);
      const places =
        folder !== undefined || sources.length > 1 || destination.endsWith("/")
          ? [path.posix.join(destination, base)]
          : exact
            ? [destination]
            : [destination, path.posix.join(destination, base)];
      for (const place of places) {
        for (const link of this.#absolute(place, workingDirectories)) {
          // A relative target is read from the folder the link is in.
          const target =
            source.value === "~" || source.value.startsWith("~/") || source.value.startsWith("/")
              ? (this.#absolute(source.value, [])[0] as string)
              : path.posix.join(path.posix.dirname(link), source.value);
          this.#links.push({ link: link.replace(/(.)\/+$/, "$1"), target });
        }
      }
    }
  }

  /**
   * The word as the place it leads to when it goes through a link this line made (`h/`, `h/x`; `h` alone
   * names the link itself), or the word unchanged. The text says both.
   */
  resolve(word: ShellWord, workingDirectories: readonly (string | undefined)[], depth = 0): ShellWord {
    const value = word.value;
    if (value === undefined || this.#links.length === 0 || depth > 8) return word;
    for (const absolute of this.#absolute(value, workingDirectories)) {
      const bare = absolute.replace(/(.)\/+$/, "$1");
      const through = value.endsWith("/") ? `${bare}/` : bare;
      for (const { link, target } of [...this.#links].reverse()) {
        if (!through.startsWith(`${link}/`)) continue;
        const rest = through.slice(link.length + 1);
        const resolved =
          rest === "" ? target.replace(/\/?$/, "/") : path.posix.join(target, rest) + (value.endsWith("/") ? "/" : "");
        const home = this.#homeDirectory;
        const shown = resolved === home || resolved.startsWith(`${home}/`) ? `~${resolved.slice(home.length)}` : resolved;
        // Resolve again: a link may lead through another one.
        const deeper = this.resolve({ ...word, value: shown, text: shown }, [], depth + 1);
        return { ...word, value: deeper.value, text: `${word.text} (through a link to ${deeper.text})` };
      }
    }
    return word;
  }
}
