import { writtenFiles } from "./file-writers.js";
import type { ShellWord } from "./shell-words.js";
import type { SimpleCommand } from "./simple-commands.js";

/**
 * Programs that run files of the working folder (its package.json scripts, its modules, conftest.py,
 * build scripts, Makefiles, Rakefiles): after the same line wrote a file, they may run what was just written.
 */
const alwaysRunsProjectFiles = new Set(
  "npx pnpx bunx pytest py.test tox nox make gmake gradle gradlew mvn mvnw ant rake rails just invoke meson ninja npm-run-all".split(
    " ",
  ),
);

/** Subcommands of package managers and build tools that run the project's own code or scripts. */
const runningSubcommands: Record<string, ReadonlySet<string>> = {
  npm: new Set(
    "run run-script rum urn test tst t start restart stop install i in ins add ci exec x rebuild pack publish".split(" "),
  ),
  pnpm: new Set("run test t start install i add ci exec dlx rebuild pack publish".split(" ")),
  yarn: new Set("run test start install add exec dlx rebuild pack publish".split(" ")),
  bun: new Set("run test start install i add x exec".split(" ")),
  cargo: new Set("run r test t build b bench check c install".split(" ")),
  go: new Set("run test generate build install".split(" ")),
  bundle: new Set(["exec", "install"]),
  composer: new Set("run run-script install update test".split(" ")),
  deno: new Set(["task", "test", "run"]),
  php: new Set(["artisan"]),
};

/** Does this command run files of the project folder (`npm test`, `python3 -m x`, `pytest`, `cargo run`)? */
export function runsProjectFiles(name: string, words: ShellWord[]): boolean {
  if (alwaysRunsProjectFiles.has(name) || /^(\.\/)?(gradlew|mvnw)$/.test(words[0]?.value ?? "")) return true;
  if (/^python[0-9.]*$|^pypy[0-9.]*$/.test(name)) return words.some((word) => /^-[a-zA-Z]*m/.test(word.value ?? ""));
  const subcommands = runningSubcommands[name];
  if (subcommands === undefined) return false;
  const first = words.slice(1).find((word) => !word.value?.startsWith("-"))?.value;
  // `yarn` alone installs; `yarn build` runs the script build.
  if (name === "yarn") return first === undefined || !["add", "remove", "info", "why", "list", "config", "cache"].includes(first);
  return first !== undefined && subcommands.has(first);
}

/** Writes no project runner reads as code: devices, descriptors, logs and plain text. */
const notRunnable = /^(\/dev\/.*|&?\d|-|.*\.(log|txt|out|csv))$/;

/** What this command writes that a project runner after it may run: its redirects, copies, `sed -i`, `npm pkg set`. */
export function projectWrite(name: string, words: ShellWord[], command: SimpleCommand): string | undefined {
  const redirected = (command.writes ?? []).find(
    (redirect) => redirect.operator.includes(">") && !notRunnable.test(redirect.target.value ?? ""),
  );
  if (redirected !== undefined) return `${name} writes ${redirected.target.text}`;
  const written = writtenFiles(name, words).find((file) => !notRunnable.test(file.target.value ?? ""));
  if (written !== undefined) return `${name} writes ${written.target.text}`;
  if (name === "sed" && words.some((word) => /^-[a-zA-Z]*i|^--in-place/.test(word.value ?? ""))) return "sed -i edits files";
  if (name === "perl" && words.some((word) => /^-[a-zA-Z]*i/.test(word.value ?? ""))) return "perl -i edits files";
  if (["npm", "pnpm", "yarn"].includes(name) && words[1]?.value === "pkg" && words[2]?.value !== "get")
    return `${name} pkg changes package.json`;
  return undefined;
}
