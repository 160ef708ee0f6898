/** Where a request is understood from: the reference time, the home folder and the working folder. */
export interface ParseContext {
  now: Date;
  home: string;
  cwd: string;
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
