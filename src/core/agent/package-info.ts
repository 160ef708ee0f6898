import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The AstrOS package's root folder (this file is at <root>/{src,dist}/core/agent/). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

let version: string | undefined;

/** AstrOS's version, from its package.json. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
  return version;
}
