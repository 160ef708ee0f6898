import { extensionOf, kindOf } from "./file-kinds.js";
import { compileNameMatch } from "./name-match.js";
import { parseDateBound, type SearchFilters } from "./search-filters.js";

/** The filters, compiled once for a walk. */
export interface FileFilter {
  /** Whether a name can match (the checks that need no stat). */
  matchesName(name: string): boolean;
  /** Whether a directory can match at all: only in a search by name alone ("the folder called invoices"). */
  readonly matchesDirectories: boolean;
  /** Whether size or modification time must be known to decide. */
  readonly needsStat: boolean;
  matchesStat(size: number, modifiedMs: number): boolean;
  /** The text to look for, lower-cased, when the search looks inside files. */
  readonly content: string | undefined;
}

/** Compile the filters once for a walk; name, extension and kind are judged on names alone. */
export function compileFilter(filters: SearchFilters): FileFilter {
  const nameTest = compileNameMatch(filters.name, filters.nameMatch);
  const extensionTest = compileExtensions(filters.ext);
  const kind = filters.kind;
  const after = filters.modifiedAfter === undefined ? undefined : parseDateBound(filters.modifiedAfter);
  const before = filters.modifiedBefore === undefined ? undefined : parseDateBound(filters.modifiedBefore);
  const { minSize, maxSize } = filters;
  const sizeFiltered = minSize !== undefined || maxSize !== undefined;
  const dated = after !== undefined || before !== undefined;
  const content = filters.content === undefined || filters.content === "" ? undefined : filters.content.toLowerCase();
  return {
    matchesName(name) {
      if (nameTest !== undefined && !nameTest(name)) return false;
      if (extensionTest !== undefined && !extensionTest(name)) return false;
      return kind === undefined || kindOf(name) === kind;
    },
    matchesDirectories:
      nameTest !== undefined &&
      extensionTest === undefined &&
      kind === undefined &&
      !sizeFiltered &&
      !dated &&
      content === undefined,
    needsStat: sizeFiltered || dated,
    matchesStat(size, modifiedMs) {
      if (minSize !== undefined && size < minSize) return false;
      if (maxSize !== undefined && size > maxSize) return false;
      if (after !== undefined && modifiedMs < after) return false;
      return before === undefined || modifiedMs < before;
    },
    content,
  };
}

/**
 * A test of a name's extension. Single extensions ("pdf") are looked up from the last dot, with no copy of the whole
 * name; one with a dot inside ("tar.gz") is compared with the end of the name.
 */
function compileExtensions(ext: readonly string[] | undefined): ((name: string) => boolean) | undefined {
  if (ext === undefined || ext.length === 0) return undefined;
  const single = new Set(ext.filter((extension) => !extension.includes(".")).map((extension) => extension.toLowerCase()));
  const dotted = ext.filter((extension) => extension.includes(".")).map((extension) => `.${extension.toLowerCase()}`);
  // Most names end in another letter: one character code rules them out before any string is made.
  const lastCharacters = new Set(ext.map((extension) => lowerCode(extension.charCodeAt(extension.length - 1))));
  return (name) => {
    if (!lastCharacters.has(lowerCode(name.charCodeAt(name.length - 1)))) return false;
    if (single.size > 0 && single.has(extensionOf(name))) return true;
    if (dotted.length === 0) return false;
    const lower = name.toLowerCase();
    return dotted.some((suffix) => lower.length > suffix.length && lower.endsWith(suffix));
  };
}

/** An ASCII upper-case letter's lower-case code; other codes unchanged. */
function lowerCode(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
