import path from "node:path";

/** Files a shell reads and runs when it starts (or a login, or a desktop session): whatever is written there runs later. */
const startupNames = new Set([
  ".bashrc",
  ".bash_profile",
  ".bash_login",
  ".bash_logout",
  ".profile",
  ".zshrc",
  ".zshenv",
  ".zprofile",
  ".zlogin",
  ".zlogout",
  ".kshrc",
  ".mkshrc",
  ".cshrc",
  ".tcshrc",
  ".login",
  ".logout",
  ".xprofile",
  ".xinitrc",
  ".xsession",
  ".xsessionrc",
  ".pam_environment",
  ".envrc",
]);

/** Folders whose files run by themselves: fish's start-up, desktop autostart, user services. */
const startupFolders = ["/.config/fish/conf.d", "/.config/autostart", "/.config/systemd/user", "/.config/environment.d"];

/**
 * Why writing `target` (a real path) needs a yes from the person, or undefined when it is an ordinary file: shell
 * start-up files, git hooks and a repository's config (both run code on the next git command), `authorized_keys`
 * (who may log in), crontabs (what runs on a schedule).
 */
export function sensitiveWrite(target: string): string | undefined {
  const name = path.basename(target);
  const parts = target.includes("/.git/") ? target.split("/") : [];
  if (startupNames.has(name) || target.endsWith("/.config/fish/config.fish"))
    return `${name} is a shell start-up file: what is written there runs in every new shell`;
  if (startupFolders.some((folder) => target.includes(`${folder}/`)))
    return `${target} runs by itself when you log in or start a shell`;
  const git = parts.lastIndexOf(".git");
  if (git !== -1 && git < parts.length - 1) {
    if (parts[git + 1] === "hooks") return "it is a git hook: git runs it by itself";
    if (parts[git + 1] === "config" && git === parts.length - 2)
      return "it is a repository's git config, which can make git run commands";
  }
  if (name === ".gitconfig" || target.endsWith("/.config/git/config"))
    return "it is your git config, which can make git run commands";
  if (name === "authorized_keys" || name === "authorized_keys2") return "authorized_keys says who may log in to this computer";
  if (
    /^\/var\/spool\/cron(?:\/|$)/.test(target) ||
    /^\/etc\/cron/.test(target) ||
    target === "/etc/crontab" ||
    name === "crontab"
  )
    return "it is a crontab: what is written there runs on a schedule";
  return undefined;
}
