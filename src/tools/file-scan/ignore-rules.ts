import { constants } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";

/** The ignore files a folder may hold, read in this order (later lines win, as in ripgrep and fd). */
export const ignoreFileNames = [".gitignore", ".ignore"] as const;

/**
 * The .gitignore/.ignore rules in force in one folder: its own files' patterns, then its parent's.
 * The deepest folder with a verdict on a path decides, so a nested `!keep.log` re-includes what a
 * parent ignored, as git does.
 */
export class IgnoreRules {
  readonly #base: string;
  readonly #matcher: Ignore;
  readonly #parent: IgnoreRules | undefined;

  private constructor(base: string, matcher: Ignore, parent: IgnoreRules | undefined) {
    this.#base = base;
    this.#matcher = matcher;
    this.#parent = parent;
  }

  /**
   * The rules for `folder`, given the names of the ignore files it holds: `parent` unchanged when it holds none.
   * An ignore file that cannot be read counts as empty, and so does a link (never followed). `folder.access(name)`
   * reaches a name in the very folder the walk listed (see WalkFolder.access).
   */
  static async load(
    folder: { path: string; access(name: string): string },
    fileNames: readonly string[],
    parent: IgnoreRules | undefined,
  ): Promise<IgnoreRules | undefined> {
    if (fileNames.length === 0) return parent;
    const matcher = ignore({ allowRelativePaths: true });
    for (const name of ignoreFileNames) {
      if (!fileNames.includes(name)) continue;
      try {
        matcher.add(await readFile(folder.access(name), { encoding: "utf8", flag: constants.O_RDONLY | constants.O_NOFOLLOW }));
      } catch {
        // Unreadable or gone since the folder was listed: no rules from it.
      }
    }
    return new IgnoreRules(folder.path, matcher, parent);
  }

  /** Whether an entry of a folder at or below this one is ignored. */
  ignores(entryPath: string, isDirectory: boolean): boolean {
    for (let rules: IgnoreRules | undefined = this; rules !== undefined; rules = rules.#parent) {
      const relative = entryPath.slice(rules.#base.length + (rules.#base.endsWith(path.sep) ? 0 : 1));
      const verdict = rules.#matcher.test(isDirectory ? `${relative}/` : relative);
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  }
}
