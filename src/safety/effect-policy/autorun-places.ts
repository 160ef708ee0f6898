import path from "node:path";

/**
 * Places a program runs by itself when it starts (a shell, a login, a desktop session, Python, git, npm, ssh, cron,
 * direnv, an editor): whatever is written there runs later, unasked. One table for every door: the file tools, the
 * plan runner and the command guard all ask before anything is written, created, moved or linked into one of them,
 * appended to one, or made executable.
 *
 * Each pattern is matched against the path with `/` between its parts (absolute, or relative when the folder a
 * command runs in is not known); a folder pattern matches the folder and everything in it.
 */
interface AutorunPlace {
  pattern: RegExp;
  why: string;
}

const shellStartup = "is a shell start-up file: what is written there runs in every new shell";

const autorunPlaces: readonly AutorunPlace[] = [
  {
    pattern:
      /(^|\/)\.(bashrc|bash_profile|bash_login|bash_logout|bash_aliases|bash_completion|profile|zshrc|zshenv|zprofile|zlogin|zlogout|kshrc|mkshrc|cshrc|tcshrc|login|logout|inputrc)$/,
    why: shellStartup,
  },
  { pattern: /(^|\/)\.bashrc\.d(\/|$)/, why: shellStartup },
  { pattern: /(^|\/)\.config\/fish\/(config\.fish$|conf\.d(\/|$)|functions(\/|$))/, why: shellStartup },
  {
    pattern: /(^|\/)\.(xprofile|xinitrc|xsession|xsessionrc|xserverrc|pam_environment)$/,
    why: "runs or sets the environment when you log in to the desktop",
  },
  {
    pattern:
      /(^|\/)\.config\/(autostart|autostart-scripts|environment\.d|systemd|plasma-workspace\/(env|shutdown)|openbox\/autostart)(\/|$)|(^|\/)\.local\/share\/systemd\/user(\/|$)|^\/etc\/(xdg\/autostart|systemd|profile\.d|profile$|bash\.bashrc$|environment$|ld\.so\.preload$|rc\.local$)/,
    why: "starts by itself when you log in or the computer starts",
  },
  {
    pattern: /(^|\/)\.local\/share\/applications(\/|$)|^\/usr\/(local\/)?share\/applications(\/|$)/,
    why: "is in a desktop launcher folder: a .desktop file there says what runs when an application or a file is opened",
  },
  {
    pattern: /(^|\/)\.local\/bin(\/|$)/,
    why: "is in ~/.local/bin, which comes before the system's programs (a file named ls there runs instead of ls)",
  },
  {
    pattern: /(^|\/)(site|dist)-packages\/[^/]+\.pth$/,
    why: "is a Python .pth file: its import lines run every time Python starts",
  },
  {
    pattern: /(^|\/)(sitecustomize|usercustomize)\.py$/,
    why: "runs by itself every time Python starts",
  },
  {
    pattern: /(^|\/)\.ipython\/profile_[^/]+\/(startup(\/|$)|ipython_config\.py$)/,
    why: "runs by itself every time IPython starts",
  },
  {
    pattern: /(^|\/)\.git\/(.+\/)?(hooks(\/|$)|config$|config\.worktree$|info\/attributes$)|(^|\/)\.git$/,
    why: "is part of git's hooks, configuration or attributes, which make git run commands by itself",
  },
  {
    pattern: /(^|\/)(\.gitattributes|\.gitconfig)$|(^|\/)\.config\/git\/(config|attributes)$/,
    why: "is read by git by itself: its filters, drivers and settings can run commands",
  },
  {
    pattern: /(^|\/)(\.npmrc|\.yarnrc|\.yarnrc\.yml|\.pnpmrc)$|(^|\/)\.config\/npm\/npmrc$/,
    why: "is read by npm or yarn by itself: it can name the shell that runs every package script",
  },
  {
    pattern: /(^|\/)\.ssh\/(config|config\.d(\/.*)?|rc|environment)$/,
    why: "is read by ssh by itself: it can run commands on every connection or login",
  },
  { pattern: /(^|\/)authorized_keys2?$/, why: "says who may log in to this computer" },
  {
    pattern: /^\/var\/spool\/cron(\/|$)|^\/etc\/(cron|anacrontab$)|(^|\/)crontab$/,
    why: "is a crontab: what is written there runs on a schedule",
  },
  {
    pattern: /(^|\/)(\.envrc|\.direnvrc)$|(^|\/)\.config\/direnv(\/|$)/,
    why: "is run by direnv by itself whenever a shell enters the folder",
  },
  {
    pattern:
      /(^|\/)(\.vimrc|\.gvimrc|\.exrc|\.emacs|\.tmux\.conf|\.screenrc|\.gdbinit|\.Rprofile|\.curlrc|\.wgetrc)$|(^|\/)\.config\/nvim\/(init\.(vim|lua)$|plugin(\/|$))|(^|\/)\.vim\/plugin(\/|$)|(^|\/)\.emacs\.d\/(init|early-init)\.el$|(^|\/)\.config\/(tmux\/tmux\.conf|gdb\/gdbinit)$/,
    why: "is read by a program by itself when it starts, and can make it run commands",
  },
];

/**
 * Why a program would run what is at `target` by itself, said after its name (".bashrc is a shell start-up file: …") (a start-up file, a hook, a login or schedule file, a folder
 * of them), or undefined for an ordinary path. `target` is an absolute path, or relative (`.git/hooks/x`,
 * `.gitattributes`) when the folder is not known.
 */
export function autorunReason(target: string): string | undefined {
  const normalized = path.posix.normalize(target).replace(/(.)\/+$/, "$1");
  const why = autorunPlaces.find((place) => place.pattern.test(normalized))?.why;
  return why === undefined ? undefined : `${path.posix.basename(normalized)} ${why}`;
}
