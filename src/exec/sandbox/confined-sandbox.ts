import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The sandbox a confined user's (a server user's) commands run in. It is built up from nothing, not
 * carved out of the machine: the root is an empty tmpfs, and only these are put in it:
 *
 * - the system's programs and libraries, read-only (`/usr`, `/bin`, `/sbin`, `/lib*`);
 * - from `/etc`, only what programs need to start, resolve names and check certificates (never
 *   `shadow`, `ssh`, `sudoers`, AstrOS's own configuration or anything else the machine keeps there);
 *   its `passwd` and `group` are the sandbox's own, naming one user whose home is the workspace (the
 *   machine's would name the operator and their home);
 * - a fresh `/tmp`, its own `/proc` (new process namespace) and a minimal `/dev`;
 * - the user's workspace, read-write, at its own path, which is also HOME and the working folder.
 *
 * No `/home`, no `/root`, no other workspace, no AstrOS data, state or configuration, no signing key,
 * no audit log: what is not listed is not there, whatever a program computes or opens by itself.
 * No network (unless `network` is set), its own IPC, UTS, user and cgroup namespaces.
 */
export interface ConfinedSandboxOptions {
  /** The user's workspace: the one writable folder, HOME, and where the command starts unless `cwd` says otherwise. */
  workspace: string;
  /** Where the command starts (inside the workspace). Default: the workspace. */
  cwd?: string;
  /** Share the host's network (default: none, only a loopback of its own). */
  network?: boolean;
}

/** System folders bound read-only (when they exist here). */
const systemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/** What programs need from /etc: the dynamic loader, users and names, time, certificates, shells and a few tables. */
export const etcEntries = [
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "alternatives",
  "nsswitch.conf",
  "host.conf",
  "hosts",
  "resolv.conf",
  "gai.conf",
  "localtime",
  "timezone",
  "ssl",
  "ca-certificates",
  "ca-certificates.conf",
  "mime.types",
  "magic",
  "magic.mime",
  "protocols",
  "services",
  "shells",
  "os-release",
  "debian_version",
  "locale.alias",
  "inputrc",
  "terminfo",
  "python3",
  "perl",
] as const;

/** The PATH inside the sandbox: only system folders exist there, whatever the server's own PATH holds. */
export const confinedPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * bubblewrap's arguments for a confined command (to be followed by the program and its arguments).
 * A system folder that is a symbolic link here (`/bin -> usr/bin` on merged-/usr systems) is the same
 * link in the sandbox.
 */
export function confinedSandboxArguments(options: ConfinedSandboxOptions): string[] {
  // Compared as real paths: the guard hands out real working folders, the configuration may name a link.
  const workspace = realpathSync(path.resolve(options.workspace));
  const cwd = realpathSync(path.resolve(options.cwd ?? workspace));
  if (cwd !== workspace && !cwd.startsWith(`${workspace}/`)) {
    throw new Error(`a confined command must start inside its workspace (${cwd} is not in ${workspace})`);
  }
  const system = systemFolders.flatMap((folder) => {
    const link = symbolicLinkTarget(folder);
    if (link !== undefined) return ["--symlink", link, folder];
    return existsSync(folder) ? ["--ro-bind", folder, folder] : [];
  });
  const etc = etcEntries.flatMap((name) => {
    const entry = `/etc/${name}`;
    // --ro-bind-try: the entry may be missing here; a link (/etc/localtime) is bound as what it leads to.
    return ["--ro-bind-try", entry, entry];
  });
  return [
    "--tmpfs",
    "/",
    ...system,
    "--dir",
    "/etc",
    ...etc,
    ...accountFiles(workspace).flatMap(([file, entry]) => ["--ro-bind", file, entry]),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
    "--dir",
    "/var/tmp",
    "--bind",
    workspace,
    workspace,
    // Nothing of the sandbox but the workspace is writable, the root included.
    "--remount-ro",
    "/",
    "--unshare-all",
    ...(options.network === true ? ["--share-net"] : []),
    "--die-with-parent",
    "--new-session",
    "--chdir",
    cwd,
    "--",
  ];
}

let accountsFolder: string | undefined;
const accountsByWorkspace = new Map<string, Array<[file: string, entry: string]>>();

/**
 * The sandbox's /etc/passwd and /etc/group: this process's user (as the sandbox maps it: the same ids),
 * named `user` (`root` when the server runs as root) with the workspace as home, and `nobody`. Written
 * once per workspace into a private folder of this process, removed when it exits.
 */
function accountFiles(workspace: string): Array<[file: string, entry: string]> {
  const made = accountsByWorkspace.get(workspace);
  if (made !== undefined) return made;
  if (accountsFolder === undefined) {
    const folder = mkdtempSync(path.join(os.tmpdir(), "astros-sandbox-accounts-"));
    accountsFolder = folder;
    process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
  }
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  const name = uid === 0 ? "root" : "user";
  const folder = path.join(accountsFolder, String(accountsByWorkspace.size));
  mkdirSync(folder, { mode: 0o755 });
  const passwd = [
    `${name}:x:${uid}:${gid}:${name}:${workspace}:/bin/bash`,
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
  ];
  const group = [`${name}:x:${gid}:`, "nogroup:x:65534:"];
  writeFileSync(path.join(folder, "passwd"), `${passwd.join("\n")}\n`, { mode: 0o644 });
  writeFileSync(path.join(folder, "group"), `${group.join("\n")}\n`, { mode: 0o644 });
  const files: Array<[string, string]> = [
    [path.join(folder, "passwd"), "/etc/passwd"],
    [path.join(folder, "group"), "/etc/group"],
  ];
  accountsByWorkspace.set(workspace, files);
  return files;
}

/** The target of a symbolic link, or undefined when the path is not one (or does not exist). */
function symbolicLinkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}
