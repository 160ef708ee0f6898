import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "./run-cli.js";

/**
 * Issue 3's safety requirements, each traced to the named tests that prove it. A requirement without
 * proof, or a proof whose test was renamed or removed, fails here.
 */
const requirements: Record<string, Array<[file: string, test: string]>> = {
  "command guard: parses with a real shell grammar and judges every simple command inside": [
    ["src/safety/command-guard/command-guard.test.ts", "lists every simple command it found, with its own level"],
    ["src/safety/command-guard/command-guard.test.ts", "has at least 150 labelled commands covering every level"],
  ],
  "command guard: the AIOS shell's cases pass; package removal of critical packages is FORBIDDEN": [
    ["src/safety/command-guard/command-guard.test.ts", "gives every case the risk level the AIOS guard gives"],
    [
      "src/safety/command-guard/command-guard.test.ts",
      "installs are MODERATE, removals ask, and removing a critical package is FORBIDDEN, with apt, apt-get and sudo",
    ],
  ],
  "command guard: code fed on standard input (here-strings, here-documents, pipes, a handler's input) is judged": [
    [
      "src/safety/command-guard/command-guard.test.ts",
      "judges what a shell, an interpreter or xargs reads on its standard input, when the caller says what that is",
    ],
  ],
  "command guard: an unparseable command is at least DANGEROUS": [
    ["src/safety/command-guard/command-guard.test.ts", "never calls an unparseable, over-long or nested-too-deep command SAFE"],
  ],
  "astros guard prints the verdict; --jsonl scores a corpus": [
    ["test/e2e/cli.test.ts", "judges shell commands with astros guard"],
  ],
  "path guard: roots, traversal, symlink and /proc/self/root escapes, sensitive paths, errors naming path and rule": [
    ["src/safety/path-guard/path-guard.test.ts", "denies a path outside the allowed locations, naming the path and the rule"],
    ["src/safety/path-guard/path-guard.test.ts", "denies '..' traversal out of a root"],
    [
      "src/safety/path-guard/path-guard.test.ts",
      "denies symbolic-link escapes, including a link's '..' which is the parent of its target",
    ],
    ["src/safety/path-guard/path-guard.test.ts", "denies /proc/self/root escapes"],
    [
      "src/safety/path-guard/path-guard.test.ts",
      "denies keys, credentials and AstrOS's own data inside the roots unless allowed",
    ],
  ],
  "path guard: each session's workspace is a root": [
    ["src/agent/tool-services.test.ts", "is an allowed root for that request only"],
  ],
  "policy: FORBIDDEN never runs; DANGEROUS only after a yes on the request's channel; MODERATE reported": [
    ["src/agent/safety-pipeline.test.ts", "never runs a FORBIDDEN command named in a request, even when the user would say yes"],
    ["src/agent/safety-pipeline.test.ts", "runs a DANGEROUS command only after an explicit yes, showing the command and why"],
    ["src/agent/safety-pipeline.test.ts", "reports a MODERATE command with the response and runs it without asking"],
  ],
  "policy: non-interactive use follows safety.non_interactive (deny by default), recorded": [
    [
      "src/agent/safety-pipeline.test.ts",
      "refuses what needs confirmation when nobody can be asked, unless the non-interactive policy allows it (recorded)",
    ],
  ],
  "policy: --yes confirms one command's DANGEROUS steps, never FORBIDDEN ones, and is audited": [
    ["test/e2e/safety.test.ts", "runs it with --yes for that one command, and the audit log records the --yes"],
    ["test/e2e/safety.test.ts", "never runs a FORBIDDEN command, not even with --yes"],
    ["src/agent/tool-services.test.ts", "is recorded with the request even when nothing needed it"],
  ],
  "policy: bulk changes above safety.bulk_threshold need a yes": [
    ["src/agent/safety-pipeline.test.ts", "asks before a bulk change above the threshold, and never silently without a channel"],
    [
      "src/agent/tool-services.test.ts",
      "stops a handler that goes past safety.bulk_threshold without asking, when nobody says yes",
    ],
  ],
  "permissions: check, grant, revoke, list by user, permission and resource glob": [
    [
      "src/auth/permission-manager.test.ts",
      "grants a permission on everything or on the resources a glob matches, and a revocation beats a grant",
    ],
    ["src/auth/permission-manager.test.ts", "lists a user's permissions, by permission and by the resource they apply to"],
    ["src/agent/safety-pipeline.test.ts", "scopes a permission to the paths a glob matches"],
    [
      "src/agent/tool-services.test.ts",
      "refuses files the user's permission does not cover, also by a relative path or through a symbolic link",
    ],
  ],
  "permissions: first use asks allow once / always / deny and remembers; handlers run only with their permissions": [
    [
      "src/agent/safety-pipeline.test.ts",
      "asks the user the first time a third-party plugin uses a permission, and remembers always and deny",
    ],
    ["src/agent/safety-pipeline.test.ts", "runs a handler only while the user holds its declared permissions"],
    ["src/agent/safety-pipeline.test.ts", "lets a handler use exec only when it declared the shell permission"],
  ],
  "audit: durable, hash-chained, redacted; verify names an edited or deleted entry": [
    ["src/safety/audit/audit-logger.test.ts", "keeps every acknowledged entry when the process is killed with SIGKILL"],
    ["src/safety/audit/audit-logger.test.ts", "detects a removed entry, a reordering and a truncated tail"],
    ["src/safety/audit/audit-logger.test.ts", "redacts secrets from fields and from free text"],
    [
      "test/e2e/safety.test.ts",
      "audit verify passes an untouched log, and names the entry after one is edited or deleted, exiting 1",
    ],
  ],
  "credentials: encrypted, wrong passphrase and tampering reported, 0600 key file": [
    ["test/e2e/credentials.test.ts", "sets from stdin, gets, lists and deletes, keeping the value encrypted in a 0600 file"],
    ["test/e2e/credentials.test.ts", "exits 1 on a wrong passphrase, saying so and printing no secret"],
    ["test/e2e/credentials.test.ts", "exits 1 when the store was tampered with"],
    ["test/e2e/credentials.test.ts", "refuses a key file other users can read, naming it and the chmod that fixes it"],
  ],
  "rate limits: requests per user and LLM requests and tokens per minute, with a retry-after": [
    [
      "src/agent/safety-pipeline.test.ts",
      "refuses a user's requests over the per-minute limit with a retry-after, without touching other users",
    ],
    [
      "src/safety/rate-limit/llm-rate-limiter.test.ts",
      "refuses the call after llm_requests_per_minute calls with the seconds until the minute is over",
    ],
    [
      "src/safety/rate-limit/llm-rate-limiter.test.ts",
      "refuses a call whose estimate would pass the token budget, and counts nothing for it",
    ],
  ],
  "no public API gets around the guard: callPlugin, exec, files, declared arguments": [
    ["src/agent/safety-pipeline.test.ts", "refuses a FORBIDDEN command passed on through callPlugin"],
    [
      "src/agent/safety-pipeline.test.ts",
      "judges what a handler runs itself, undeclared: FORBIDDEN throws, DANGEROUS asks with the exact command",
    ],
    [
      "src/agent/safety-pipeline.test.ts",
      "keeps files and commands inside the allowed roots: outside, through a symlink, sensitive, or as a working directory",
    ],
    ["src/agent/safety-pipeline.test.ts", "checks declared path arguments before the handler runs"],
    ["src/agent/safety-pipeline.test.ts", "offers no unguarded way to run a command: the bare process runner is not public"],
    [
      "src/agent/tool-services.test.ts",
      "asks before running a command that names a file outside the roots or a key, and never runs it silently",
    ],
    ["src/agent/tool-services.test.ts", "passes another plugin's file access through the same path guard"],
    [
      "src/agent/tool-services.test.ts",
      "asks before running a command with an environment that changes what code runs (BASH_ENV, PATH, LD_PRELOAD)",
    ],
    [
      "src/agent/tool-services.test.ts",
      "judges the input it feeds a shell: FORBIDDEN never runs, DANGEROUS asks showing what the input does",
    ],
    [
      "src/agent/tool-services.test.ts",
      "judges ~ as the HOME the handler gives the command, and asks before a HOME that is not the user's",
    ],
    ["src/safety/safety-guard.test.ts", "judges ~ and $HOME as the HOME a command will run with, when that is not the user's"],
    [
      "src/exec/run-process.test.ts",
      "runs the command alone, without the user's ~/.bashrc or ~/.bash_profile (bash reads them when stdin is a socket)",
    ],
  ],
};

/** Issue 12, finding 6 (injected instructions act): taint, each traced to the tests that prove it. */
const taintRequirements: Record<string, Array<[file: string, test: string]>> = {
  "taint: after a tool's result reaches the model, every change it proposes asks a person, even a SAFE command": [
    [
      "src/agent/turn-taint.test.ts",
      "asks a person about every change after taint, even a command the guard calls SAFE, and a no runs nothing",
    ],
    ["src/agent/turn-taint.test.ts", "asks even with ai.confirm_changes off, once the turn is tainted"],
    ["src/agent/turn-taint.test.ts", "treats another plugin's data as taint: a change made on it asks a person"],
  ],
  "taint: --yes, safety.non_interactive = allow and plan approval never confirm a model's change after taint": [
    [
      "src/agent/turn-taint.test.ts",
      "never lets --yes confirm what the model proposed after reading a file, and names the action and the file",
    ],
    [
      "src/agent/turn-taint.test.ts",
      "refuses a change after taint with nobody to ask, even under safety.non_interactive = allow",
    ],
    [
      "src/agent/turn-taint.test.ts",
      "lets --yes confirm what the person's own request asked for, before any taint, and nothing after it",
    ],
    ["src/agent/turn-taint.test.ts", "never lets an approved plan pre-approve a tainted step"],
    ["src/agent/turn-taint.test.ts", "never takes an answer given in advance as a person's yes"],
  ],
  "taint: a yes on the request's channel runs it; the audit entry records the taint source": [
    [
      "src/agent/turn-taint.test.ts",
      "runs the change when the person says yes on the channel, and audits the call with its taint",
    ],
    ["test/e2e/injection.test.ts", "runs the action when the person confirms it on the WebSocket"],
    ["test/e2e/injection.test.ts", "runs the action when the person redeems the REST confirmation token"],
    [
      "test/e2e/injection.test.ts",
      "asks the person on the terminal about a change the model proposed after reading a file, and a no runs nothing",
    ],
  ],
  "injection: an obedient model, 15+ attacks × CLI, CLI --yes, REST, WebSocket: 0 executed without a code-decided yes": [
    ["test/e2e/injection.test.ts", "never runs an injected change unconfirmed: 0 of every attack through the four doors"],
  ],
};

/** Issue 12, finding 7 (the audit log keeps what it must not): records of decisions, each traced to the tests that prove it. */
const auditRequirements: Record<string, Array<[file: string, test: string]>> = {
  "audit: reads are recorded as path, size and sha256, never contents; 100 reads of 1 MB grow the log by < 100 KB": [
    ["test/e2e/audit-size.test.ts", "grows by less than 100 KB while one process reads a 1 MB file 100 times"],
    ["src/safety/audit/audit-logger.test.ts", "never stores what a tool read: a 1 MB answer becomes its size and sha256"],
    [
      "src/safety/audit/audit-logger.test.ts",
      "summarizes every field of every entry, whoever built it: content fields, long text, long lists, extra fields",
    ],
  ],
  "audit: JWTs, private keys, URLs with credentials, bearer tokens, API keys and key-like base64 are redacted everywhere": [
    [
      "test/e2e/audit-size.test.ts",
      "never holds a secret that was read, asked or answered: 0 hits for each in the whole log folder",
    ],
    ["src/config/redact-secrets.test.ts", "hides every secret of a known shape, in any text"],
    [
      "src/config/redact-secrets.test.ts",
      "keeps ordinary text: long words, identifiers, paths, temp folder names, UUIDs and numbers",
    ],
  ],
  "audit: bounded by rotation; the hash chain runs across files and `astros audit verify` checks them all": [
    [
      "test/e2e/audit-size.test.ts",
      "rotates at audit.max_file_bytes and verify passes across files, then names the rotated file and entry after an edit",
    ],
    [
      "test/e2e/audit-size.test.ts",
      "fails verify when a file in the middle is deleted, and passes when rotation removed the oldest",
    ],
    ["src/safety/audit/audit-logger.test.ts", "fails verify naming the rotated file and the entry after an edit in it"],
    [
      "src/safety/audit/audit-logger.test.ts",
      "removes the oldest files past max_files, and verify starts at the oldest file kept",
    ],
  ],
  "audit: reading the log never grows it": [
    [
      "test/e2e/audit-size.test.ts",
      "never grows when read: astros audit, astros audit verify, and reading the log through AstrOS copies nothing",
    ],
  ],
  "audit: what could change the world is durable before it happens; the log is 0600 in a 0700 folder": [
    [
      "src/safety/audit/audit-logger.test.ts",
      "writes a denial, a question's answer and a call's start at once (durable before anything acts on them)",
    ],
    ["src/safety/audit/audit-logger.test.ts", "keeps every acknowledged entry when the process is killed with SIGKILL"],
    [
      "src/safety/audit/audit-logger.test.ts",
      "keeps its files 0600 in a 0700 folder, even a folder made before with a looser mode",
    ],
  ],
};

describe("issue 12's audit requirements", () => {
  it.each(Object.entries(auditRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

describe("issue 12's taint requirements", () => {
  it.each(Object.entries(taintRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

/** Issue 12, findings 3, 4 and 8 (server users confined by the OS, and the smaller items), each traced to its tests. */
const confinedServerRequirements: Record<string, Array<[file: string, test: string]>> = {
  "confined users: every command runs in a sandbox holding only the system's programs and their workspace": [
    [
      "src/exec/sandbox/confined-sandbox.test.ts",
      "never shows the machine's homes, other workspaces, AstrOS's data or /etc secrets, however a program looks",
    ],
    [
      "src/exec/sandbox/confined-sandbox.test.ts",
      "runs programs in the workspace, its HOME, which alone is writable; /tmp is its own",
    ],
    ["src/exec/sandbox/confined-sandbox.test.ts", "has no network and no view of the server's processes"],
    [
      "src/exec/sandbox/confined-sandbox.test.ts",
      "names one user whose home is the workspace: the machine's accounts and the operator's home are not there",
    ],
    [
      "src/server/confined-schedules.test.ts",
      "runs confined to their workspace, where ~ is their home, never with the operator's roots",
    ],
    [
      "test/e2e/confined-without-sandbox.test.ts",
      "refuses every command of a server user, saying why, and says so at start; files still work",
    ],
  ],
  "escalation: a confined user cannot read the signing key, the audit log, another workspace or any home": [
    [
      "test/e2e/confined-escalation.test.ts",
      "cannot read the signing key, the audit log, another workspace, the operator's HOME or /root through the files API",
    ],
    [
      "test/e2e/confined-escalation.test.ts",
      "cannot read them with commands in her own sandboxed shell: cat, python3, find /, ls /home and /root",
    ],
    [
      "test/e2e/confined-escalation.test.ts",
      "cannot read them by writing a script through the files API and running it, in the foreground or the background",
    ],
    [
      "test/e2e/confined-escalation.test.ts",
      "cannot read them through links her shell makes in her workspace and the files API then follows",
    ],
    ["test/e2e/confined-escalation.test.ts", "cannot list, signal or stop the machine's processes, even confirming it herself"],
    [
      "test/e2e/confined-escalation.test.ts",
      "finds the signing key and the audit log private on disk: files 0600 in 0700 folders",
    ],
    ["test/e2e/confined-escalation.test.ts", "cannot obtain a token that works as an administrator"],
    [
      "src/auth/token-secret.test.ts",
      "makes the key's existing folder private (0700), whether the key is new or was already there",
    ],
  ],
  "the workspace path (and any server path) is never sent to a client": [
    [
      "test/e2e/confined-escalation.test.ts",
      "is never told where her workspace, the server's home or AstrOS's folders are: not by the session API, errors, commands or WebSocket events",
    ],
  ],
  "a confined user's ~ is their workspace home; errors never print the operator's home": [
    [
      "src/safety/path-guard/path-guard.test.ts",
      "never reads a confined user's ~ as the operator's home, nor prints the operator's home when it refuses",
    ],
    [
      "src/server/confined-home.test.ts",
      "is their workspace home in a tool's arguments and in the request's text, never the operator's",
    ],
    ["src/server/confined-home.test.ts", "is their workspace home in a command"],
  ],
  "Host header: only the server's own names; a DNS-rebinding request or WebSocket upgrade gets 421": [
    [
      "src/server/openapi-statuses.test.ts",
      "answers only the server's own names: another Host (DNS rebinding) gets 421 before anything else, a socket too",
    ],
    [
      "test/e2e/confined-escalation.test.ts",
      "answers only its own names: a DNS-rebinding Host gets 421, for a request and a WebSocket upgrade",
    ],
  ],
  "Windows-style paths are refused with a clear message, never made into odd file names": [
    [
      "src/safety/path-guard/path-guard.test.ts",
      "refuses Windows-style paths with REQUEST_INVALID saying what paths look like here, instead of making odd files",
    ],
    [
      "test/e2e/confined-escalation.test.ts",
      "refuses a Windows-style path with a clear message, and makes no file with backslashes in its name",
    ],
  ],
  "every status the API answers is in the OpenAPI document, and malformed requests never get a 5xx": [
    [
      "src/server/openapi-statuses.test.ts",
      "lists every status a route answers to malformed requests, and none of them is a 5xx",
    ],
    ["src/server/openapi-statuses.test.ts", "documents the shared error answers on every route, from one place"],
  ],
};

describe("issue 12's confined-server requirements", () => {
  it.each(Object.entries(confinedServerRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

/** Issue 12, finding 1 and "one effect policy" (the plain-language door), each traced to the tests that prove it. */
const effectPolicyRequirements: Record<string, Array<[file: string, test: string]>> = {
  "effect policy: deleting, moving, emptying or overwriting HOME, /, a system folder or an allowed root is FORBIDDEN": [
    [
      "src/safety/effect-policy/effect-policy.test.ts",
      "forbids deleting, moving, emptying or overwriting the home folder, with the command guard's wording",
    ],
    [
      "src/safety/effect-policy/effect-policy.test.ts",
      "forbids destroying the root folder and every system folder, and allows what is inside a temp folder",
    ],
    [
      "src/safety/effect-policy/effect-policy.test.ts",
      "forbids destroying an allowed root, the temp folder and a session's workspace, but not what is inside them",
    ],
    ["src/safety/effect-policy/effect-policy.test.ts", "allows deleting a file in the home folder, even one called home"],
    ["src/safety/effect-policy/effect-policy.test.ts", "sees a protected place through a symbolic link to it"],
  ],
  "effect policy: AstrOS's state (database, journal, trash, audit log, keys, config) and any folder holding it is FORBIDDEN": [
    [
      "src/safety/effect-policy/effect-policy.test.ts",
      "forbids destroying AstrOS's state, or any folder that holds it, wherever the XDG folders are",
    ],
    ["src/safety/effect-policy/every-door.test.ts", "refuses to move or trash AstrOS's own trash and journal, wherever they are"],
  ],
  "effect policy: writing start-up files, git hooks and config, authorized_keys, crontabs and AstrOS's config asks": [
    [
      "src/safety/effect-policy/effect-policy.test.ts",
      "asks before writing shell start-up files, git hooks and config, authorized_keys, crontabs and AstrOS's config",
    ],
    [
      "src/safety/effect-policy/every-door.test.ts",
      "asks before files.write writes a shell start-up file, a git hook, a repository's config or authorized_keys, and refuses with nobody to ask",
    ],
    [
      "src/safety/effect-policy/every-door.test.ts",
      "asks before a handler writes a start-up file by itself, and refuses it with nobody to ask",
    ],
    [
      "test/e2e/protected-targets.test.ts",
      "asks before writing ~/.bashrc, and with nobody to ask refuses naming the file and how to confirm",
    ],
  ],
  "every door answers from the policy: tool calls, a handler's own files, callPlugin": [
    [
      "src/safety/effect-policy/every-door.test.ts",
      "refuses a handler that trashes or moves an allowed root by itself, directly or through callPlugin, without asking",
    ],
    ["src/safety/effect-policy/every-door.test.ts", "lets a handler trash an ordinary file, even one called home"],
    ["src/intent/planned-effects.test.ts", "are the effects the file tools declare, for every file intent and selection"],
  ],
  "plain-language door: 40+ phrasings × CLI, --yes, REPL y, REST + /confirm, XDG inside and outside HOME: FORBIDDEN, tree byte-identical":
    [
      [
        "test/e2e/protected-targets.test.ts",
        "refuses every phrasing FORBIDDEN through the CLI, with and without --yes, and changes no file",
      ],
      [
        "test/e2e/protected-targets.test.ts",
        "refuses every phrasing FORBIDDEN in the REPL, where the person answers y to anything asked",
      ],
      [
        "test/e2e/protected-targets.test.ts",
        "refuses every phrasing FORBIDDEN through the REST API, for the administrator and a server user, and /confirm has nothing to confirm",
      ],
    ],
  "rm -rf ~ as a command and 'delete my home folder' as a request: the same FORBIDDEN, the same reason": [
    [
      "test/e2e/protected-targets.test.ts",
      "answers rm -rf ~ as a command and 'delete my home folder' as a request with the same reason",
    ],
  ],
  "100,000 random and adversarial texts plan nothing that touches a protected place; random text is never 'delete HOME'": [
    [
      "src/intent/protected-targets-fuzz.test.ts",
      "plans no step that deletes, moves, empties or overwrites a protected place in 100,000 random and adversarial texts",
    ],
    [
      "src/intent/protected-targets-fuzz.test.ts",
      "never reads long text that only mentions ~ somewhere as a destructive request on the home folder",
    ],
    [
      "src/intent/protected-targets-fuzz.test.ts",
      "still reads plain requests on ordinary files and folders, and refuses the plain ones on protected places with the policy's reason",
    ],
  ],
};

describe("issue 12's effect-policy requirements", () => {
  it.each(Object.entries(effectPolicyRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

/** Issue 12, finding 5 (the command guard fails closed), each class traced to the named tests that prove it. */
const commandGuardRequirements: Record<string, Array<[file: string, test: string]>> = {
  "guard: prompt-string, indirect, escape and arithmetic-subscript expansions are DANGEROUS at least": [
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "never judges prompt-string, indirect, escape or arithmetic-subscript expansions below DANGEROUS",
    ],
  ],
  "guard: a runner outside the wrapper list (script -qc, sg, watch, an unknown tool) is judged by what it runs": [
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "judges runners outside the wrapper list by the command they run, and unknown ones that take a command line too",
    ],
  ],
  "guard: running or sourcing a file written earlier in the same line is judged by what the file holds": [
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "judges a file written earlier in the same command line by what it holds when it is run or sourced",
    ],
  ],
  "guard: a program name built from a glob or a substitution is DANGEROUS at least": [
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "never trusts a program name picked by a glob or computed at run time",
    ],
  ],
  "guard: interpreter code it cannot read is DANGEROUS; deleting HOME from it is FORBIDDEN": [
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "calls interpreter code it cannot read DANGEROUS, and deleting HOME from it FORBIDDEN",
    ],
  ],
  "guard: archivers that delete their input and options that write or run (find -fprint, rg --pre, sort -o) ask": [
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "asks before archivers delete their input and before options write files or run commands",
    ],
  ],
  "guard: download then run, in two steps, asks": [
    ["src/safety/command-guard/command-guard-fails-closed.test.ts", "asks before running what the same command line downloaded"],
  ],
  "guard: writes into shell start-up files, git hooks and config, authorized_keys and crontabs ask": [
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "asks before writing shell start-up files, git hooks and configuration, authorized_keys and crontabs",
    ],
  ],
  "guard: destroying HOME, / or a protected folder is FORBIDDEN in every spelling it can see": [
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "answers FORBIDDEN to destroying HOME, / or a protected folder in every spelling it can see",
    ],
    ["src/safety/command-guard/command-guard-fails-closed.test.ts", "judges rm -rf * where the caller says the command runs"],
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "says which real paths are HOME, the root, a system folder or a protected folder",
    ],
  ],
  "guard: at most 1 harmless command in 10 asks; --help, look-ups, build folders and the temp folder do not": [
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "asks about at most 1 harmless command in 10 (over at least 100 realistic commands)",
    ],
    [
      "src/safety/command-guard/command-guard-fails-closed.test.ts",
      "does not ask about --help, look-ups, build folders the user named or the temporary folder",
    ],
  ],
};

describe("issue 12's command-guard requirements", () => {
  it.each(Object.entries(commandGuardRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

/** Issue 12, finding 2 (paths checked, then opened by name): the kernel enforces the file boundary, each requirement traced. */
const fileBoundaryRequirements: Record<string, Array<[file: string, test: string]>> = {
  "boundary: every file operation acts relative to folders opened from / without following a link on any component": [
    ["src/exec/boundary/file-boundary.test.ts", "never follows a symbolic link in the middle of a path, for any operation"],
    [
      "src/exec/boundary/file-boundary.test.ts",
      "keeps acting on the folder it opened when the folder's name is swapped for a link afterwards",
    ],
  ],
  "boundary: a link as the last name is never read through; a move, rename or delete acts on the link itself": [
    [
      "src/exec/boundary/file-boundary.test.ts",
      "never reads through a symbolic link as the last name, and moves or removes the link itself",
    ],
    [
      "src/tools/files/files-plugin.test.ts",
      "deletes, renames and moves a symbolic link itself, never what it points to, and undo puts the link back",
    ],
  ],
  "boundary: writes go to a temporary file created exclusively in the same open folder, synced, then renamed there": [
    [
      "src/exec/boundary/file-boundary.test.ts",
      "writes through a temporary file created in the same open folder, leaving no partial file",
    ],
  ],
  "boundary: a hard-linked file (nlink > 1) is never read, with a clear PATH_DENIED": [
    [
      "src/exec/boundary/file-boundary.test.ts",
      "never reads a file that has another name (a hard link to a file outside the root), with a clear error",
    ],
    [
      "test/e2e/file-races.test.ts",
      "never reads a file hard-linked inside a root to a file outside it, through files.read, and says why",
    ],
    [
      "test/e2e/file-races.test.ts",
      "never reads a file hard-linked into the workspace from outside it (PATH_DENIED, hard links named)",
    ],
  ],
  "race: renameat2(RENAME_EXCHANGE) of a file or a parent folder with a link out, 1,000 times: 0 bytes read or written outside, by every door":
    [
      [
        "src/exec/boundary/file-boundary.test.ts",
        "never reads a byte from outside when a parent folder is swapped with a link to it, 1,000 times",
      ],
      [
        "src/exec/boundary/file-boundary.test.ts",
        "never writes a byte outside when a parent folder is swapped with a link to it, 1,000 times",
      ],
      ["test/e2e/file-races.test.ts", "never reads a byte from outside the roots when a file is swapped with a link"],
      ["test/e2e/file-races.test.ts", "never reads a byte from outside the roots when a parent folder is swapped with a link"],
      ["test/e2e/file-races.test.ts", "never writes outside the roots when a parent folder is swapped with a link"],
      [
        "test/e2e/file-races.test.ts",
        "never moves, trashes or overwrites anything outside the roots when a parent folder is swapped with a link",
      ],
      [
        "test/e2e/file-races.test.ts",
        "never reads or writes outside through files.read and files.write when a parent folder is swapped",
      ],
      ["test/e2e/file-races.test.ts", "never reads a byte from outside the workspace when a file is swapped with a link"],
      [
        "test/e2e/file-races.test.ts",
        "never reads a byte from outside the workspace when a parent folder is swapped with a link",
      ],
      ["test/e2e/file-races.test.ts", "never writes outside the workspace when a parent folder is swapped with a link"],
      ["test/e2e/file-races.test.ts", "never lists or greps outside the workspace when a parent folder is swapped with a link"],
      ["test/e2e/file-races.test.ts", "never reads a byte from outside the roots, many requests through one astros process"],
      ["test/e2e/file-races.test.ts", "never writes outside the roots, many requests through one astros process"],
    ],
  "boundary: the journal keeps write-ahead, byte-for-byte undo, crash recovery, no overwrite, the trash and cross-device moves": [
    [
      "src/exec/journal/file-journal.test.ts",
      "moves a tree full of name collisions without losing or overwriting a byte, and undo restores it exactly",
    ],
    [
      "src/exec/journal/file-journal.test.ts",
      "deletes into the freedesktop trash with a .trashinfo, and undo brings the file back",
    ],
    [
      "src/exec/journal/file-journal.test.ts",
      "copies then removes (EXDEV), keeping bytes and timestamps, and undo moves it back",
    ],
    [
      "src/tools/files/files-crash.test.ts",
      "rolls back a large organize killed at any of many points, losing and duplicating nothing",
    ],
  ],
};

describe("issue 12's file-boundary requirements", () => {
  it.each(Object.entries(fileBoundaryRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

/** Issue 12, finding 2 for the scans, and one verdict from `astros guard`: each traced to the tests that prove it. */
const scanAndGuardDoorRequirements: Record<string, Array<[file: string, test: string]>> = {
  "boundary: files.search walks through pinned folder handles, so a folder swapped mid-walk lists no outside name": [
    [
      "test/e2e/file-races.test.ts",
      "never lists a name from outside the roots through files.search when a folder is swapped mid-walk",
    ],
    [
      "test/e2e/file-races.test.ts",
      "never matches a file outside the roots by content or size when a folder is swapped mid-walk",
    ],
  ],
  "guard: astros guard judges as the pipeline would in the current folder (its roots, AstrOS's state)": [
    [
      "test/e2e/cli.test.ts",
      "judges a command with astros guard as the pipeline would in the current folder: its roots and AstrOS's state",
    ],
  ],
};

describe("issue 12's scan and guard-door requirements", () => {
  it.each(Object.entries(scanAndGuardDoorRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

/** Issue 12: options that make a program run a command, judged as running it (src/safety/command-guard/command-options.ts). */
const commandOptionRequirements: Record<string, Array<[file: string, test: string]>> = {
  "guard: an option that runs a command (rsync -e, ssh -o ProxyCommand, git difftool -x, sort --compress-program, …) is judged as that command":
    [
      [
        "src/safety/command-guard/command-options.test.ts",
        "never lets an option run a command the guard did not judge, in any spelling of the option",
      ],
      [
        "src/safety/command-guard/command-options.test.ts",
        "asks before an option runs a program or reads a configuration the guard cannot see",
      ],
      ["src/safety/command-guard/command-options.test.ts", "leaves the same programs as they were when no option runs anything"],
    ],
  "guard: git's output options are judged as writes; fetch-and-run tools and unreadable scripts ask; trash tools are rm -r": [
    ["src/safety/command-guard/command-options.test.ts", "judges the files git writes by option like any other write"],
    [
      "src/safety/command-guard/command-options.test.ts",
      "asks before fetching a package and running it, and before running a script file it cannot read",
    ],
    ["src/safety/command-guard/command-options.test.ts", "judges trashing tools by what they take away, like rm -r"],
  ],
};

describe("issue 12's command-option requirements", () => {
  it.each(Object.entries(commandOptionRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

/** Issue 12: hidden writes, links made in the same line, AstrOS's own state and mv's destination, each traced to its tests. */
const hiddenWriteRequirements: Record<string, Array<[file: string, test: string]>> = {
  "guard: a write into a start-up file hidden in a destination folder, a sed script or an archive name asks": [
    [
      "src/safety/command-guard/hidden-writes.test.ts",
      "asks before a copy, an unpacking, sed's w command or tar -cf writes a start-up file",
    ],
    [
      "src/safety/command-guard/hidden-writes.test.ts",
      "leaves everyday copies, unpacking elsewhere and printing with sed as they were",
    ],
  ],
  "guard: a path through a link made earlier in the line is judged as where it leads (deleting HOME through it: FORBIDDEN)": [
    ["src/safety/command-guard/hidden-writes.test.ts", "judges a path through a link the line made as the place it leads to"],
    [
      "src/safety/command-guard/hidden-writes.test.ts",
      "leaves links to projects, and deleting build output through them, as they were",
    ],
  ],
  "guard: AstrOS's state is never deleted, emptied or overwritten from a command line, after a cd or through a link": [
    [
      "src/safety/command-guard/astros-state-commands.test.ts",
      "never lets a command delete, empty or overwrite the audit log, the database or the state folder, after a cd or through a link",
    ],
    [
      "src/safety/command-guard/astros-state-commands.test.ts",
      "names what a deleted protected folder is instead of calling it the home folder",
    ],
    [
      "src/safety/command-guard/astros-state-commands.test.ts",
      "asks before writing AstrOS's configuration and before find -delete over a folder holding its state",
    ],
    [
      "src/safety/command-guard/astros-state-commands.test.ts",
      "leaves reading the database and everyday writes in an allowed root as they were",
    ],
  ],
  "guard: only mv's sources are moved away; moving a file home is everyday": [
    ["src/safety/command-guard/hidden-writes.test.ts", "never treats the folder mv moves into as moved away"],
    [
      "src/safety/command-guard/astros-state-commands.test.ts",
      "never treats mv's destination as moved away: moving a file home is everyday, moving home or the state away is not",
    ],
  ],
};

/** Issue 12's remaining guard classes (the closing note's open holes), each traced to its tests. */
const remainingClassRequirements: Record<string, Array<[file: string, test: string]>> = {
  "effect policy: files a program runs on its own start are one class, asked about whenever written, created, moved, appended, linked or chmodded":
    [
      [
        "src/safety/command-guard/autorun-writes.test.ts",
        "names every kind of place a program runs by itself, and no ordinary look-alike",
      ],
      [
        "src/safety/command-guard/autorun-writes.test.ts",
        "asks whenever one is written, created, moved into place, appended to, linked or made executable, by any command",
      ],
      [
        "src/safety/command-guard/autorun-writes.test.ts",
        "asks before commands that install a start-up entry without naming its file: systemctl --user, npm config set, direnv allow",
      ],
      [
        "src/safety/command-guard/autorun-writes.test.ts",
        "leaves reading them, and everyday files that only look like them, as they were",
      ],
      [
        "src/safety/effect-policy/every-door.test.ts",
        "asks before files.write writes a shell start-up file, a git hook, a repository's config or authorized_keys, and refuses with nobody to ask",
      ],
      ["test/e2e/protected-targets.test.ts", "asks before any door writes one, and with nobody to ask changes nothing"],
    ],
  "guard: the home folder computed at run time is FORBIDDEN to delete wherever it can be resolved; what cannot be stays DANGEROUS":
    [
      [
        "src/safety/command-guard/computed-home.test.ts",
        "forbids deleting it through substitutions the guard can compute: echo, printf, dirname, realpath, whoami, cd; pwd",
      ],
      [
        "src/safety/command-guard/computed-home.test.ts",
        "forbids deleting it through variables set earlier in the line, $HOME, $USER, ~NAME and . or ..",
      ],
      [
        "src/safety/command-guard/computed-home.test.ts",
        "keeps what it cannot resolve, given to a deleting command, at least DANGEROUS",
      ],
      ["src/safety/command-guard/computed-home.test.ts", "leaves computed paths that name ordinary places as they were"],
    ],
  "guard: a find, a pattern or find | xargs that reaches AstrOS's audit log or state is FORBIDDEN like naming it": [
    [
      "src/safety/command-guard/astros-state-commands.test.ts",
      "forbids a find, a pattern or a pipe that deletes, truncates or moves the audit log or the state without naming it",
    ],
    [
      "test/e2e/audit-size.test.ts",
      "refuses a find that deletes the log, and notices at the next start when the log and its head were deleted anyway",
    ],
  ],
  "audit: deleting or rewriting the log together with its head is noticed at the next start and by audit verify (an anchor outside the log's folder)":
    [
      [
        "src/safety/audit/audit-anchor.test.ts",
        "notices the audit log and its head deleted together, and the gap stays visible after new entries",
      ],
      ["src/safety/audit/audit-anchor.test.ts", "notices the log and its head rewritten with a chain of their own"],
      ["src/safety/audit/audit-anchor.test.ts", "notices the log cut short with its head rewritten to match"],
      [
        "test/e2e/audit-size.test.ts",
        "refuses a find that deletes the log, and notices at the next start when the log and its head were deleted anyway",
      ],
    ],
};

describe("issue 12's remaining guard classes", () => {
  it.each(Object.entries(remainingClassRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

describe("issue 12's hidden-write, link and AstrOS-state requirements", () => {
  it.each(Object.entries(hiddenWriteRequirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});

describe("issue 3's safety requirements", () => {
  it.each(Object.entries(requirements))("%s: each proof is a test that exists", (_requirement, proofs) => {
    expect(proofs.length).toBeGreaterThan(0);
    for (const [file, test] of proofs) {
      const source = readFileSync(path.join(repositoryRoot, file), "utf8");
      const escaped = JSON.stringify(test).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(new RegExp(`\\bit\\(\\s*${escaped}`).test(source), `${file}: ${test}`).toBe(true);
    }
  });
});
