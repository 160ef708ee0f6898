import { autorunReason } from "./autorun-places.js";

/**
 * Why writing `target` (a real path) needs a yes from the person, or undefined when it is an ordinary file: anything
 * a program runs by itself when it starts (see `autorunReason`: shell start-up files, git hooks, config and
 * attributes, `.pth` files, desktop autostart and launchers, user services, `authorized_keys`, crontabs, `.npmrc`,
 * `.envrc`, ssh's config).
 */
export function sensitiveWrite(target: string): string | undefined {
  return autorunReason(target);
}
