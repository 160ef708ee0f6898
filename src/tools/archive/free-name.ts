import path from "node:path";
import type { HandlerContext } from "../../sdk.js";

/** The ending that stays together when a name is made free (`site.tar.gz` → `site (1).tar.gz`). */
function splitName(name: string): { stem: string; ending: string } {
  const ending = /(?:\.tar)?\.[^./\s]{1,8}$/i.exec(name)?.[0] ?? "";
  return ending === "" || ending === name ? { stem: name, ending: "" } : { stem: name.slice(0, -ending.length), ending };
}

/** Whether anything (a file, a folder, a link) is at `target`, asked through the path guard. */
export async function isTaken(context: HandlerContext, target: string): Promise<boolean> {
  try {
    await context.files.stat(target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw error;
  }
}

/** `wanted` when nothing is there, else `name (1).ext`, `name (2).ext`…: nothing is ever written over. */
export async function freeName(context: HandlerContext, wanted: string): Promise<{ path: string; collision: boolean }> {
  const folder = path.dirname(wanted);
  const { stem, ending } = splitName(path.basename(wanted));
  for (let index = 0; ; index += 1) {
    const candidate = index === 0 ? wanted : path.join(folder, `${stem} (${index})${ending}`);
    if (!(await isTaken(context, candidate))) return { path: candidate, collision: index > 0 };
  }
}
