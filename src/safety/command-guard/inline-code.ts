import type { RiskLevel } from "./risk-level.js";
import { maxRisk } from "./risk-level.js";

/** What the guard concludes about a program an interpreter is given as text (`python3 -c '…'`). */
export interface CodeFinding {
  level: RiskLevel;
  reason: string;
}

export interface InlineCodeContext {
  /** Judge a shell line the code hands to a shell (`os.system('…')`, `` `…` ``). */
  judgeShell(line: string): { level: RiskLevel; reasons: string[] };
  /** Is this literal path the root, a system folder, the home folder or a protected folder? */
  isProtectedPath(path: string): boolean;
}

interface Language {
  /** Calls that hand a string to a shell; group 2 is the string. */
  shellCalls: RegExp[];
  /** Calls that delete what they are given; group 1 is the argument text. */
  deleteCalls: RegExp;
  /** Expressions that stand for the home folder. */
  homeExpressions: RegExp;
  /** Anything the guard cannot read as harmless: running programs, changing files, computing code. */
  unreadable(code: string): string | undefined;
}

const quoted = String.raw`(['"\x60])((?:\\.|(?!\1).)*)\1`;

const pythonSafeModules = new Set(
  "json sys math cmath datetime time re random statistics string textwrap collections itertools functools decimal fractions uuid hashlib platform calendar pprint operator enum dataclasses typing locale unicodedata difflib csv os pathlib getpass heapq bisect array numbers zoneinfo secrets".split(
    " ",
  ),
);
const pythonSafeOs =
  /^(getcwd|getenv|environ|path|sep|linesep|name|cpu_count|getpid|getppid|getuid|geteuid|getgid|getlogin|uname|get_terminal_size|listdir|scandir|stat|lstat|access|devnull|curdir|pardir|pathsep|extsep|altsep|walk|fspath|fsencode|fsdecode|times|getloadavg)$/;
const pythonSafeSys =
  /^(argv|version|version_info|platform|path|stdin|stdout|stderr|exit|executable|maxsize|byteorder|getdefaultencoding|getfilesystemencoding|implementation|prefix|float_info|int_info|hexversion|getrecursionlimit|getsizeof|flags)$/;

function pythonUnreadable(code: string): string | undefined {
  const dynamic =
    /\b(__import__|__builtins__|__class__|__subclasses__|__globals__|__dict__|__code__|__loader__|getattr|setattr|delattr|exec|eval|compile|globals|locals|vars|importlib|breakpoint|memoryview)\b/.exec(
      code,
    );
  if (dynamic !== null) return `uses ${dynamic[1]}, which computes what runs`;
  for (const match of code.matchAll(/(?:^|[;\n]|\bthen\b)\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.,\s]+?)(?:$|[;\n]))/g)) {
    const modules = (match[1] ?? match[2] ?? "").split(",").map((part) => part.trim().split(/\s+/)[0]?.split(".")[0] ?? "");
    for (const module of modules) if (module !== "" && !pythonSafeModules.has(module)) return `imports ${module}`;
    if (/\bas\b/.test(match[2] ?? "") || (match[1] !== undefined && /^(os|sys|pathlib)$/.test(match[1])))
      return "imports under another name";
  }
  for (const use of code.matchAll(/\bos\.(\w+)/g)) if (!pythonSafeOs.test(use[1] ?? "")) return `calls os.${use[1]}`;
  for (const use of code.matchAll(/\bsys\.(\w+)/g)) if (!pythonSafeSys.test(use[1] ?? "")) return `uses sys.${use[1]}`;
  const pathChange =
    /\.(unlink|rmdir|write_text|write_bytes|rename|replace|touch|mkdir|chmod|lchmod|symlink_to|hardlink_to|link_to)\s*\(/.exec(
      code,
    );
  if (pathChange !== null) return `changes files (.${pathChange[1]})`;
  for (const call of callArguments(code, /\bopen\s*\(/g)) {
    const parts = splitTopLevel(call);
    const mode = parts.find((part) => /^\s*mode\s*=/.test(part))?.replace(/^\s*mode\s*=/, "") ?? parts[1];
    if (mode !== undefined && !/^\s*(['"])[rbt]*\1\s*$/.test(mode)) return "opens a file for writing";
  }
  return undefined;
}

function nodeUnreadable(code: string): string | undefined {
  const dynamic =
    /(child_process|\[\s*['"`]|process\.binding|process\.dlopen|_linkedBinding|\bFunction\s*\(|\beval\s*\(|\bimport\s*\(|constructor|__proto__|prototype|globalThis\s*\[|\bglobal\s*\[|process\.mainModule|\bvm\b|\bworker_threads\b|\bprocess\.(kill|chdir|setuid|setgid)|\bspawn|\bexec)/.exec(
      code,
    );
  if (dynamic !== null) return `uses ${dynamic[1]}`;
  for (const call of callArguments(code, /\brequire\s*\(/g)) {
    if (!/^\s*(['"])(node:)?(os|path|util|url|crypto|assert|fs|fs\/promises|querystring|string_decoder)\1\s*$/.test(call))
      return `requires ${call.trim()}`;
  }
  const change =
    /\.(writeFile|appendFile|rm|rmdir|unlink|rename|copyFile|cp|symlink|link|chmod|chown|truncate|mkdir|mkdtemp|open|createWriteStream|write|utimes|lchown|lutimes)(Sync)?\s*\(/.exec(
      code,
    );
  if (change !== null) return `changes files (${change[1]})`;
  return undefined;
}

function perlUnreadable(code: string): string | undefined {
  const token =
    /(\b(system|exec|qx|fork|kill|unlink|rmdir|rename|link|symlink|chmod|chown|utime|truncate|eval|do|require|use|syscall|pack|unpack|chr|mkdir|rmtree|remove_tree|make_path|dump|glob|chdir)\b|`|\bopen\s*\(?[^;]*?,\s*['"]?\s*[>|+]|\bopen\s*\(?\s*\w+\s*,\s*['"]?\s*\|)/.exec(
      code,
    );
  if (token !== null) return `uses ${token[1]}`;
  if (/(^|[^\w$@%])s(\W).*?\2.*?\2[a-z]*e[a-z]*/.test(code)) return "its substitution evaluates code (the e flag)";
  return undefined;
}

function rubyUnreadable(code: string): string | undefined {
  const token =
    /(\b(system|exec|spawn|fork|syscall|eval|instance_eval|class_eval|module_eval|instance_exec|send|__send__|public_send|method|const_get|define_method|require|require_relative|load|binding|ObjectSpace|Kernel|Process|IO|Open3|PTY|FileUtils|Fiddle|pack|unpack|unpack1|decode64|Base64|chdir|open)\b|`|%x|File\.(delete|unlink|rename|write|open|symlink|link|chmod|chown|truncate|new)|Dir\.(delete|rmdir|unlink|mkdir))/.exec(
      code,
    );
  return token === null ? undefined : `uses ${token[1]}`;
}

function phpUnreadable(code: string): string | undefined {
  const token =
    /(\b(system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|eval|assert|create_function|call_user_func|call_user_func_array|unlink|rmdir|rename|file_put_contents|fopen|fwrite|copy|symlink|link|chmod|chown|touch|mkdir|include|include_once|require|require_once|base64_decode|gzinflate|gzuncompress|str_rot13|hex2bin|chr|pack|preg_replace|preg_replace_callback|array_map|array_filter|array_walk|usort|extract|parse_str|mail|putenv|ini_set|dl|ReflectionFunction|new)\b|\$\w+\s*\(|\$\$|`|\$\{)/.exec(
      code,
    );
  return token === null ? undefined : `uses ${token[1]}`;
}

function luaUnreadable(code: string): string | undefined {
  const token =
    /(\bos\.(execute|remove|rename|exit|tmpname|getenv)|\bio\.(popen|open|output|write|lines)|\b(load|loadstring|dofile|loadfile|require|debug|setfenv|getfenv|rawset|rawget|setmetatable|getmetatable)\b|string\.(char|dump))/.exec(
      code,
    );
  return token === null ? undefined : `uses ${token[1]}`;
}

const languages: Record<string, Language> = {
  python: {
    shellCalls: [
      new RegExp(
        String.raw`\b(?:os\.(?:system|popen)|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput))\s*\(\s*${quoted}`,
        "g",
      ),
    ],
    deleteCalls: /\b(?:rmtree|rmdir|removedirs|remove|unlink)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g,
    homeExpressions:
      /^\s*(os\.path\.expanduser\(\s*(['"])~\/?\2\s*\)|(pathlib\.)?Path\.home\(\)|str\((pathlib\.)?Path\.home\(\)\)|os\.environ\[\s*(['"])HOME\5\s*\]|os\.getenv\(\s*(['"])HOME\6\s*\)|os\.environ\.get\(\s*(['"])HOME\7\s*\))\s*$/,
    unreadable: pythonUnreadable,
  },
  node: {
    shellCalls: [new RegExp(String.raw`\b(?:execSync|exec|spawnSync|spawn|execFileSync|execFile)\s*\(\s*${quoted}`, "g")],
    deleteCalls:
      /\b(?:rmSync|rmdirSync|unlinkSync|rm|rmdir|unlink|rimraf|remove|removeSync)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g,
    homeExpressions:
      /^\s*((require\(\s*(['"])(node:)?os\3\s*\)|os)\.homedir\(\)|process\.env\.HOME|process\.env\[\s*(['"])HOME\5\s*\])\s*$/,
    unreadable: nodeUnreadable,
  },
  perl: {
    shellCalls: [new RegExp(String.raw`\b(?:system|exec)\s*\(?\s*${quoted}`, "g"), /\bqx\s*[{(/|]()(.*?)[})/|]/g],
    deleteCalls: /\b(?:rmtree|remove_tree|unlink|rmdir)\s*\(?([^();]*)\)?/g,
    homeExpressions: /^\s*(\$ENV\{\s*['"]?HOME['"]?\s*\}|glob\(\s*(['"])~\2\s*\))\s*$/,
    unreadable: perlUnreadable,
  },
  ruby: {
    shellCalls: [new RegExp(String.raw`\b(?:system|exec|spawn)\s*\(?\s*${quoted}`, "g"), /%x\{()(.*?)\}/g],
    deleteCalls:
      /\b(?:rm_rf|rm_r|rm|remove_dir|remove_entry|remove_entry_secure|delete|rmdir|unlink)\s*\(?([^();]*(?:\([^()]*\)[^();]*)*)\)?/g,
    homeExpressions: /^\s*(Dir\.home|ENV\[\s*(['"])HOME\2\s*\]|File\.expand_path\(\s*(['"])~\3\s*\)|Dir\.home\(\))\s*$/,
    unreadable: rubyUnreadable,
  },
  php: {
    shellCalls: [new RegExp(String.raw`\b(?:system|exec|shell_exec|passthru|popen|proc_open)\s*\(\s*${quoted}`, "g")],
    deleteCalls: /\b(?:unlink|rmdir)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g,
    homeExpressions: /^\s*(getenv\(\s*(['"])HOME\2\s*\)|\$_SERVER\[\s*(['"])HOME\3\s*\]|\$_ENV\[\s*(['"])HOME\4\s*\])\s*$/,
    unreadable: phpUnreadable,
  },
  lua: {
    shellCalls: [new RegExp(String.raw`\b(?:os\.execute|io\.popen)\s*\(?\s*${quoted}`, "g")],
    deleteCalls: /\bos\.remove\s*\(([^()]*)\)/g,
    homeExpressions: /^\s*os\.getenv\(\s*(['"])HOME\1\s*\)\s*$/,
    unreadable: luaUnreadable,
  },
};

/** The language of an interpreter's program text, by the interpreter's name. */
function languageOf(interpreter: string): Language | undefined {
  if (interpreter.startsWith("python")) return languages.python;
  if (interpreter === "node" || interpreter === "nodejs") return languages.node;
  return languages[interpreter];
}

/** The text between the parentheses of each call the pattern finds (the pattern ends at the opening one). */
function callArguments(code: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(pattern)) {
    let depth = 1;
    let index = (match.index ?? 0) + match[0].length;
    const start = index;
    let quote: string | undefined;
    for (; index < code.length && depth > 0; index++) {
      const character = code[index];
      if (quote !== undefined) {
        if (character === "\\") index++;
        else if (character === quote) quote = undefined;
      } else if (character === "'" || character === '"' || character === "`") quote = character;
      else if (character === "(") depth++;
      else if (character === ")") depth--;
    }
    found.push(code.slice(start, depth === 0 ? index - 1 : index));
  }
  return found;
}

/** Split an argument list on its top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quote !== undefined) {
      if (character === "\\") index++;
      else if (character === quote) quote = undefined;
    } else if (character === "'" || character === '"') quote = character;
    else if (character === "(" || character === "[" || character === "{") depth++;
    else if (character === ")" || character === "]" || character === "}") depth--;
    else if (character === "," && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Judge a program given to an interpreter as text. Shell lines it hands to a shell are judged as
 * commands; deleting the home folder, the root or a protected folder named literally is FORBIDDEN;
 * anything the guard cannot read as harmless (running programs, changing files, computing the code
 * that runs: `__import__`, `getattr`, `eval`, decoders) is DANGEROUS; the rest is MODERATE.
 */
export function judgeInlineCode(interpreter: string, code: string, context: InlineCodeContext): CodeFinding {
  const language = languageOf(interpreter);
  if (language === undefined) return { level: "DANGEROUS", reason: `${interpreter} runs code the guard cannot read` };
  let finding: CodeFinding | undefined;
  const raise = (level: RiskLevel, reason: string) => {
    if (finding === undefined || maxRisk(finding.level, level) !== finding.level) finding = { level, reason };
  };
  for (const pattern of language.shellCalls) {
    for (const match of code.matchAll(pattern)) {
      const line = (match[2] ?? "").replace(/\\(["'\\])/g, "$1");
      const nested = context.judgeShell(line);
      raise(maxRisk("DANGEROUS", nested.level), `${interpreter} runs the shell command ${line}: ${nested.reasons.join("; ")}`);
    }
  }
  for (const match of code.matchAll(language.deleteCalls)) {
    const argument = splitTopLevel(match[1] ?? "")[0] ?? "";
    const literal = /^\s*(['"])((?:\\.|(?!\1).)*)\1\s*$/.exec(argument)?.[2];
    if (language.homeExpressions.test(argument)) raise("FORBIDDEN", `${interpreter} deletes your home folder`);
    else if (literal !== undefined && context.isProtectedPath(literal))
      raise("FORBIDDEN", `${interpreter} deletes ${literal}, a folder that must never be deleted`);
  }
  const unreadable = language.unreadable(code);
  if (unreadable !== undefined)
    raise("DANGEROUS", `${interpreter} one-liner ${unreadable}: it can delete, overwrite or run programs`);
  return finding ?? { level: "MODERATE", reason: `${interpreter} runs an inline program` };
}
