import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * vitest's global set-up: the whole run gets a home folder and a temporary folder of its own, removed at the end.
 * Every test file (their workers start after this and inherit the environment) sees HOME, the XDG folders and
 * TMPDIR pointing there, so a test that forgets to make its own home still never writes into the person's
 * home (their audit log, journal, configuration) or leaves anything in the system's /tmp.
 */
export default function setup(): () => void {
  const run = mkdtempSync(path.join(os.tmpdir(), "astros-test-run-"));
  const home = path.join(run, "home");
  const tmp = path.join(run, "tmp");
  const places = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_STATE_HOME: path.join(home, ".local", "state"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    TMPDIR: tmp,
  };
  for (const folder of Object.values(places)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  const saved = Object.fromEntries(Object.keys(places).map((name) => [name, process.env[name]]));
  Object.assign(process.env, places);
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(run, { recursive: true, force: true });
  };
}
