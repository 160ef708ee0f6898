import path from "node:path";

export interface ExpandHomeDirectoryOptions {
  filePath: string;
  homeDirectory: string;
}

/** Replace a leading `~` or `~/` with the home directory. `~user` and other paths are returned unchanged. */
export function expandHomeDirectory({ filePath, homeDirectory }: ExpandHomeDirectoryOptions): string {
  if (filePath === "~") return homeDirectory;
  if (filePath.startsWith("~/")) return path.join(homeDirectory, filePath.slice(2));
  return filePath;
}
