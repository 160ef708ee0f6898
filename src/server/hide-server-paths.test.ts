import { describe, expect, it } from "vitest";
import { ServerPaths } from "./hide-server-paths.js";

/** What a client is shown of the server's paths: its workspace as ~, anything else of the server's as <server>. */

const paths = new ServerPaths({
  workspaces: "/srv/op/.local/share/astros/workspaces",
  serverFolders: ["/srv/op/.local/share/astros", "/srv/op/.config/astros", "/srv/op/.local/state/astros"],
  operatorHome: "/srv/op",
});
const alice = paths.forUser("alice-id", { confined: true });
const admin = paths.forUser("admin-id", { confined: false });
const json = (value: unknown) => JSON.stringify(value);

describe("ServerPaths", () => {
  it("shows a confined user's workspaces as ~ and every other server path as <server>, in JSON as sent", () => {
    const sent = json({
      path: "/srv/op/.local/share/astros/workspaces/alice-id/home/notes.txt",
      session: "/srv/op/.local/share/astros/workspaces/alice-id/sessions/Ab_1-x/src/app.py",
      cwd: "/srv/op/.local/share/astros/workspaces/alice-id/home",
      other: "cat: /srv/op/.local/share/astros/workspaces/bob-id/home/x: No such file or directory",
      key: "/srv/op/.config/astros/server-token.key",
      audit: "/srv/op/.local/state/astros/audit.log",
      home: "/srv/op/.ssh/id_rsa and ~/.local/share/astros/workspaces/alice-id/home/a.txt",
    });
    const shown = JSON.parse(alice(sent));
    expect(shown).toEqual({
      path: "~/notes.txt",
      session: "~/src/app.py",
      cwd: "~",
      other: "cat: <server>/bob-id/home/x: No such file or directory",
      key: "<server>/server-token.key",
      audit: "<server>/audit.log",
      home: "<server>/.ssh/id_rsa and ~/a.txt",
    });
    expect(alice(sent)).not.toContain("/srv/op");
  });

  it("never cuts a name in the middle, and leaves paths that only look alike", () => {
    expect(alice(json("/srv/operator/file and /srv/op.bak"))).toBe(json("/srv/operator/file and /srv/op.bak"));
    expect(alice(json("/srv/op"))).toBe(json("<server>"));
  });

  it("shows an administrator their session workspaces as ~ and the rest as it is", () => {
    const sent = json({
      session: "/srv/op/.local/share/astros/workspaces/admin-id/sessions/s1/x",
      file: "/srv/op/Documents/x",
    });
    expect(JSON.parse(admin(sent))).toEqual({ session: "~/x", file: "/srv/op/Documents/x" });
  });
});
