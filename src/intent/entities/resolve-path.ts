import path from "node:path/posix";
import type { ParseContext } from "../parse-context.js";

/** An absolute path for a path as typed: `~` is HOME, a relative one is under the working folder. */
export function resolvePath(typed: string, context: ParseContext): string {
  let value = typed.trim();
  if (value === "~" || value === "") return value === "" ? context.cwd : context.home;
  if (value.startsWith("~/")) value = path.join(context.home, value.slice(2));
  const absolute = value.startsWith("/") ? path.normalize(value) : path.resolve(context.cwd, value);
  return absolute.length > 1 && absolute.endsWith("/") ? absolute.slice(0, -1) : absolute;
}
