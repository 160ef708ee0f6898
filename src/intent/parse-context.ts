/** What is at an absolute path: a file, a folder, or nothing (undefined). */
export type ExistenceLookup = (absolutePath: string) => "file" | "folder" | undefined;

/** Where a request is understood from: the reference time, the home folder and the working folder. */
export interface ParseContext {
  now: Date;
  home: string;
  cwd: string;
  /**
   * What exists on disk, when the request is about this machine: unquoted names with spaces ("draft final.docx",
   * "Pictures/Summer Trip") are read as the longest span that names something there. Without it (`astros parse
   * --jsonl`, the labelled sets) names are read from the words alone, the same on every machine.
   */
  exists?: ExistenceLookup;
}

/** The intents whose wrong recognition would change the machine: never guessed. */
export const destructiveIntents: ReadonlySet<string> = new Set([
  "files.delete",
  "files.move",
  "files.copy",
  "files.rename",
  "files.write",
  "files.organize",
  "process.kill",
  "shell.run",
]);
