import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface PackageJson {
  name?: string;
  version: string;
}

/** The AstrOS package's root: the nearest folder above this file whose package.json is named "astros" (works from src/, dist/ and the CLI bundle). */
export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    const file = path.join(directory, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as PackageJson).name === "astros") return directory;
    if (path.dirname(directory) === directory) throw new Error(`cannot find AstrOS's package.json above ${start}`);
  }
}

let version: string | undefined;

/** AstrOS's version, from its package.json. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as PackageJson).version;
  return version;
}
