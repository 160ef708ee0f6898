import { environmentRisks } from "../environment-risks.js";
import type { CommandContext, RuleFinding } from "./code-runners.js";
import type { ShellWord } from "./shell-words.js";
import type { Assignment } from "./simple-commands.js";

const safe = (reason: string): RuleFinding => ({ level: "SAFE", reason });
const moderate = (reason: string): RuleFinding => ({ level: "MODERATE", reason });
const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });

/** A variable name with a subscript that expands something (`a[$(cmd)]`): bash evaluates the subscript, running the command. */
const codeSubscript = /\[.*[$`]/s;

function nestedFinding(label: string, code: string | undefined, context: CommandContext, atLeast: RuleFinding): RuleFinding {
  if (code === undefined) return dangerous(`${label} runs a command computed at run time`);
  const nested = context.judgeNested(code);
  const level = nested.level === "SAFE" || nested.level === "MODERATE" ? atLeast.level : nested.level;
  return { level, reason: `${label} runs: ${nested.reasons.join("; ") || code}` };
}

/**
 * What setting these variables does: one that changes which code runs (PATH, LD_PRELOAD, BASH_ENV,
 * PS4, git's and editors' commands) needs a yes, because what then runs is not what the guard saw.
 */
export function judgeAssignments(assignments: readonly Assignment[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const assignment of assignments) {
    if (codeSubscript.test(assignment.name)) findings.push(dangerous(`the subscript of ${assignment.name} runs a command`));
    const risks = environmentRisks({ [assignment.name]: assignment.value.value ?? assignment.value.text });
    for (const reason of [...risks.forbidden, ...risks.dangerous]) findings.push(dangerous(reason));
  }
  return findings;
}

/**
 * Shell builtins that run text as code later or evaluate names: `trap 'cmd' EXIT`, `alias x='cmd'`,
 * `mapfile -C cmd`, `enable -f lib.so`, `hash -p path name`, `printf -v 'a[$(cmd)]'`, `declare -n`,
 * `let`, `unset`, `read`, `test -v` on subscripts that run commands; `cd` and friends only move.
 * Undefined for other programs.
 */
export function judgeBuiltin(name: string, words: ShellWord[], context: CommandContext): RuleFinding[] | undefined {
  const values = words.slice(1).map((word) => word.value);
  const known = values.filter((value): value is string => value !== undefined);
  switch (name) {
    case "cd":
    case "pushd":
    case "popd":
    case "dirs":
      return [safe(`${name} changes the working folder`)];
    case "trap": {
      if (values.length === 0 || ["-l", "-p", "-"].includes(values[0] ?? "")) return [safe("trap only lists")];
      return [nestedFinding("trap", values[0], context, moderate("trap runs a command when the shell gets a signal"))];
    }
    case "alias": {
      if (values.length === 0 || values.every((value) => value !== undefined && !value.includes("=")))
        return [safe("alias only lists")];
      return values.map((value) =>
        nestedFinding(
          "alias",
          value?.slice(value.indexOf("=") + 1),
          context,
          moderate(`alias ${value?.split("=")[0]} is defined`),
        ),
      );
    }
    case "mapfile":
    case "readarray": {
      const index = values.indexOf("-C");
      if (index >= 0) return [nestedFinding(name, values[index + 1], context, moderate(`${name} runs a callback`))];
      break;
    }
    case "enable":
      if (known.some((value) => /^-[a-zA-Z]*f/.test(value)))
        return [dangerous("enable -f loads a builtin from a shared library")];
      return [moderate("enable turns shell builtins on or off")];
    case "hash":
      if (known.some((value) => /^-[a-zA-Z]*p/.test(value)))
        return [dangerous("hash -p makes a command name run another program")];
      return [safe("hash only remembers where programs are")];
    case "complete":
    case "compgen":
      if (known.some((value) => value === "-C" || value === "-F")) return [dangerous(`${name} -C runs a command`)];
      return [safe(`${name} only completes`)];
    default:
      break;
  }
  const namesVariables = [
    "printf",
    "read",
    "mapfile",
    "readarray",
    "declare",
    "typeset",
    "local",
    "export",
    "readonly",
    "unset",
    "let",
    "test",
    "[",
    "getopts",
    "wait",
  ].includes(name);
  // printf and test name a variable only after -v; the others only take names (and assignments).
  const named =
    name === "printf" || name === "test" || name === "["
      ? words.slice(1).filter((_word, index) => values[index - 1] === "-v")
      : words.slice(1);
  if (namesVariables && named.some((word) => word.value === undefined || codeSubscript.test(word.value))) {
    const risky = named.find((word) => word.value !== undefined && codeSubscript.test(word.value));
    if (risky !== undefined) return [dangerous(`${name} evaluates ${risky.text}, whose subscript runs a command`)];
    if (name === "let") return [dangerous("let evaluates arithmetic computed at run time")];
  }
  if (name === "let") return [safe("let does arithmetic")];
  if (["declare", "typeset", "local", "export", "readonly"].includes(name)) {
    if (known.some((value) => /^-[a-zA-Z]*n/.test(value)) && known.some((value) => /=.*[[$`]/.test(value)))
      return [dangerous(`${name} -n makes a name refer to an expression that runs a command`)];
    return [safe(`${name} sets variables`)];
  }
  if (name === "unset" || name === "read" || name === "getopts" || name === "shift" || name === "set" || name === "shopt")
    return [safe(`${name} changes shell variables or options`)];
  return undefined;
}
