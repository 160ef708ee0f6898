/**
 * Variables that make bash itself run code the guard never sees: a startup file (BASH_ENV, ENV),
 * exported functions, tracing prompts, options. AstrOS runs commands with `bash --norc --noprofile -c`
 * so that nothing but the judged command runs; these would undo that, so a handler may not set them.
 */
const shellCode = /^(BASH_ENV|ENV|BASH_FUNC_.*|PS4|PROMPT_COMMAND|SHELLOPTS|BASHOPTS)$/;

/**
 * Variables that make the program loader or common programs run code of their choosing (git's config
 * and hooks, pagers, editors, library paths, options that run commands: MANOPT, TAR_OPTIONS, RSYNC_RSH, MAKEFLAGS,
 * npm and pip settings), or that change which programs and files the command's
 * words name (PATH, HOME for `~`, CDPATH and OLDPWD for `cd`).
 */
const codeChanging =
  /^(PATH|IFS|GLOBIGNORE|LD_.*|DYLD_.*|PYTHONSTARTUP|PYTHONPATH|PYTHONHOME|PYTHONUSERBASE|NODE_OPTIONS|NODE_PATH|PERL5OPT|PERL5LIB|PERLLIB|RUBYOPT|RUBYLIB|GCONV_PATH|HOME|ZDOTDIR|CDPATH|OLDPWD|XDG_CONFIG_HOME|XDG_CONFIG_DIRS|GIT_.*|EDITOR|VISUAL|PAGER|.*_PAGER|LESSOPEN|LESSCLOSE|BROWSER|.*_ASKPASS|MANPAGER|MANOPT|TAR_OPTIONS|RSYNC_RSH|RSYNC_CONNECT_PROG|CVS_RSH|MAKEFLAGS|MFLAGS|GNUMAKEFLAGS|npm_config_.*|NPM_CONFIG_.*|PIP_.*)$/;

export interface EnvironmentRisks {
  /** Reasons the command may not run at all. */
  forbidden: string[];
  /** Reasons it needs a yes. */
  dangerous: string[];
}

/**
 * What is risky about the environment a handler gives a command. A variable that makes bash run code
 * of its own is FORBIDDEN; one such as LD_PRELOAD, PATH or HOME changes which code runs or which
 * files `~` names, unseen by the command guard, so the command needs a yes. Giving a variable the
 * value the command gets anyway (`inherited`) changes nothing.
 */
export function environmentRisks(
  environment: Readonly<Record<string, string>> | undefined,
  inherited: Readonly<Record<string, string | undefined>> = {},
): EnvironmentRisks {
  const risks: EnvironmentRisks = { forbidden: [], dangerous: [] };
  for (const [name, value] of Object.entries(environment ?? {})) {
    if (inherited[name] === value) continue;
    if (shellCode.test(name)) risks.forbidden.push(`it sets ${name}, which makes bash run code the guard cannot see`);
    else if (codeChanging.test(name))
      risks.dangerous.push(`it sets ${name}, which changes what code runs without the guard seeing it`);
  }
  return risks;
}
