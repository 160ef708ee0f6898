import type { RuleFinding } from "./code-runners.js";
import type { ShellWord } from "./shell-words.js";

/**
 * Local development tools `npx` runs from the project's own node_modules in the usual case. Any
 * other name is fetched from the registry and run on the spot (npx assumes yes without a terminal).
 */
const projectTools = new Set([
  "tsc",
  "vitest",
  "jest",
  "prettier",
  "eslint",
  "biome",
  "@biomejs/biome",
  "tsx",
  "ts-node",
  "vite",
  "playwright",
  "mocha",
  "webpack",
  "rollup",
  "esbuild",
  "next",
  "nuxt",
  "astro",
  "svelte-kit",
  "lint-staged",
  "husky",
  "changeset",
  "turbo",
  "nx",
]);

const dangerous = (reason: string): RuleFinding => ({ level: "DANGEROUS", reason });

/** Does a package spec name a download (a URL, a git address, an archive) rather than a registry name? */
const downloadSpec = /^(git\+|https?:|ftp:|file:|svn\+|hg\+|bzr\+|[\w.-]+@(https?|git\+)|github:|gitlab:|bitbucket:)/;

/**
 * Programs that fetch a package and run it at once (`npx pkg`, `npm exec`, `pnpm dlx`, `yarn dlx`,
 * `bunx`, `pipx run`, `uvx`), and installs from an address (`pip install git+https://…`, which runs the
 * package's build code): code nobody looked at, run with your permissions. Undefined for others.
 */
export function judgeDownloadRunner(name: string, words: ShellWord[]): RuleFinding | undefined {
  // `python3 -m pip install git+https://…` is pip.
  if (/^python[\d.]*$/.test(name) && words[1]?.value === "-m" && /^pip3?$/.test(words[2]?.value ?? ""))
    return judgeDownloadRunner("pip", words.slice(2));
  const values = words.slice(1).map((word) => word.value);
  const operands = values.filter((value) => !(value?.startsWith("-") === true));
  const first = operands[0];
  if (name === "npx") {
    // npx's own options stand before the package name; what follows is the tool's (`npx eslint <files>`).
    const own = values.slice(0, Math.max(0, values.indexOf(first)) + 1);
    const fetches = own.some((value) => value === undefined || /^(-y|--yes|-p|--package(=.*)?)$/.test(value));
    if (!fetches && first !== undefined && projectTools.has(first)) return undefined;
    return dangerous(`npx fetches ${first ?? "a package"} from the registry and runs it`);
  }
  if (name === "bunx" || name === "uvx") return dangerous(`${name} fetches ${first ?? "a package"} and runs it`);
  const action = first;
  if (
    (name === "npm" && (action === "exec" || action === "x")) ||
    ((name === "pnpm" || name === "yarn") && action === "dlx") ||
    (name === "pipx" && action === "run") ||
    (name === "uv" && action === "tool" && operands[1] === "run")
  )
    return dangerous(`${name} ${action} fetches a package and runs it`);
  if (
    ["pip", "pip3", "uv", "pipx", "npm", "pnpm", "yarn"].includes(name) &&
    ["install", "add", "i", "pip"].includes(action ?? "")
  ) {
    const spec = operands.find((value) => value === undefined || downloadSpec.test(value));
    if (spec !== undefined || operands.some((value) => value === undefined))
      return dangerous(`${name} installs from ${spec ?? "an address known only at run time"}, running its build code`);
  }
  return undefined;
}

/** Trashing and moving tools as the rm -r (or mv) they amount to: `gio trash X`, `trash-put X`, `kioclient5 move X trash:/`. */
export function trashAsRemoval(name: string, words: ShellWord[]): ShellWord[] | undefined {
  const operands = words.slice(1).filter((word) => !(word.value?.startsWith("-") === true));
  const rm: ShellWord[] = [
    { value: "rm", text: "rm" },
    { value: "-r", text: "-r" },
  ];
  const action = operands[0]?.value;
  if (["trash-put", "trash", "gvfs-trash", "rmtrash", "gvfs-rm", "kioclient-trash"].includes(name)) return [...rm, ...operands];
  if (name === "gio" && (action === "trash" || action === "remove" || action === "rm")) return [...rm, ...operands.slice(1)];
  if (name === "gio" && (action === "move" || action === "mv")) return [{ value: "mv", text: "mv" }, ...operands.slice(1)];
  if (/^kioclient[56]?$/.test(name) && (action === "move" || action === "mv")) return [...rm, ...operands.slice(1, -1)];
  if (/^kioclient[56]?$/.test(name) && (action === "remove" || action === "rm" || action === "del"))
    return [...rm, ...operands.slice(1)];
  return undefined;
}
