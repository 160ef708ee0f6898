/** Variables that make the shell or the program loader run code of their choosing, or other programs than named. */
const codeChanging =
  /^(BASH_ENV|ENV|PATH|IFS|PS4|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|GLOBIGNORE|BASH_FUNC_.*|LD_.*|PYTHONSTARTUP|PYTHONPATH|NODE_OPTIONS|PERL5OPT|RUBYOPT)$/;

/**
 * What is risky about the environment a handler gives a command: a variable such as BASH_ENV,
 * LD_PRELOAD or PATH changes which code runs, unseen by the command guard, so the command needs a yes.
 */
export function environmentRisks(environment: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(environment ?? {})
    .filter((name) => codeChanging.test(name))
    .map((name) => `it sets ${name}, which changes what code runs without the guard seeing it`);
}
