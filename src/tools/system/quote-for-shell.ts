/** One word for a POSIX shell command line: single-quoted, so nothing in it is expanded or split. */
export function quoteForShell(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
